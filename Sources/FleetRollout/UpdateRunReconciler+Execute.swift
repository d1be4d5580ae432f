import FleetAPI
import Foundation

// Executing the current update stage (state Run): skip it when empty, wait for its
// before-stage approval, then move clusters onto the run's snapshot, at most maxConcurrency
// at a time, in the recorded order.

/// What one walk over a stage's clusters found.
struct ClusterWalk {
    var finished = 0
    var stuck: [String] = []
    var errors: [RolloutError] = []
}

/// Where one started cluster's update stands, read from its binding.
enum ClusterResult {
    case succeeded
    /// The member reports a failure; retried until it clears, never fatal.
    case failing
    case updating
}

extension Reconciliation {
    mutating func execute(_ position: StagePosition, _ collected: CollectedBindings) -> PassOutcome {
        run.status.markProgressingIfNotWaitingOrStuck(generation: generation, now: now)
        do {
            switch position {
            case let .update(index): return try executeUpdatingStage(index, collected)
            case .deletion: return try executeDeletionStage(collected)
            case .finished: return .finished
            }
        } catch {
            return settle(error, at: position)
        }
    }

    mutating func executeUpdatingStage(
        _ index: Int, _ collected: CollectedBindings
    ) throws(RolloutError) -> PassOutcome {
        let config = try stageConfig(index)
        var stage = run.status.stagesStatus[index]
        defer { run.status.stagesStatus[index] = stage }

        if stage.clusters.isEmpty {
            // An empty stage's tasks never run: no approval request, no wait.
            stage.markSkippedNoClusters(generation: generation, now: now)
            events.append(.stageSkipped(stage: stage.stageName))
            return .continueNow
        }
        guard try beforeStageTasksApproved(config, &stage) else {
            stage.markWaiting(
                "Not all before-stage tasks are completed, waiting for approval",
                generation: generation, now: now)
            run.status.markWaiting(
                kind: "before-stage", stage: stage.stageName, generation: generation, now: now)
            // KubeFleet polls every minute; here an approval arrives as a commit, which wakes
            // the run by itself.
            return .settled
        }
        let maxConcurrency = MaxConcurrency.effective(
            config.maxConcurrency, clusterCount: stage.clusters.count)
        let walk = updateClusters(&stage, selected: collected.selected,
                                  maxConcurrency: maxConcurrency)
        let allFinished = walk.finished == stage.clusters.count
        if !allFinished || !walk.errors.isEmpty {
            // When every cluster is done, completing the stage decides the run's condition;
            // marking it Progressing first would move its transition time on every pass.
            recordStuck(walk.stuck, stage: stage.stageName)
        }
        if !walk.errors.isEmpty {
            throw .aggregate(walk.errors)
        }
        if allFinished {
            return try completeStage(config, &stage)
        }
        return .wait(RolloutTiming.clusterUpdatingWait)
    }

    func stageConfig(_ index: Int) throws(RolloutError) -> StageConfig {
        guard let configs = run.status.stagedUpdateStrategySnapshot, configs.indices.contains(index),
              run.status.stagesStatus.indices.contains(index)
        else {
            throw .aborted(.unexpected, "the stage with index `\(index)` is missing in the updateRun")
        }
        return configs[index]
    }

    /// Walks the clusters in order, stopping once `maxConcurrency` of them are in flight; a
    /// cluster that finishes frees its slot for the next one in the same walk.
    mutating func updateClusters(
        _ stage: inout StageUpdatingStatus, selected: [Binding], maxConcurrency: Int
    ) -> ClusterWalk {
        let byCluster = Dictionary(
            selected.map { ($0.targetCluster, $0) }, uniquingKeysWith: { first, _ in first })
        var walk = ClusterWalk()
        var inFlight = 0
        var index = 0
        while index < stage.clusters.count && inFlight < maxConcurrency {
            defer { index += 1 }
            let name = stage.clusters[index].clusterName
            if stage.clusters[index].conditions.isTrue(.succeeded, generation: generation) {
                walk.finished += 1
                continue
            }
            inFlight += 1
            if stage.clusters[index].conditions.isFalse(.succeeded, generation: generation) {
                walk.errors.append(.aborted(
                    .plain, "the cluster `\(name)` in the stage \(stage.stageName) has failed"))
                continue
            }
            guard let binding = byCluster[name] else {
                walk.errors.append(.aborted(
                    .unexpected, "the binding for cluster `\(name)` in stage `\(stage.stageName)` "
                        + "is not found in the toBeUpdatedBindings map"))
                continue
            }
            if !stage.clusters[index].conditions.isTrue(.started, generation: generation) {
                if start(binding, &stage.clusters[index]) {
                    stage.clusters[index].markStarted(generation: generation, now: now)
                    stage.markProgressStarted(generation: generation, now: now)
                }
                // A binding already in place can succeed at once, freeing its slot.
                if stage.clusters[index].conditions.isTrue(.succeeded, generation: generation) {
                    walk.finished += 1
                    inFlight -= 1
                }
                continue
            }
            guard isInSync(binding), binding.state == .bound,
                  binding.conditions.isTrue(.rolloutStarted, generation: binding.generation)
            else {
                let error = preempted(name, stage: stage.stageName, binding: binding)
                stage.clusters[index].markFailed(error.cause, generation: generation, now: now)
                events.append(.memberFailed(member: name, message: error.cause))
                walk.errors.append(error)
                continue
            }
            switch result(of: binding, &stage.clusters[index]) {
            case .succeeded:
                walk.finished += 1
                inFlight -= 1
            case .failing, .updating:
                if isStuck(stage.clusters[index]) { walk.stuck.append(name) }
            }
        }
        return walk
    }

    /// Points the cluster's binding at the run's snapshot, or confirms it already is. Returns
    /// false when an already updated binding reports a failure: the cluster stays unstarted
    /// and is looked at again on the next pass.
    mutating func start(_ binding: Binding, _ cluster: inout ClusterUpdatingStatus) -> Bool {
        var binding = binding
        let snapshot = targetSnapshotName
        if !isInSync(binding) {
            binding.state = .bound
            binding.resourceSnapshotName = snapshot
            binding.applyStrategy = run.status.appliedStrategy
            changedSpec(&binding)
            markRolloutStarted(&binding)
            write(binding)
        } else if binding.state != .bound {
            binding.state = .bound
            changedSpec(&binding)
            markRolloutStarted(&binding)
            write(binding)
        } else if !binding.conditions.isTrue(.rolloutStarted, generation: binding.generation) {
            markRolloutStarted(&binding)
            write(binding)
        } else {
            // Already in place (a run before this one shipped the same snapshot): its result
            // may be known at once. A failure leaves the cluster unstarted.
            let position = events.count
            switch result(of: binding, &cluster) {
            case .failing:
                return false
            case .succeeded, .updating:
                events.insert(
                    .memberStarted(member: cluster.clusterName, snapshot: snapshot), at: position)
                return true
            }
        }
        events.append(.memberStarted(member: cluster.clusterName, snapshot: snapshot))
        return true
    }

    /// A member update succeeds when its binding is Available (or, for ReportDiff, reports its
    /// diff) at the binding's current generation.
    mutating func result(
        of binding: Binding, _ cluster: inout ClusterUpdatingStatus
    ) -> ClusterResult {
        let current = binding.generation
        if binding.conditions.isTrue(.available, generation: current)
            || binding.conditions.isTrue(.diffReported, generation: current) {
            cluster.markSucceeded(generation: generation, now: now)
            events.append(.memberSucceeded(member: cluster.clusterName))
            return .succeeded
        }
        if let failure = Self.failureSignal(binding) {
            events.append(.memberUpdateFailing(member: cluster.clusterName, message: failure))
            return .failing
        }
        return .updating
    }

    /// Reasons that mean "not there yet" rather than "went wrong".
    static let pendingReasons: Set<String> = [
        "OverriddenPending", "WorkNotSynchronizedYet", "ApplyPending", Reason.awaitingReport,
    ]

    static func failureSignal(_ binding: Binding) -> String? {
        let current = binding.generation
        let types: [BindingConditionType] = [.overridden, .workSynchronized, .applied, .available]
        for type in types {
            if let condition = binding.conditions[type], condition.status == .false,
               condition.observedGeneration == current, !pendingReasons.contains(condition.reason) {
                return describeFailure(condition)
            }
        }
        if let condition = binding.conditions[.diffReported], condition.status == .false,
           condition.observedGeneration == current {
            return describeFailure(condition)
        }
        return nil
    }

    static func describeFailure(_ condition: Condition<BindingConditionType>) -> String {
        let text = "\(condition.type.rawValue) is False with reason '\(condition.reason)'"
        return condition.message.isEmpty ? text : text + ": \(condition.message)"
    }

    func isStuck(_ cluster: ClusterUpdatingStatus) -> Bool {
        guard let started = cluster.conditions[.started] else { return false }
        return now.timeIntervalSince(started.lastTransitionTime) > RolloutTiming.stuckThreshold
    }

    /// Stuck clusters turn the run's Progressing False; otherwise a running run is progressing.
    mutating func recordStuck(_ stuck: [String], stage: String) {
        if stuck.isEmpty {
            if run.spec.state == .run {
                run.status.markProgressing(generation: generation, now: now)
            }
            return
        }
        let wasStuck = run.status.progressingReason == Reason.updateRunStuck
        run.status.markStuck(stage: stage, clusters: stuck, generation: generation, now: now)
        if !wasStuck { events.append(.stuck(stage: stage, members: stuck)) }
    }

    func preempted(_ cluster: String, stage: String, binding: Binding) -> RolloutError {
        .aborted(
            .user, "the binding of the updating cluster `\(cluster)` in the stage `\(stage)` is "
                + "not up-to-date with the desired status, please check the status of binding "
                + "`\(binding.meta.key)` and see if there is a concurrent updateRun referencing "
                + "the same placement and updating the same cluster")
    }

    // MARK: - Bindings

    /// `<placement>-<index>-snapshot` of the index recorded at initialization.
    var targetSnapshotName: String {
        let index = Int(run.status.resourceSnapshotIndexUsed ?? "") ?? 0
        return ResourceSnapshot.name(placement: run.spec.placementName, index: index)
    }

    /// Same snapshot and apply strategy as the run wants (gitfleet has no override snapshots).
    func isInSync(_ binding: Binding) -> Bool {
        binding.resourceSnapshotName == targetSnapshotName
            && binding.applyStrategy == run.status.appliedStrategy
    }

    /// A spec change bumps the generation, so conditions written for the old spec no longer
    /// count, and the new snapshot is not rendered anywhere yet.
    func changedSpec(_ binding: inout Binding) {
        binding.meta.generation += 1
        binding.renderedCommit = nil
    }

    /// Removed first, so that its transition time is this moment even if it was True before.
    func markRolloutStarted(_ binding: inout Binding) {
        binding.conditions.remove(.rolloutStarted)
        binding.conditions.set(
            .rolloutStarted, .true, reason: Reason.rolloutStarted,
            message: "Detected the new changes on the resources and started the rollout process, "
                + "resourceSnapshotIndex: \(run.spec.resourceSnapshotIndex ?? ""), "
                + "updateRun: \(run.meta.name)",
            generation: binding.generation, now: now)
    }
}
