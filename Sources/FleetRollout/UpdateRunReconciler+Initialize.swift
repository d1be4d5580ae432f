import FleetAPI
import Foundation

// Initialization runs once per run. Its steps run in KubeFleet's order and the first fatal
// error wins: placement, policy snapshot, bindings, strategy, stages, deletion stage, resource
// snapshot. Fields filled in before a failure stay in the status, as KubeFleet writes them.

extension Reconciliation {
    mutating func initialize() throws(RolloutError) -> CollectedBindings {
        let collected = try initializeStages()
        try resolveResourceSnapshot()
        run.status.markInitialized(generation: generation, now: now)
        events.append(.initialized)
        return collected
    }

    /// Steps 1 to 6: everything before the resource snapshot.
    mutating func initializeStages() throws(RolloutError) -> CollectedBindings {
        let placement = try resolvePlacement()
        run.status.appliedStrategy = placement.spec.strategy.applyStrategy

        let (policySnapshot, observedCount) = try recordPolicySnapshot()
        let (collected, clusterCount) = try collectBindings(
            latest: policySnapshot, observedCount: observedCount, initializing: true)
        run.status.policyObservedClusterCount = clusterCount

        guard let strategy = inputs.strategy,
              strategy.meta.name == run.spec.stagedRolloutStrategyName,
              strategy.meta.namespace == run.meta.namespace
        else {
            throw .initialization(.user, "referenced updateStrategy not found: `\(strategyKey)`")
        }
        try checkUniqueStageNames(strategy.stages)
        run.status.stagedUpdateStrategySnapshot = strategy.stages.map(StrategySnapshot.copy(of:))
        // The checks run on the strategy as written, so a waitTime on an Approval task is
        // still reported; the stored copy no longer has it.
        run.status.stagesStatus = try computeStages(strategy.stages, selected: collected.selected)
        let deleting = collected.toBeDeleted.map(\.targetCluster).sorted(by: byteOrder)
        run.status.deletionStageStatus = StageUpdatingStatus(
            stageName: StageUpdatingStatus.deletionStageName,
            clusters: deleting.map { ClusterUpdatingStatus(clusterName: $0) })
        return collected
    }

    // MARK: - Steps shared with validation

    /// Step 1: the placement exists and leaves rollouts to runs.
    func resolvePlacement() throws(RolloutError) -> Placement {
        guard let placement = inputs.placement, placement.meta.name == run.spec.placementName,
              placement.meta.namespace == run.meta.namespace
        else {
            throw .initialization(.user, "parent placement not found")
        }
        switch placement.spec.strategy.type {
        case .external:
            return placement
        case .rollingUpdate:
            throw .initialization(
                .user, "parent placement does not have an external rollout strategy, "
                    + "current strategy: \(placement.spec.strategy.type.rawValue)")
        }
    }

    /// Step 2, recording as KubeFleet does: the index as soon as the snapshot is found, the
    /// count before the scheduling check.
    mutating func recordPolicySnapshot() throws(RolloutError) -> (PolicySnapshot, Int) {
        let snapshot = try latestPolicySnapshot()
        run.status.policySnapshotIndexUsed = String(snapshot.index)
        let count = try observedClusterCount(of: snapshot)
        run.status.policyObservedClusterCount = count
        try checkFullyScheduled(snapshot)
        return (snapshot, count)
    }

    /// The one latest policy snapshot of the placement.
    func latestPolicySnapshot() throws(RolloutError) -> PolicySnapshot {
        let latest = inputs.policySnapshots.filter {
            $0.isLatest && $0.placementName == run.spec.placementName
                && $0.meta.namespace == run.meta.namespace
        }
        guard latest.count == 1, let snapshot = latest.first else {
            if latest.isEmpty {
                throw .initialization(
                    .plain, "no latest policy snapshot found for placement `\(placementKey)`")
            }
            throw .initialization(
                .unexpected, "multiple active policy snapshots found for placement "
                    + "`\(placementKey)`: got \(latest.count), want 1")
        }
        return snapshot
    }

    /// The cluster count the policy asks for: -1 for PickAll, whose count comes from the
    /// bindings.
    func observedClusterCount(of snapshot: PolicySnapshot) throws(RolloutError) -> Int {
        guard let policy = snapshot.policy else { return -1 }
        switch policy.placementType {
        case .pickAll:
            return -1
        case .pickN:
            guard let wanted = snapshot.numberOfClusters, wanted >= 0 else {
                throw .initializationComma(
                    .unexpected, "the policy snapshot `\(snapshot.meta.key)` doesn't have "
                        + "valid cluster count annotation")
            }
            return wanted
        case .pickFixed:
            return policy.clusterNames.count
        }
    }

    /// A run made before the scheduler finished fails for good, as in KubeFleet.
    func checkFullyScheduled(_ snapshot: PolicySnapshot) throws(RolloutError) {
        guard snapshot.conditions.isTrue(.scheduled, generation: snapshot.meta.generation) else {
            throw .initialization(
                .plain, "policy snapshot `\(snapshot.meta.name)` not fully scheduled yet")
        }
    }

    /// Step 3: splits the placement's bindings into selected and to-be-deleted, and checks
    /// the selected count against the policy's (PickAll takes the count it finds).
    func collectBindings(
        latest: PolicySnapshot, observedCount: Int, initializing: Bool
    ) throws(RolloutError) -> (CollectedBindings, Int) {
        var collected = CollectedBindings(selected: [], toBeDeleted: [])
        let own = bindings
            .filter {
                $0.placementName == run.spec.placementName
                    && $0.namespace == run.meta.namespace
            }
            .sorted { byteOrder($0.name, $1.name) }
        for binding in own {
            if binding.schedulingPolicySnapshotName == latest.meta.name {
                switch binding.state {
                case .unscheduled: collected.toBeDeleted.append(binding)
                case .scheduled, .bound: collected.selected.append(binding)
                }
                continue
            }
            switch binding.state {
            case .unscheduled:
                collected.toBeDeleted.append(binding)
            case .scheduled, .bound:
                // The scheduler has not caught up with the new policy yet.
                throw .retriable(
                    "binding `\(binding.meta.key)` with old policy snapshot "
                        + "`\(binding.schedulingPolicySnapshotName)` has state "
                        + "\(binding.state.rawValue), we might observe a transient state, need retry")
            }
        }
        // Only a new run needs something to do: a finished deletion stage leaves none.
        if initializing && collected.selected.isEmpty && collected.toBeDeleted.isEmpty {
            throw .initialization(
                .plain, "no scheduled or to-be-deleted bindings found for the latest policy "
                    + "snapshot \(latest.meta.key)")
        }
        if observedCount == -1 {
            return (collected, collected.selected.count)
        }
        guard observedCount == collected.selected.count else {
            throw .initialization(
                .unexpected, "the number of selected bindings \(collected.selected.count) is not "
                    + "equal to the observed cluster count \(observedCount)")
        }
        return (collected, observedCount)
    }

    // MARK: - Steps of initialization only

    /// gitfleet checks what KubeFleet only documents: two stages of one name would share
    /// their approval requests.
    func checkUniqueStageNames(_ stages: [StageConfig]) throws(RolloutError) {
        var seen = Set<String>()
        for stage in stages where !seen.insert(stage.name).inserted {
            throw .initialization(
                .user, "the stage name `\(stage.name)` appears more than once in updateStrategy "
                    + "`\(strategyKey)`, stage names must be unique")
        }
    }

    /// Step 7: the snapshot the run rolls out, named by index or made from the content of the
    /// commit that added the run.
    mutating func resolveResourceSnapshot() throws(RolloutError) {
        let own = inputs.resourceSnapshots.filter {
            $0.placementName == run.spec.placementName && $0.meta.namespace == run.meta.namespace
        }
        let master: ResourceSnapshot
        if let text = run.spec.resourceSnapshotIndex {
            guard case let .success(index) = GoStrconv.atoi(text), index >= 0 else {
                throw .initialization(
                    .user, "invalid resource snapshot index `\(text)` provided, expected an "
                        + "integer >= 0")
            }
            // The index label is matched as written, so `01` parses but finds nothing.
            let parts = own.filter {
                ($0.meta.labels[FleetLabel.resourceIndex] ?? String($0.index)) == text
            }
            guard !parts.isEmpty else {
                throw .initialization(
                    .user, "no resourceSnapshots with index `\(index)` found for placement "
                        + "`\(placementKey)`")
            }
            guard let found = parts.first(where: { !$0.resourceHash.isEmpty }) else {
                throw .initialization(
                    .unexpected, "no master resourceSnapshot found for placement "
                        + "`\(placementKey)` with index `\(index)`")
            }
            master = found
        } else {
            guard let index = inputs.currentContentSnapshotIndex else {
                throw .initialization(
                    .user, "no resource snapshot could be made for placement `\(placementKey)` "
                        + "from the content of the commit that added the run"
                        + (inputs.contentSnapshotProblem.map { ": \($0)" } ?? ""))
            }
            guard let found = own.first(where: { $0.index == index && !$0.resourceHash.isEmpty })
            else {
                throw .initialization(
                    .unexpected, "no resourceSnapshots with index `\(index)` found for placement "
                        + "`\(placementKey)`")
            }
            master = found
        }
        run.status.resourceSnapshotIndexUsed = String(master.index)
    }
}

/// The copy of a strategy stage a run keeps in its status.
enum StrategySnapshot {
    /// Approval tasks lose their waitTime; wait times are written in Go's duration form
    /// (`1m` becomes `1m0s`), as KubeFleet serialises them.
    static func copy(of stage: StageConfig) -> StageConfig {
        var copy = stage
        copy.beforeStageTasks = stage.beforeStageTasks.map(copy(of:))
        copy.afterStageTasks = stage.afterStageTasks.map(copy(of:))
        return copy
    }

    static func copy(of task: StageTask) -> StageTask {
        switch task.type {
        case .approval:
            return StageTask(type: .approval)
        case .timedWait:
            let wait = task.waitTime.map { WaitDuration(text: $0.goString, seconds: $0.seconds) }
            return StageTask(type: .timedWait, waitTime: wait)
        }
    }
}
