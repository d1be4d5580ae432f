import FleetAPI
import FleetRollout
import Foundation

/// The tick clock's starting point in every test.
let start = Date(timeIntervalSince1970: 1_700_000_000)

/// A stand-in for the sync engine: it holds the hub's state, feeds it to the reconciler,
/// applies the result, and confirms member updates on the tick after they were written (as
/// the push that rendered them would).
struct FleetSimulation {
    var placementName = "app"
    var namespace: String?
    var members: [String: MemberCluster] = [:]
    var placement: Placement?
    var policySnapshots: [PolicySnapshot] = []
    var bindings: [Binding] = []
    var strategy: StagedUpdateStrategy?
    var resourceSnapshots: [ResourceSnapshot] = []
    var approvals: [String: ApprovalRequest] = [:]
    var contentIndex: Int? = 1
    var now = start
    /// Members whose updates are never confirmed (their agent never reports back).
    var unconfirmed: Set<String> = []
    /// How the engine confirms an update: `Available`, or `DiffReported` for ReportDiff.
    var confirmation = BindingConditionType.available

    /// A PickAll placement (unless `policy` says otherwise) over `members`, every one of them
    /// scheduled, with resource snapshots 0 and 1 and a strategy named `strategy`.
    init(
        members: [(String, [String: String])], stages: [StageConfig],
        policy: PlacementPolicy? = nil, namespace: String? = nil
    ) {
        self.namespace = namespace
        for (name, labels) in members {
            self.members[name] = MemberCluster(meta: ObjectMeta(name: name, labels: labels))
        }
        var spec = PlacementSpec(resourceSelectors: [
            ResourceSelector(group: "", version: "v1", kind: "Namespace", name: "app"),
        ])
        spec.policy = policy
        spec.strategy = RolloutStrategy(type: .external)
        placement = Placement(
            meta: ObjectMeta(name: placementName, namespace: namespace), spec: spec)
        strategy = StagedUpdateStrategy(
            meta: ObjectMeta(name: "strategy", namespace: namespace), stages: stages)
        resourceSnapshots = [snapshot(0), snapshot(1)]
        let selected = policy?.placementType == .pickFixed
            ? policy?.clusterNames ?? [] : members.map(\.0)
        schedule(selected.sorted(), policy: policy, index: 0)
    }

    func snapshot(_ index: Int) -> ResourceSnapshot {
        ResourceSnapshot(
            meta: ObjectMeta(
                name: ResourceSnapshot.name(placement: placementName, index: index),
                namespace: namespace,
                labels: [FleetLabel.resourceIndex: String(index)]),
            placementName: placementName, index: index, isLatest: index == 1,
            resourceHash: "hash\(index)", sourceCommit: "commit\(index)", selectedResources: [])
    }

    /// What the scheduler would do: a new latest policy snapshot `index` picking `clusters`;
    /// bindings of clusters it drops become Unscheduled.
    mutating func schedule(
        _ clusters: [String], policy: PlacementPolicy?, index: Int, scheduled: Bool = true
    ) {
        for position in policySnapshots.indices { policySnapshots[position].isLatest = false }
        let name = PolicySnapshot.name(placement: placementName, index: index)
        var snapshot = PolicySnapshot(
            meta: ObjectMeta(name: name, namespace: namespace), placementName: placementName,
            index: index, isLatest: true, policy: policy, policyHash: "policy\(index)",
            numberOfClusters: policy?.numberOfClusters, placementGeneration: index + 1,
            targetClusters: clusters)
        snapshot.conditions.set(
            .scheduled, scheduled ? .true : .false, reason: "Scheduled", generation: 1, now: now)
        policySnapshots.removeAll { $0.index == index }
        policySnapshots.append(snapshot)
        for position in bindings.indices {
            if clusters.contains(bindings[position].targetCluster) {
                bindings[position].schedulingPolicySnapshotName = name
            } else {
                bindings[position].state = .unscheduled
            }
        }
        for cluster in clusters where !bindings.contains(where: { $0.targetCluster == cluster }) {
            bindings.append(Binding(
                meta: ObjectMeta(
                    name: Binding.name(placement: placementName, member: cluster),
                    namespace: namespace),
                placementName: placementName, targetCluster: cluster, state: .scheduled,
                schedulingPolicySnapshotName: name))
        }
    }

    func makeRun(
        _ name: String = "run1", index: String? = nil, state: UpdateRunState = .run
    ) -> UpdateRun {
        UpdateRun(
            meta: ObjectMeta(name: name, namespace: namespace),
            spec: UpdateRunSpec(
                placementName: placementName, resourceSnapshotIndex: index,
                stagedRolloutStrategyName: "strategy", state: state),
            origin: .committed(file: "runs/\(name).yaml"))
    }

    func inputs() -> RolloutInputs {
        RolloutInputs(
            placement: placement, policySnapshots: policySnapshots, bindings: bindings,
            members: members, strategy: strategy, resourceSnapshots: resourceSnapshots,
            currentContentSnapshotIndex: contentIndex, approvalRequests: approvals, now: now)
    }

    /// One sync tick for `run`: confirm what the last tick pushed, reconcile, apply.
    @discardableResult
    mutating func tick(_ run: inout UpdateRun) -> RolloutResult {
        confirmPushedUpdates()
        let result = UpdateRunReconciler.reconcile(run, inputs: inputs())
        apply(result)
        run = result.run
        return result
    }

    mutating func apply(_ result: RolloutResult) {
        for binding in result.bindingUpdates {
            if let index = bindings.firstIndex(where: { $0.meta.name == binding.meta.name }) {
                bindings[index] = binding
            } else {
                bindings.append(binding)
            }
        }
        bindings.removeAll { result.bindingDeletions.contains($0.meta.name) }
        for request in result.approvalRequests { approvals[request.meta.name] = request }
    }

    /// Bound bindings whose rollout started are confirmed unless their member is held back.
    mutating func confirmPushedUpdates() {
        for index in bindings.indices {
            let binding = bindings[index]
            let generation = binding.meta.generation
            guard binding.state == .bound, !unconfirmed.contains(binding.targetCluster),
                  binding.conditions.isTrue(.rolloutStarted, generation: generation),
                  !binding.conditions.isTrue(confirmation, generation: generation)
            else { continue }
            bindings[index].conditions.set(
                confirmation, .true, reason: Reason.availableByPush, generation: generation,
                now: now)
        }
    }

    mutating func advance(_ seconds: TimeInterval) {
        now = now.addingTimeInterval(seconds)
    }

    /// A person commits `Approved` (at the request's generation unless told otherwise).
    mutating func approve(_ name: String, observedGeneration: Int? = nil) {
        guard var request = approvals[name] else { return }
        request.conditions.set(
            .approved, .true, reason: "ApprovalRequestApproved",
            generation: observedGeneration ?? request.meta.generation, now: now)
        approvals[name] = request
    }

    func binding(_ member: String) -> Binding? {
        bindings.first { $0.targetCluster == member }
    }

    func snapshotName(_ member: String) -> String? {
        binding(member)?.resourceSnapshotName
    }

    /// Relabels a member, as a commit editing its MemberCluster would.
    mutating func label(_ member: String, _ key: String, _ value: String?) {
        members[member]?.meta.labels[key] = value
    }
}

/// A person edits the run's state; the spec change bumps its generation.
func setState(_ state: UpdateRunState, _ run: inout UpdateRun) {
    run.spec.state = state
    run.meta.generation += 1
}

/// A stage whose selector is `key=value`.
func stage(
    _ name: String, _ value: String, key: String = "env", sortingLabelKey: String? = nil,
    maxConcurrency: IntOrPercent? = nil, before: [StageTask] = [], after: [StageTask] = []
) -> StageConfig {
    StageConfig(
        name: name, labelSelector: LabelSelector(matchLabels: [key: value]),
        sortingLabelKey: sortingLabelKey, maxConcurrency: maxConcurrency,
        beforeStageTasks: before, afterStageTasks: after)
}

let approval = StageTask(type: .approval)

func timedWait(_ text: String) -> StageTask {
    StageTask(type: .timedWait, waitTime: WaitDuration(parsing: text))
}

extension UpdateRun {
    func condition(_ type: UpdateRunConditionType) -> Condition<UpdateRunConditionType>? {
        status.conditions[type]
    }

    var progressingReason: String? { status.conditions[.progressing]?.reason }
    var failureMessage: String? {
        status.conditions.isFalse(.succeeded) ? status.conditions[.succeeded]?.message : nil
    }
    var initializationMessage: String? {
        status.conditions.isFalse(.initialized) ? status.conditions[.initialized]?.message : nil
    }
    var succeeded: Bool { status.conditions.isTrue(.succeeded) }

    func stage(_ name: String) -> StageUpdatingStatus? {
        status.stagesStatus.first { $0.stageName == name }
    }

    func stageReason(_ name: String) -> String? {
        stage(name)?.conditions[.progressing]?.reason
    }

    /// The clusters of a stage, in order.
    func clusters(_ stage: String) -> [String] {
        self.stage(stage)?.clusters.map(\.clusterName) ?? []
    }

    func started(_ cluster: String) -> Bool {
        allClusters.first { $0.clusterName == cluster }?.conditions.isTrue(.started) ?? false
    }

    func clusterSucceeded(_ cluster: String) -> Bool {
        allClusters.first { $0.clusterName == cluster }?.conditions.isTrue(.succeeded) ?? false
    }

    var allClusters: [ClusterUpdatingStatus] {
        status.stagesStatus.flatMap(\.clusters) + (status.deletionStageStatus?.clusters ?? [])
    }
}

let initPrefix = "cannot continue the updateRun: failed to validate the updateRun: "
let userPrefix = "failed to process the request due to a client error: "
let unexpectedPrefix = "unexpected behavior which cannot be handled by the controller: "
