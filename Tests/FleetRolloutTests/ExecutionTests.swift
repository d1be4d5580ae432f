import FleetAPI
import FleetRollout
import Foundation
import Testing

@Suite("execution")
struct ExecutionTests {
    static func fleet(_ count: Int = 3, stages: [StageConfig]? = nil) -> FleetSimulation {
        FleetSimulation(
            members: (1...count).map { ("m\($0)", ["env": "prod"]) },
            stages: stages ?? [stage("prod", "prod")])
    }

    @Test("edge 12: effective maxConcurrency", arguments: [
        (IntOrPercent.percent(50), 3, 1), (.percent(70), 3, 2), (.percent(100), 3, 3),
        (.count(10), 3, 3), (.percent(25), 1, 1), (.count(1), 3, 1),
    ])
    func maxConcurrency(value: IntOrPercent, clusters: Int, expected: Int) {
        #expect(min(MaxConcurrency.effective(value, clusterCount: clusters), clusters) == expected)
        var fleet = Self.fleet(clusters, stages: [stage("prod", "prod", maxConcurrency: value)])
        var run = fleet.makeRun()
        let result = fleet.tick(&run)
        #expect(result.bindingUpdates.count == expected)
        #expect(run.stage("prod")?.clusters.filter { $0.conditions.isTrue(.started) }.count
            == expected)
    }

    @Test("a finished cluster frees its slot for the next one in the same pass")
    func slotFreedInPass() {
        var fleet = Self.fleet(3, stages: [stage("prod", "prod", maxConcurrency: .count(2))])
        var run = fleet.makeRun()
        fleet.tick(&run)
        #expect(run.started("m1") && run.started("m2") && !run.started("m3"))
        fleet.unconfirmed = ["m2"]
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.clusterSucceeded("m1") && !run.clusterSucceeded("m2"))
        #expect(run.started("m3"))
    }

    @Test("edge 18: an empty stage with a before-stage approval creates no request")
    func emptyStageNoApproval() {
        var fleet = Self.fleet(2, stages: [
            stage("empty", "canary", before: [approval], after: [approval]),
            stage("prod", "prod"),
        ])
        var run = fleet.makeRun()
        let result = fleet.tick(&run)
        #expect(fleet.approvals.isEmpty)
        #expect(result.approvalRequests.isEmpty)
        #expect(run.stageReason("empty") == Reason.stageUpdatingSkippedNoClusters)
        #expect(result.events.contains(.stageSkipped(stage: "empty")))
        #expect(run.started("m1"))
    }

    @Test("edge 19: a before-stage approval holds the stage with no binding touched")
    func beforeStageApproval() throws {
        var fleet = Self.fleet(2, stages: [stage("prod", "prod", before: [approval])])
        var run = fleet.makeRun()
        var result = fleet.tick(&run)
        let request = try #require(fleet.approvals["run1-before-prod"])
        #expect(request.meta.labels == [
            FleetLabel.targetUpdatingStage: "prod", FleetLabel.targetUpdateRun: "run1",
            FleetLabel.taskType: "beforeStage", FleetLabel.isLatestUpdateRunApproval: "true",
        ])
        #expect(request.parentStageRollout == "run1")
        #expect(request.targetStage == "prod")
        #expect(request.meta.generation == 1)
        #expect(run.progressingReason == Reason.updateRunWaiting)
        #expect(run.condition(.progressing)?.status == .false)
        #expect(run.stageReason("prod") == Reason.stageUpdatingWaiting)
        #expect(run.stage("prod")?.conditions[.progressing]?.message
            == "Not all before-stage tasks are completed, waiting for approval")
        #expect(run.stage("prod")?.beforeStageTaskStatus.first?.conditions
            .isTrue(.approvalRequestCreated) == true)
        #expect(result.bindingUpdates.isEmpty)
        #expect(result.nextWakeup == nil, "an approval arrives as a commit, not with time")
        fleet.advance(60)
        result = fleet.tick(&run)
        #expect(!result.changed)
        #expect(fleet.binding("m1")?.state == .scheduled)
    }

    @Test("edge 20: an approval at a stale observedGeneration is not an approval")
    func staleApproval() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod", before: [approval])])
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.approve("run1-before-prod", observedGeneration: 0)
        fleet.advance(10)
        #expect(!fleet.tick(&run).changed)
        #expect(!run.started("m1"))
        fleet.approve("run1-before-prod")
        fleet.advance(10)
        fleet.tick(&run)
        #expect(fleet.approvals["run1-before-prod"]?.conditions[.approvalAccepted]?.message
            == "The approval request has been approved and cannot be reverted")
        #expect(run.stage("prod")?.beforeStageTaskStatus.first?.conditions
            .isTrue(.approvalRequestApproved) == true)
        #expect(run.started("m1"))
        #expect(run.stage("prod")?.startTime == fleet.now)
    }

    @Test("edge 21: an accepted approval cannot be taken back")
    func approvalIrrevocable() {
        var fleet = Self.fleet(2, stages: [stage("prod", "prod", before: [approval])])
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.approve("run1-before-prod")
        fleet.tick(&run)
        #expect(run.started("m1"))
        fleet.approvals["run1-before-prod"]?.conditions.set(
            .approved, .false, reason: "Revoked", generation: 1, now: fleet.now)
        for _ in 0..<3 {
            fleet.advance(15)
            fleet.tick(&run)
        }
        #expect(run.succeeded)
        // Deleting an accepted request does not bring it back either.
        #expect(fleet.approvals.count == 1)
    }

    @Test("edge 22: a deleted unapproved request is created again at once")
    func deletedRequestRecreated() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod", before: [approval])])
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.approvals["run1-before-prod"] = nil
        fleet.advance(5)
        let result = fleet.tick(&run)
        #expect(fleet.approvals["run1-before-prod"] != nil)
        #expect(fleet.approvals["run1-before-prod"]?.isApproved == false)
        #expect(result.events.contains(.waitingForApproval(name: "run1-before-prod")))
    }

    @Test("edge 23: a pre-created request for another stage fails the run")
    func wrongTargetStage() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod", after: [approval])])
        fleet.approvals["run1-after-prod"] = ApprovalRequest(
            meta: ObjectMeta(name: "run1-after-prod"), parentStageRollout: "run1",
            targetStage: "other")
        var run = fleet.makeRun()
        fleet.tick(&run)
        #expect(run.condition(.succeeded) == nil)
        fleet.advance(15)
        fleet.tick(&run)
        let message = "cannot continue the updateRun: " + unexpectedPrefix
            + "the approval request task `run1-after-prod` is targeting update run `run1` and "
            + "stage `other`, want target update run `run1` and stage `prod`"
        #expect(run.failureMessage == message)
        #expect(run.progressingReason == Reason.updateRunFailed)
        #expect(run.condition(.progressing)?.message
            == "The stages are aborted due to a non-recoverable error")
        #expect(run.stageReason("prod") == Reason.stageUpdatingFailed)
        #expect(run.stage("prod")?.conditions[.succeeded]?.message == message)
        #expect(run.stage("prod")?.endTime == fleet.now)
    }

    @Test("a request approved ahead of time is honoured when the stage is reached")
    func preApprovedRequest() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod", before: [approval])])
        var request = ApprovalRequest(
            meta: ObjectMeta(name: "run1-before-prod"), parentStageRollout: "run1",
            targetStage: "prod")
        request.conditions.set(.approved, .true, reason: "Yes", generation: 1, now: start)
        fleet.approvals[request.meta.name] = request
        var run = fleet.makeRun()
        fleet.tick(&run)
        #expect(run.started("m1"))
        #expect(fleet.approvals["run1-before-prod"]?.isAccepted == true)
    }

    @Test("a pre-created request for another run fails the run")
    func wrongTargetRun() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod", before: [approval])])
        fleet.approvals["run1-before-prod"] = ApprovalRequest(
            meta: ObjectMeta(name: "run1-before-prod"), parentStageRollout: "other",
            targetStage: "prod")
        var run = fleet.makeRun()
        fleet.tick(&run)
        #expect(run.failureMessage == "cannot continue the updateRun: " + unexpectedPrefix
            + "the approval request task `run1-before-prod` is targeting update run `other` and "
            + "stage `prod`, want target update run `run1` and stage `prod`")
        #expect(run.stageReason("prod") == Reason.stageUpdatingFailed)
    }

    @Test("a namespaced run works in its namespace")
    func namespacedRun() throws {
        var fleet = FleetSimulation(
            members: [("m1", ["env": "prod"])],
            stages: [stage("prod", "prod", before: [approval])], namespace: "team")
        var run = fleet.makeRun()
        fleet.tick(&run)
        let request = try #require(fleet.approvals["run1-before-prod"])
        #expect(request.meta.namespace == "team")
        #expect(request.kind == .approvalRequest)
        fleet.approve("run1-before-prod")
        fleet.tick(&run)
        #expect(fleet.binding("m1")?.meta.namespace == "team")
        #expect(fleet.snapshotName("m1") == "app-1-snapshot")
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.succeeded)
    }

    @Test("an already updated member that reports a failure is not started")
    func inPlaceButFailing() {
        var fleet = Self.fleet(1)
        var first = fleet.makeRun("first", index: "1")
        fleet.tick(&first)
        fleet.advance(15)
        fleet.tick(&first)
        fleet.bindings[0].conditions.remove(.available)
        fleet.bindings[0].conditions.set(
            .available, .false, reason: "NotAvailable", generation: fleet.bindings[0].meta.generation,
            now: fleet.now)
        fleet.unconfirmed = ["m1"]
        var second = fleet.makeRun("second", index: "1")
        let result = fleet.tick(&second)
        #expect(!second.started("m1"))
        #expect(result.events == [.initialized, .memberUpdateFailing(
            member: "m1", message: "Available is False with reason 'NotAvailable'")])
        #expect(second.condition(.succeeded) == nil)
    }

    @Test("edge 24: TimedWait and Approval after a stage run side by side")
    func waitAndApprovalTogether() {
        var fleet = Self.fleet(1, stages: [
            stage("prod", "prod", after: [timedWait("1m"), approval]), stage("next", "canary"),
        ])
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.advance(15)
        fleet.tick(&run)
        let finished = fleet.now
        #expect(run.stageReason("prod") == Reason.stageUpdatingWaiting)
        #expect(fleet.approvals["run1-after-prod"] != nil)
        fleet.advance(10)
        fleet.approve("run1-after-prod")
        let result = fleet.tick(&run)
        #expect(run.stageReason("prod") == Reason.stageUpdatingWaiting)
        #expect(fleet.approvals["run1-after-prod"]?.isAccepted == true)
        #expect(result.nextWakeup == finished.addingTimeInterval(60))
        fleet.now = finished.addingTimeInterval(60)
        fleet.tick(&run)
        let tasks = run.stage("prod")?.afterStageTaskStatus ?? []
        #expect(tasks.first?.conditions.isTrue(.waitTimeElapsed) == true)
        #expect(tasks.last?.conditions.isTrue(.approvalRequestApproved) == true)
        #expect(run.stage("prod")?.endTime == finished.addingTimeInterval(60))
        #expect(run.succeeded)
    }

    @Test("edge 39: a run whose in-flight binding another run took over fails")
    func preemption() {
        var fleet = Self.fleet(1)
        fleet.unconfirmed = ["m1"]
        var first = fleet.makeRun("first", index: "1")
        var second = fleet.makeRun("second", index: "0")
        fleet.tick(&first)
        fleet.tick(&second)
        #expect(fleet.snapshotName("m1") == "app-0-snapshot")
        fleet.advance(15)
        fleet.tick(&first)
        let cause = userPrefix + "the binding of the updating cluster `m1` in the stage `prod` "
            + "is not up-to-date with the desired status, please check the status of binding "
            + "`app-m1` and see if there is a concurrent updateRun referencing the same "
            + "placement and updating the same cluster"
        let cluster = first.stage("prod")?.clusters.first
        #expect(cluster?.conditions[.succeeded]?.status == .false)
        #expect(cluster?.conditions[.succeeded]?.reason == Reason.clusterUpdatingFailed)
        #expect(cluster?.conditions[.succeeded]?.message == cause)
        #expect(first.stageReason("prod") == Reason.stageUpdatingFailed)
        #expect(first.failureMessage == "cannot continue the updateRun: " + cause)
        #expect(first.condition(.succeeded)?.reason == Reason.updateRunFailed)
        fleet.unconfirmed = []
        fleet.advance(15)
        fleet.tick(&second)
        #expect(second.succeeded)
        #expect(!fleet.tick(&first).changed)
    }

    @Test("edge 40: a failing member never fails the run, but it gets stuck after 5 minutes")
    func failingMemberGetsStuck() {
        var fleet = Self.fleet(4, stages: [stage("prod", "prod", maxConcurrency: .count(4))])
        fleet.unconfirmed = ["m1", "m2", "m3", "m4"]
        var run = fleet.makeRun()
        fleet.tick(&run)
        for index in fleet.bindings.indices {
            fleet.bindings[index].conditions.set(
                .applied, .false, reason: "ManifestsNotApplied",
                generation: fleet.bindings[index].meta.generation, now: fleet.now)
        }
        fleet.advance(15)
        var result = fleet.tick(&run)
        #expect(run.condition(.succeeded) == nil)
        #expect(run.progressingReason == Reason.updateRunProgressing)
        #expect(result.events.contains(.memberUpdateFailing(
            member: "m1", message: "Applied is False with reason 'ManifestsNotApplied'")))
        fleet.advance(285)
        result = fleet.tick(&run)
        #expect(run.progressingReason == Reason.updateRunProgressing)
        fleet.advance(1)
        result = fleet.tick(&run)
        #expect(run.progressingReason == Reason.updateRunStuck)
        #expect(run.condition(.progressing)?.message == "The updateRun is stuck waiting for "
            + "m1, m2, m3... cluster(s) in stage prod to finish updating, please check placement "
            + "status for potential errors")
        #expect(result.events.contains(.stuck(stage: "prod", members: ["m1", "m2", "m3", "m4"])))
        fleet.advance(15)
        #expect(!fleet.tick(&run).changed)
        // The cause is fixed: the members confirm and the run goes on.
        fleet.unconfirmed = []
        for index in fleet.bindings.indices { fleet.bindings[index].conditions.remove(.applied) }
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.succeeded)
    }

    @Test("three stuck clusters are named without an ellipsis")
    func threeStuck() {
        var fleet = Self.fleet(3, stages: [stage("prod", "prod", maxConcurrency: .count(3))])
        fleet.unconfirmed = ["m1", "m2", "m3"]
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.advance(301)
        fleet.tick(&run)
        #expect(run.condition(.progressing)?.message == "The updateRun is stuck waiting for "
            + "m1, m2, m3 cluster(s) in stage prod to finish updating, please check placement "
            + "status for potential errors")
    }

    @Test("edge 41: a ReportDiff placement succeeds on DiffReported")
    func reportDiff() {
        var fleet = Self.fleet(2)
        fleet.placement?.spec.strategy.applyStrategy.type = "ReportDiff"
        fleet.confirmation = .diffReported
        var run = fleet.makeRun()
        fleet.tick(&run)
        #expect(fleet.binding("m1")?.applyStrategy?.type == "ReportDiff")
        for _ in 0..<2 {
            fleet.advance(15)
            fleet.tick(&run)
        }
        #expect(run.succeeded)
        #expect(fleet.binding("m1")?.conditions[.available] == nil)
    }

    @Test("a member already on the snapshot succeeds without a binding write")
    func alreadyInPlace() {
        var fleet = Self.fleet(1)
        var first = fleet.makeRun("first", index: "1")
        fleet.tick(&first)
        fleet.advance(15)
        fleet.tick(&first)
        #expect(first.succeeded)
        var second = fleet.makeRun("second", index: "1")
        fleet.advance(15)
        let result = fleet.tick(&second)
        #expect(result.bindingUpdates.isEmpty)
        #expect(second.clusterSucceeded("m1"))
        fleet.advance(15)
        fleet.tick(&second)
        #expect(second.succeeded)
    }

    @Test("a tick that finds nothing new changes nothing")
    func idleTicksAreStable() {
        var fleet = Self.fleet(2, stages: [stage("prod", "prod", maxConcurrency: .count(2))])
        fleet.unconfirmed = ["m1", "m2"]
        var run = fleet.makeRun()
        fleet.tick(&run)
        for _ in 0..<3 {
            fleet.advance(15)
            let result = fleet.tick(&run)
            #expect(!result.changed)
            #expect(result.events.isEmpty)
        }
    }
}
