import Foundation
import FleetAPI
import FleetEngine
import FleetYAML
import GitFleetCLI

/// A fleet state with every listed kind, at fixed times, for table and dispatch tests.
enum Fixture {
    /// The clock tables count AGE from: 2025-03-01T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_740_830_400)

    static func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }

    static let minute: TimeInterval = 60
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86400

    static var state: FleetState {
        var state = FleetState()
        for member in [
            MemberCluster(meta: ObjectMeta(name: "member-1",
                                           creationTimestamp: ago(5 * day + 3 * hour))),
            MemberCluster(meta: ObjectMeta(name: "member-2", creationTimestamp: ago(45))),
            MemberCluster(meta: ObjectMeta(name: "member-3")),
        ] {
            state.members[member.name] = member
        }
        addPlacements(to: &state)
        addRuns(to: &state)
        addSnapshots(to: &state)
        return state
    }

    private static func addPlacements(to state: inout FleetState) {
        let selector = ResourceSelector(group: "", version: "v1", kind: "Namespace", name: "app")
        let app = Placement(
            meta: ObjectMeta(name: "app", generation: 2, creationTimestamp: ago(2 * day)),
            spec: PlacementSpec(resourceSelectors: [selector],
                                policy: PlacementPolicy(placementType: .pickN, numberOfClusters: 2),
                                strategy: RolloutStrategy(type: .external)))
        let web = Placement(meta: ObjectMeta(name: "web"),
                            spec: PlacementSpec(resourceSelectors: [selector]))
        let api = Placement(meta: ObjectMeta(name: "api", namespace: "team-a"),
                            spec: PlacementSpec(resourceSelectors: [selector]))
        for placement in [app, web, api] { state.placements[placement.key] = placement }

        var appConditions = Conditions<PlacementConditionType>()
        appConditions.set(.scheduled, .true, reason: "Scheduled", generation: 2,
                          now: ago(20 * hour))
        appConditions.set(.workSynchronized, .true, reason: "Synced", generation: 2, now: ago(hour))
        appConditions.set(.available, .false, reason: "NotYet", generation: 1,
                          now: ago(30 * minute))
        state.placementStatuses[app.key] = PlacementStatus(
            placementKey: app.key, observedGeneration: 2, conditions: appConditions,
            bindings: [
                binding("app", member: "member-1", applied: .true, available: .true, age: 3 * hour),
                binding("app", member: "member-2", applied: .false, available: nil,
                        age: 10 * minute),
            ])

        var apiConditions = Conditions<PlacementConditionType>()
        apiConditions.set(.scheduled, .true, reason: "Scheduled", generation: 1, now: ago(200))
        state.placementStatuses[api.key] = PlacementStatus(
            placementKey: api.key, conditions: apiConditions,
            bindings: [binding("api", namespace: "team-a", member: "member-1", applied: .true,
                               available: .true, age: 90)])
    }

    private static func binding(
        _ placement: String, namespace: String? = nil, member: String,
        applied: ConditionStatus, available: ConditionStatus?, age: TimeInterval
    ) -> Binding {
        var conditions = Conditions<BindingConditionType>()
        conditions.set(.workSynchronized, .true, reason: "Synced", generation: 1, now: ago(age))
        conditions.set(.applied, applied, reason: "Applied", generation: 1, now: ago(age - 5))
        if let available {
            conditions.set(.available, available, reason: "Available", generation: 1,
                           now: ago(age - 10))
        }
        return Binding(
            meta: ObjectMeta(name: Binding.name(placement: placement, member: member),
                             namespace: namespace),
            placementName: placement, targetCluster: member, state: .bound,
            resourceSnapshotName: ResourceSnapshot.name(placement: placement, index: 0),
            schedulingPolicySnapshotName: PolicySnapshot.name(placement: placement, index: 0),
            conditions: conditions)
    }

    private static func addRuns(to state: inout FleetState) {
        let stage = StageConfig(name: "canary")
        for strategy in [
            StagedUpdateStrategy(meta: ObjectMeta(name: "three-stages",
                                                  creationTimestamp: ago(9 * day)),
                                 stages: [stage]),
            StagedUpdateStrategy(meta: ObjectMeta(name: "stages", namespace: "team-a",
                                                  creationTimestamp: ago(400 * day)),
                                 stages: [stage]),
        ] {
            state.strategies[strategy.key] = strategy
        }

        var running = Conditions<UpdateRunConditionType>()
        running.set(.initialized, .true, reason: "Init", generation: 1, now: ago(200))
        running.set(.progressing, .true, reason: "Progress", generation: 1, now: ago(190))
        var failed = Conditions<UpdateRunConditionType>()
        failed.set(.initialized, .false, reason: "Failed", generation: 1, now: ago(7 * hour))
        var done = Conditions<UpdateRunConditionType>()
        done.set(.initialized, .true, reason: "Init", generation: 1, now: ago(26 * hour))
        done.set(.progressing, .false, reason: "Done", generation: 1, now: ago(25 * hour))
        done.set(.succeeded, .true, reason: "Done", generation: 1, now: ago(25 * hour))
        let runs = [
            UpdateRun(
                meta: ObjectMeta(name: "run-1"),
                spec: UpdateRunSpec(placementName: "app", resourceSnapshotIndex: "0",
                                    stagedRolloutStrategyName: "three-stages", state: .run),
                status: UpdateRunStatus(policySnapshotIndexUsed: "0", conditions: running),
                origin: .committed(file: "runs/run-1.yaml")),
            UpdateRun(
                meta: ObjectMeta(name: "run-2"),
                spec: UpdateRunSpec(placementName: "app", stagedRolloutStrategyName: "missing"),
                status: UpdateRunStatus(conditions: failed),
                origin: .committed(file: "runs/run-2.yaml")),
            UpdateRun(
                meta: ObjectMeta(name: "api-7f3a9c1", namespace: "team-a"),
                spec: UpdateRunSpec(placementName: "api", resourceSnapshotIndex: "1",
                                    stagedRolloutStrategyName: "stages", state: .run),
                status: UpdateRunStatus(policySnapshotIndexUsed: "0", conditions: done),
                origin: .perCommit(commit: "7f3a9c1")),
            UpdateRun(
                meta: ObjectMeta(name: "rollback", namespace: "team-b"),
                spec: UpdateRunSpec(placementName: "api", stagedRolloutStrategyName: "stages"),
                origin: .committed(file: "team-b/rollback.yaml")),
        ]
        for run in runs { state.updateRuns[run.key] = run }

        var approved = Conditions<ApprovalRequestConditionType>()
        approved.set(.approved, .true, reason: "LGTM", generation: 1, now: ago(150))
        approved.set(.approvalAccepted, .true, reason: "Accepted", generation: 1, now: ago(120))
        var waiting = Conditions<ApprovalRequestConditionType>()
        waiting.set(.approvalAccepted, .unknown, reason: "Waiting", generation: 1, now: ago(100))
        let requests = [
            ApprovalRequest(meta: ObjectMeta(name: "run-1-after-canary"),
                            parentStageRollout: "run-1", targetStage: "canary",
                            conditions: approved),
            ApprovalRequest(meta: ObjectMeta(name: "run-1-before-prod"),
                            parentStageRollout: "run-1", targetStage: "prod",
                            conditions: waiting),
            ApprovalRequest(meta: ObjectMeta(name: "api-7f3a9c1-after-canary", namespace: "team-a"),
                            parentStageRollout: "api-7f3a9c1", targetStage: "canary"),
        ]
        for request in requests { state.approvalRequests[request.meta.key] = request }
    }

    private static func addSnapshots(to state: inout FleetState) {
        for (name, namespace, index, age) in [
            ("app", nil, 0, 2 * day), ("app", nil, 1, 3 * hour), ("api", "team-a", 0, 12 * day),
        ] as [(String, String?, Int, TimeInterval)] {
            let snapshot = ResourceSnapshot(
                meta: ObjectMeta(name: ResourceSnapshot.name(placement: name, index: index),
                                 namespace: namespace, creationTimestamp: ago(age)),
                placementName: name, index: index, isLatest: index == 1 || namespace != nil,
                resourceHash: "sha256:\(index)", sourceCommit: "c0ffee\(index)",
                selectedResources: [])
            state.resourceSnapshots[snapshot.meta.key] = snapshot
        }
        var scheduled = Conditions<PolicySnapshotConditionType>()
        scheduled.set(.scheduled, .true, reason: "Scheduled", generation: 1, now: ago(2 * day))
        for (name, namespace, generation) in [("app", nil, 2), ("api", "team-a", 1)]
            as [(String, String?, Int)] {
            let snapshot = PolicySnapshot(
                meta: ObjectMeta(name: PolicySnapshot.name(placement: name, index: 0),
                                 namespace: namespace, generation: generation),
                placementName: name, index: 0, isLatest: true, policy: nil, policyHash: "h",
                placementGeneration: generation, conditions: scheduled)
            state.policySnapshots[snapshot.meta.key] = snapshot
        }
    }
}

/// Actions over a fixed state, failing with `failure` when it is set.
struct FixtureActions: CommandActions {
    var state = Fixture.state
    var failure: (any Error & Sendable)?

    func sync(_ options: SyncOptions, context: CommandContext) async throws -> Int32 {
        context.logger.info("tick started", metadata: ["repo": "\(options.repo)"])
        context.logger.debug("fetching")
        if let failure { throw failure }
        return options.once ? 0 : 7
    }

    func loadState(repository: String?, context: CommandContext) throws -> FleetState {
        if let failure { throw failure }
        return state
    }

    func approve(_ options: ApproveOptions, context: CommandContext) throws -> String {
        if let failure { throw failure }
        return "approved '\(options.name)'"
    }

    func report(_ options: ReportOptions, context: CommandContext) throws -> String {
        if let failure { throw failure }
        return ""
    }
}

/// Runs a command line against `actions` with buffers and the fixture clock.
func runCommand(
    _ arguments: [String], actions: some CommandActions = FixtureActions()
) async -> (status: Int32, stdout: String, stderr: String) {
    let stdout = TextBuffer(), stderr = TextBuffer()
    let status = await runGitFleet(
        arguments: arguments, actions: actions, stdout: stdout, stderr: stderr,
        clock: { Fixture.now })
    return (status, stdout.text, stderr.text)
}
