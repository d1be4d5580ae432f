import FleetAPI

// Validation before each pass: everything is derived again from the current state and
// compared with what the run recorded. Any difference fails the run (stage conditions are not
// touched); otherwise it finds where the run stands.

extension Reconciliation {
    mutating func validate() throws(RolloutError) -> (StagePosition, CollectedBindings) {
        let placement = try resolvePlacement()
        let latest = placement.spec.strategy.applyStrategy
        guard latest == run.status.appliedStrategy else {
            throw .aborted(
                .user, "the applyStrategy in the updateRun is outdated, latest: "
                    + "\(describe(latest)), recorded: \(describe(run.status.appliedStrategy))")
        }

        let snapshot = try latestPolicySnapshot()
        let count = try observedClusterCount(of: snapshot)
        try checkFullyScheduled(snapshot)
        let recordedIndex = run.status.policySnapshotIndexUsed ?? ""
        guard String(snapshot.index) == recordedIndex else {
            throw .aborted(
                .plain, "the policy snapshot index used in the updateRun is outdated, latest: "
                    + "\(snapshot.index), recorded: \(recordedIndex)")
        }
        let recordedCount = run.status.policyObservedClusterCount ?? 0
        if count != -1 && count != recordedCount {
            throw .aborted(
                .plain, "the cluster count initialized in the updateRun is outdated, latest: "
                    + "\(count), recorded: \(recordedCount)")
        }

        let (collected, _) = try collectBindings(
            latest: snapshot, observedCount: count, initializing: false)
        let position = try validateStages(collected)
        return (position, collected)
    }

    /// Compares the recorded stages with the ones the current labels give, checks that
    /// progress is consistent, and finds the stage to work on.
    func validateStages(_ collected: CollectedBindings) throws(RolloutError) -> StagePosition {
        guard let configs = run.status.stagedUpdateStrategySnapshot else {
            throw .aborted(.unexpected, "the updateRun has nil updateStrategySnapshot")
        }
        let fresh = try computeStages(configs, selected: collected.selected)
        let existing = run.status.stagesStatus
        guard fresh.count == existing.count, configs.count == existing.count else {
            throw .aborted(
                .plain, "the number of stages in the updateRun has changed, new: \(fresh.count), "
                    + "existing: \(existing.count)")
        }
        var progress = StageProgress()
        for (index, stage) in existing.enumerated() {
            let recomputed = fresh[index]
            guard recomputed.stageName == stage.stageName else {
                throw .aborted(
                    .plain, "index `\(index)` stage name in the updateRun has changed, new: "
                        + "\(recomputed.stageName), existing: \(stage.stageName)")
            }
            guard recomputed.clusters.count == stage.clusters.count else {
                throw .aborted(
                    .plain, "the number of clusters in index `\(index)` stage has changed, new: "
                        + "\(recomputed.clusters.count), existing: \(stage.clusters.count)")
            }
            for (position, cluster) in stage.clusters.enumerated()
            where recomputed.clusters[position].clusterName != cluster.clusterName {
                throw .aborted(
                    .plain, "the `\(position)` cluster in the `\(index)` stage has changed, new: "
                        + "\(recomputed.clusters[position].clusterName), existing: \(cluster.clusterName)")
            }
            let maxConcurrency = MaxConcurrency.effective(
                configs[index].maxConcurrency, clusterCount: stage.clusters.count)
            try progress.check(stage, at: index, maxConcurrency: maxConcurrency,
                               generation: generation)
        }
        return try validateDeletionStage(collected.toBeDeleted, progress: progress,
                                         stageCount: existing.count)
    }

    func validateDeletionStage(
        _ toBeDeleted: [Binding], progress: StageProgress, stageCount: Int
    ) throws(RolloutError) -> StagePosition {
        guard let deletion = run.status.deletionStageStatus else {
            throw .aborted(.unexpected, "the updateRun has nil deletionStageStatus")
        }
        // Finished deletions leave the list, so only membership is checked.
        let listed = Set(deletion.clusters.map(\.clusterName))
        for binding in toBeDeleted where !listed.contains(binding.targetCluster) {
            throw .aborted(
                .unexpected, "the cluster `\(binding.targetCluster)` to be deleted is not in the "
                    + "delete stage")
        }
        let finished = deletion.conditions[.succeeded]
        if let updating = progress.updating ?? (progress.lastFinished < stageCount - 1
                                                ? progress.lastFinished + 1 : nil) {
            let active = finished?.status == .true || finished?.status == .false
                || deletion.conditions.isTrue(.progressing, generation: generation)
            if active {
                throw .aborted(
                    .unexpected, "the delete stage is active, but there are still stages "
                        + "updating, updatingStageIndex: \(progress.updating ?? -1), "
                        + "lastFinishedStageIndex: \(progress.lastFinished)")
            }
            return .update(updating)
        }
        if deletion.conditions.isTrue(.succeeded, generation: generation) { return .finished }
        if let finished, deletion.conditions.isFalse(.succeeded, generation: generation) {
            throw .aborted(.plain, "the delete stage has failed, err: \(finished.message)")
        }
        return .deletion
    }

    /// The Go form KubeFleet prints an apply strategy in, close enough to compare by eye.
    func describe(_ strategy: ApplyStrategy?) -> String {
        guard let strategy else { return "<nil>" }
        var fields = [
            strategy.type, strategy.comparisonOption, strategy.whenToApply,
            strategy.whenToTakeOver, String(strategy.allowCoOwnership),
        ]
        fields.append(strategy.serverSideApplyForce.map { "&{\($0)}" } ?? "<nil>")
        return "&{" + fields.joined(separator: " ") + "}"
    }
}

/// Walks the stages in order, checking that finished stages form a prefix and that at most one
/// stage, right after them, is in progress.
struct StageProgress {
    /// The stage in progress, if any.
    var updating: Int?
    /// The last of the finished prefix, -1 when none has finished.
    var lastFinished = -1

    mutating func check(
        _ stage: StageUpdatingStatus, at index: Int, maxConcurrency: Int, generation: Int
    ) throws(RolloutError) {
        let succeeded = stage.conditions[.succeeded]
        if stage.conditions.isTrue(.succeeded, generation: generation) {
            if let updating, index > updating {
                throw .aborted(
                    .unexpected, "the finished stage `\(index)` is after the updating stage "
                        + "`\(updating)`")
            }
            for cluster in stage.clusters
            where !cluster.conditions.isTrue(.succeeded, generation: generation) {
                throw .aborted(
                    .unexpected, "cluster `\(cluster.clusterName)` in the finished stage "
                        + "`\(stage.stageName)` has not succeeded")
            }
            guard index == lastFinished + 1 else {
                throw .aborted(
                    .unexpected, "the finished stage `\(stage.stageName)` is not right after the "
                        + "last finished stage with index `\(lastFinished)`")
            }
            lastFinished = index
        } else if let succeeded, stage.conditions.isFalse(.succeeded, generation: generation) {
            throw .aborted(
                .plain, "the stage `\(stage.stageName)` has failed, err: \(succeeded.message)")
        } else if stage.conditions[.progressing] != nil {
            if let updating {
                throw .aborted(
                    .unexpected, "the stage `\(stage.stageName)` is updating, but there is "
                        + "already a stage with index `\(updating)` updating")
            }
            guard index == lastFinished + 1 else {
                throw .aborted(
                    .unexpected, "the updating stage `\(stage.stageName)` is not right after the "
                        + "last finished stage with index `\(lastFinished)`")
            }
            updating = index
            // Failed clusters count too: they hold a slot until the run fails.
            let inFlight = stage.clusters.filter {
                $0.conditions.isTrue(.started, generation: generation)
                    && !$0.conditions.isTrue(.succeeded, generation: generation)
            }.count
            if inFlight > maxConcurrency {
                throw .aborted(
                    .unexpected, "the number of updating clusters `\(inFlight)` in the updating "
                        + "stage `\(stage.stageName)` exceeds maxConcurrency `\(maxConcurrency)`")
            }
        }
    }
}
