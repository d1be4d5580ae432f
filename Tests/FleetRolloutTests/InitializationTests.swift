import FleetAPI
import FleetRollout
import Foundation
import Testing

@Suite("initialization")
struct InitializationTests {
    /// Three members in one stage, as most initialization tests need nothing more.
    static func fleet(stages: [StageConfig]? = nil, policy: PlacementPolicy? = nil) -> FleetSimulation {
        FleetSimulation(
            members: [("m1", ["env": "prod"]), ("m2", ["env": "prod"]), ("m3", ["env": "prod"])],
            stages: stages ?? [stage("prod", "prod")], policy: policy)
    }

    /// Initializes a fresh run and returns its `Initialized=False` message.
    static func failure(_ fleet: inout FleetSimulation, index: String? = nil) -> String? {
        var run = fleet.makeRun(index: index)
        fleet.tick(&run)
        #expect(run.condition(.initialized)?.reason == Reason.updateRunInitializeFailed)
        #expect(run.condition(.progressing) == nil)
        #expect(run.condition(.succeeded) == nil)
        return run.initializationMessage
    }

    @Test("edge 1: a run before the policy snapshot exists fails for good")
    func noPolicySnapshot() {
        var fleet = Self.fleet()
        fleet.policySnapshots = []
        var run = fleet.makeRun()
        fleet.tick(&run)
        #expect(run.initializationMessage
            == initPrefix + "no latest policy snapshot found for placement `app`")
        // Permanent: the snapshot appearing later changes nothing for this run.
        fleet.schedule(["m1", "m2", "m3"], policy: nil, index: 0)
        #expect(!fleet.tick(&run).changed)
        #expect(run.status.conditions.isFalse(.initialized))
    }

    @Test("edge 1: a run before scheduling finished fails for good")
    func notScheduledYet() {
        var fleet = Self.fleet()
        fleet.schedule(["m1", "m2", "m3"], policy: nil, index: 0, scheduled: false)
        #expect(Self.failure(&fleet)
            == initPrefix + "policy snapshot `app-0` not fully scheduled yet")
    }

    @Test("edge 2: a RollingUpdate placement is refused")
    func rollingUpdatePlacement() {
        var fleet = Self.fleet()
        fleet.placement?.spec.strategy.type = .rollingUpdate
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "parent placement does not have an external rollout strategy, current strategy: "
            + "RollingUpdate")
    }

    @Test("edge 3: PickN asking for more clusters than exist is not fully scheduled")
    func pickNShort() {
        let policy = PlacementPolicy(placementType: .pickN, numberOfClusters: 5)
        var fleet = Self.fleet(policy: policy)
        fleet.schedule(["m1", "m2", "m3"], policy: policy, index: 0, scheduled: false)
        #expect(Self.failure(&fleet)
            == initPrefix + "policy snapshot `app-0` not fully scheduled yet")
    }

    @Test("edge 4: PickAll with no matching cluster and no old binding")
    func noBindings() {
        var fleet = Self.fleet()
        fleet.bindings = []
        #expect(Self.failure(&fleet) == initPrefix
            + "no scheduled or to-be-deleted bindings found for the latest policy snapshot app-0")
    }

    @Test("edge 5: a cluster matched by two stages")
    func clusterInTwoStages() {
        var fleet = Self.fleet(stages: [
            stage("a", "prod"),
            StageConfig(name: "b", labelSelector: LabelSelector(matchLabels: [
                FleetLabel.memberName: "m2",
            ])),
        ])
        #expect(Self.failure(&fleet)
            == initPrefix + userPrefix + "cluster `m2` appears in more than one stages")
    }

    @Test("edge 6: twelve clusters in no stage are counted and ten are named")
    func unplacedClusters() {
        let names = (1...12).map { String(format: "c%02d", $0) }
        var fleet = FleetSimulation(
            members: names.map { ($0, ["env": "prod"]) }, stages: [stage("canary", "canary")])
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "some clusters are not placed in any stage, total 12, showing up to 10: "
            + names.prefix(10).joined(separator: ", "))
    }

    @Test("edge 7: a stage without a selector is empty and skipped with both times set")
    func stageWithoutSelector() {
        var fleet = Self.fleet(stages: [StageConfig(name: "none"), stage("prod", "prod")])
        var run = fleet.makeRun()
        fleet.tick(&run)
        let skipped = run.stage("none")
        #expect(run.clusters("none").isEmpty)
        #expect(skipped?.conditions[.progressing]?.status == .false)
        #expect(skipped?.conditions[.progressing]?.reason == Reason.stageUpdatingSkippedNoClusters)
        #expect(skipped?.conditions[.succeeded]?.status == .true)
        #expect(skipped?.conditions[.succeeded]?.message
            == "Stage skipped because it has no clusters")
        #expect(skipped?.startTime == start)
        #expect(skipped?.endTime == start)
        #expect(run.started("m1"))
    }

    @Test("edge 8: an empty selector takes every selected cluster into its stage")
    func emptySelectorTakesAll() {
        var fleet = Self.fleet(stages: [
            StageConfig(name: "all", labelSelector: LabelSelector()), stage("later", "canary"),
        ])
        var run = fleet.makeRun()
        fleet.tick(&run)
        #expect(run.clusters("all") == ["m1", "m2", "m3"])
        #expect(run.clusters("later").isEmpty)
    }

    @Test("edge 8: an empty selector and any overlapping stage is a duplicate")
    func emptySelectorOverlap() {
        var fleet = Self.fleet(stages: [
            StageConfig(name: "all", labelSelector: LabelSelector()), stage("prod", "prod"),
        ])
        #expect(Self.failure(&fleet)
            == initPrefix + userPrefix + "cluster `m1` appears in more than one stages")
    }

    @Test("edge 9: a cluster without the sorting label fails initialization")
    func missingSortLabel() {
        var fleet = Self.fleet(stages: [stage("prod", "prod", sortingLabelKey: "order")])
        fleet.label("m1", "order", "1")
        fleet.label("m3", "order", "3")
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "the sorting label `order:` on cluster `m2` is not valid: "
            + "strconv.Atoi: parsing \"\": invalid syntax")
    }

    @Test("edge 10: sorting labels compare as integers, ties by name")
    func numericSortOrder() {
        let orders = [("ten", "10"), ("nine", "9"), ("minus", "-1"), ("seven", "007"),
                      ("b5", "5"), ("a5", "5")]
        var fleet = FleetSimulation(
            members: orders.map { ($0.0, ["env": "prod", "order": $0.1]) },
            stages: [stage("prod", "prod", sortingLabelKey: "order")])
        var run = fleet.makeRun()
        fleet.tick(&run)
        #expect(run.clusters("prod") == ["minus", "a5", "b5", "seven", "nine", "ten"])
    }

    @Test("sorting labels Go's Atoi accepts", arguments: [
        "+3", "-9223372036854775808", "9223372036854775807", "0003", "-0",
    ])
    func acceptedSortLabel(value: String) {
        var fleet = Self.fleet(stages: [stage("prod", "prod", sortingLabelKey: "order")])
        for member in ["m1", "m2", "m3"] { fleet.label(member, "order", "1") }
        fleet.label("m2", "order", value)
        var run = fleet.makeRun(state: .initialize)
        fleet.tick(&run)
        #expect(run.status.conditions.isTrue(.initialized))
    }

    @Test("edge 11: a sorting label that is not an integer", arguments: [
        ("high", "strconv.Atoi: parsing \"high\": invalid syntax"),
        (" 1", "strconv.Atoi: parsing \" 1\": invalid syntax"),
        ("1.5", "strconv.Atoi: parsing \"1.5\": invalid syntax"),
        ("99999999999999999999", "strconv.Atoi: parsing \"99999999999999999999\": value out of range"),
    ])
    func badSortLabel(value: String, error: String) {
        var fleet = Self.fleet(stages: [stage("prod", "prod", sortingLabelKey: "order")])
        for member in ["m1", "m2", "m3"] { fleet.label(member, "order", "1") }
        fleet.label("m2", "order", value)
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "the sorting label `order:\(value)` on cluster `m2` is not valid: \(error)")
    }

    @Test("edge 14: a TimedWait before a stage, if it slips past the API, fails initialization")
    func timedWaitBeforeStage() {
        var fleet = Self.fleet(stages: [stage("prod", "prod", before: [timedWait("1m")])])
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "the before stage tasks are invalid, updateStrategy: `strategy`, stage: prod, "
            + "err: task 0 of type TimedWait is not allowed in beforeStageTasks, allowed type: "
            + "Approval")
    }

    @Test("edge 15: two Approval tasks after a stage")
    func twoAfterApprovals() {
        var fleet = Self.fleet(stages: [stage("prod", "prod", after: [approval, approval])])
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "the after stage tasks are invalid, updateStrategy: `strategy`, stage: prod, "
            + "err: afterStageTasks cannot have two tasks of the same type: Approval")
    }

    @Test("edge 16: a TimedWait of 0s")
    func zeroWait() {
        var fleet = Self.fleet(stages: [stage("prod", "prod", after: [timedWait("0s")])])
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "the after stage tasks are invalid, updateStrategy: `strategy`, stage: prod, "
            + "err: task 0 of type TimedWait has wait duration <= 0")
    }

    @Test("edge 25: state Initialize records the plan and touches nothing")
    func initializeOnly() {
        var fleet = Self.fleet()
        var run = fleet.makeRun(state: .initialize)
        let result = fleet.tick(&run)
        #expect(run.status.conditions.isTrue(.initialized))
        #expect(run.condition(.initialized)?.message == "The UpdateRun initialized successfully")
        #expect(run.clusters("prod") == ["m1", "m2", "m3"])
        #expect(run.status.resourceSnapshotIndexUsed == "1")
        #expect(run.condition(.progressing) == nil)
        #expect(result.bindingUpdates.isEmpty)
        #expect(result.nextWakeup == nil)
        fleet.advance(3600)
        #expect(!fleet.tick(&run).changed)
        setState(.run, &run)
        fleet.tick(&run)
        #expect(run.started("m1"))
        #expect(run.progressingReason == Reason.updateRunProgressing)
    }

    @Test("edge 31: an invalid resourceSnapshotIndex", arguments: [
        ("abc", "invalid resource snapshot index `abc` provided, expected an integer >= 0"),
        ("-1", "invalid resource snapshot index `-1` provided, expected an integer >= 0"),
        ("7", "no resourceSnapshots with index `7` found for placement `app`"),
        ("01", "no resourceSnapshots with index `1` found for placement `app`"),
    ])
    func invalidIndex(index: String, message: String) {
        var fleet = Self.fleet()
        #expect(Self.failure(&fleet, index: index) == initPrefix + userPrefix + message)
    }

    @Test("edge 32: an omitted index rolls out the snapshot of the commit that added the run")
    func omittedIndexUsesCommitContent() {
        var fleet = Self.fleet()
        fleet.resourceSnapshots = [fleet.snapshot(0)]
        fleet.contentIndex = 0
        var run = fleet.makeRun()
        #expect(UpdateRunReconciler.needsContentSnapshot(run, inputs: fleet.inputs()))
        fleet.tick(&run)
        #expect(run.spec.resourceSnapshotIndex == nil)
        #expect(run.status.resourceSnapshotIndexUsed == "0")
        #expect(fleet.snapshotName("m1") == "app-0-snapshot")
        #expect(fleet.binding("m1")?.conditions[.rolloutStarted]?.message ==
            "Detected the new changes on the resources and started the rollout process, "
            + "resourceSnapshotIndex: , updateRun: run1")
        #expect(!UpdateRunReconciler.needsContentSnapshot(run, inputs: fleet.inputs()))
    }

    @Test("edge 32: no snapshot for the commit's content is a clear initialization failure")
    func omittedIndexWithoutSnapshot() {
        var fleet = Self.fleet()
        fleet.contentIndex = nil
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "no resource snapshot could be made for placement `app` from the content of the "
            + "commit that added the run")
    }

    @Test("an invalid run never asks for a snapshot")
    func invalidRunNeedsNoSnapshot() {
        var fleet = Self.fleet(stages: [stage("prod", "prod", after: [approval, approval])])
        #expect(!UpdateRunReconciler.needsContentSnapshot(fleet.makeRun(), inputs: fleet.inputs()))
        #expect(!UpdateRunReconciler.needsContentSnapshot(
            fleet.makeRun(index: "1"), inputs: fleet.inputs()))
        fleet.strategy = nil
        #expect(!UpdateRunReconciler.needsContentSnapshot(fleet.makeRun(), inputs: fleet.inputs()))
    }

    @Test("edge 48: duplicate stage names are a fatal initialization error in gitfleet")
    func duplicateStageNames() {
        var fleet = Self.fleet(stages: [
            stage("a", "prod", after: [approval]), stage("a", "canary", after: [approval]),
        ])
        #expect(Self.failure(&fleet) == initPrefix + userPrefix
            + "the stage name `a` appears more than once in updateStrategy `strategy`, stage "
            + "names must be unique")
    }

    @Test("a missing placement or strategy", arguments: [true, false])
    func missingObjects(placementMissing: Bool) {
        var fleet = Self.fleet()
        if placementMissing { fleet.placement = nil } else { fleet.strategy = nil }
        #expect(Self.failure(&fleet) == initPrefix + userPrefix + (placementMissing
            ? "parent placement not found" : "referenced updateStrategy not found: `strategy`"))
    }

    @Test("a namespaced run names namespaced keys")
    func namespacedKeys() {
        var fleet = FleetSimulation(
            members: [("m1", ["env": "prod"])], stages: [stage("prod", "prod")], namespace: "team")
        fleet.strategy = nil
        #expect(Self.failure(&fleet)
            == initPrefix + userPrefix + "referenced updateStrategy not found: `team/strategy`")
    }

    @Test("PickFixed with a cluster short of bindings is unexpected")
    func pickFixedCountMismatch() {
        let policy = PlacementPolicy(placementType: .pickFixed, clusterNames: ["m1", "m2", "m3"])
        var fleet = Self.fleet(policy: policy)
        fleet.bindings.removeAll { $0.targetCluster == "m3" }
        #expect(Self.failure(&fleet) == initPrefix + unexpectedPrefix
            + "the number of selected bindings 2 is not equal to the observed cluster count 3")
    }

    @Test("a binding still on an old policy snapshot is a transient state, retried")
    func transientBinding() {
        var fleet = Self.fleet()
        fleet.bindings[0].schedulingPolicySnapshotName = "app-old"
        var run = fleet.makeRun()
        let result = fleet.tick(&run)
        #expect(!result.changed)
        #expect(run.condition(.initialized) == nil)
        #expect(result.events.count == 1)
        #expect(result.nextWakeup != nil)
    }

    @Test("the strategy copy drops Approval wait times and writes Go durations")
    func strategyCopy() throws {
        var fleet = Self.fleet(stages: [
            stage("prod", "prod", after: [
                StageTask(type: .approval, waitTime: WaitDuration(parsing: "1m")),
                timedWait("90s"),
            ]),
        ])
        var run = fleet.makeRun(state: .initialize)
        fleet.tick(&run)
        let copy = try #require(run.status.stagedUpdateStrategySnapshot?.first)
        #expect(copy.afterStageTasks[0].waitTime == nil)
        #expect(copy.afterStageTasks[1].waitTime?.text == "1m30s")
        #expect(run.stage("prod")?.afterStageTaskStatus.map(\.approvalRequestName)
            == ["run1-after-prod", nil])
        #expect(run.status.appliedStrategy == ApplyStrategy())
    }
}
