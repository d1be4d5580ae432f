import FleetAPI
import FleetRollout
import Foundation
import Testing

/// The Azure tutorial, tick by tick: staging first with a one-minute wait, then canary behind
/// an approval, one cluster at a time in `order` label order, a stop and resume in the middle,
/// and finally a rollback run to snapshot 0.
@Suite("tutorial flow")
struct TutorialFlowTests {
    static func tutorialFleet() -> FleetSimulation {
        FleetSimulation(
            members: [
                ("member1", ["env": "canary", "order": "2"]),
                ("member2", ["env": "staging"]),
                ("member3", ["env": "canary", "order": "1"]),
            ],
            stages: [
                stage("staging", "staging", after: [timedWait("1m")]),
                stage("canary", "canary", sortingLabelKey: "order",
                      maxConcurrency: .percent(50), before: [approval]),
            ])
    }

    @Test("staging, wait, approval, canary in order, stop and resume, then rollback")
    func tutorial() throws {
        var fleet = Self.tutorialFleet()
        var run = fleet.makeRun("example-run")

        // Tick 0: initialized, staging starts with member2 on the commit's snapshot.
        var result = fleet.tick(&run)
        #expect(run.status.conditions.isTrue(.initialized))
        #expect(run.status.resourceSnapshotIndexUsed == "1")
        #expect(run.status.policySnapshotIndexUsed == "0")
        #expect(run.status.policyObservedClusterCount == 3)
        #expect(run.clusters("staging") == ["member2"])
        #expect(run.clusters("canary") == ["member3", "member1"])
        #expect(run.status.deletionStageStatus?.stageName == "kubernetes-fleet.io/deleteStage")
        #expect(result.bindingUpdates.map(\.targetCluster) == ["member2"])
        #expect(fleet.binding("member2")?.state == .bound)
        #expect(fleet.snapshotName("member2") == "app-1-snapshot")
        #expect(fleet.binding("member2")?.meta.generation == 2)
        #expect(fleet.binding("member1")?.state == .scheduled)
        #expect(run.progressingReason == Reason.updateRunProgressing)
        #expect(run.stage("staging")?.startTime == start)
        #expect(result.events.contains(.memberStarted(member: "member2", snapshot: "app-1-snapshot")))
        #expect(result.nextWakeup == start.addingTimeInterval(15))

        // 15s later the push is confirmed: staging waits for its minute.
        fleet.advance(15)
        result = fleet.tick(&run)
        #expect(run.clusterSucceeded("member2"))
        #expect(run.stageReason("staging") == Reason.stageUpdatingWaiting)
        #expect(run.progressingReason == Reason.updateRunWaiting)
        #expect(run.condition(.progressing)?.message
            == "The updateRun is waiting for after-stage tasks in stage staging to complete")
        #expect(result.nextWakeup == fleet.now.addingTimeInterval(60))
        let clustersDone = fleet.now

        // Half-way through the wait nothing moves, and nothing needs writing.
        fleet.advance(30)
        result = fleet.tick(&run)
        #expect(!result.changed)
        #expect(run.stageReason("staging") == Reason.stageUpdatingWaiting)

        // At one minute the wait ends, staging succeeds and canary asks for approval.
        fleet.advance(30)
        result = fleet.tick(&run)
        #expect(run.stage("staging")?.conditions.isTrue(.succeeded) == true)
        #expect(run.stage("staging")?.endTime == clustersDone.addingTimeInterval(60))
        #expect(run.stage("staging")?.afterStageTaskStatus.first?.conditions
            .isTrue(.waitTimeElapsed) == true)
        #expect(result.events.contains(.waitingForApproval(name: "example-run-before-canary")))
        #expect(fleet.approvals["example-run-before-canary"] != nil)
        #expect(run.stageReason("canary") == Reason.stageUpdatingWaiting)
        #expect(run.condition(.progressing)?.message
            == "The updateRun is waiting for before-stage tasks in stage canary to complete")
        #expect(fleet.binding("member3")?.state == .scheduled)
        #expect(run.stage("canary")?.startTime == nil)

        // Approve: accepted, and member3 (order 1) starts alone (50% of 2 is 1).
        fleet.advance(20)
        fleet.approve("example-run-before-canary")
        result = fleet.tick(&run)
        #expect(fleet.approvals["example-run-before-canary"]?.isAccepted == true)
        #expect(result.events.contains(.approvalAccepted(name: "example-run-before-canary")))
        #expect(run.started("member3"))
        #expect(!run.started("member1"))
        #expect(fleet.snapshotName("member3") == "app-1-snapshot")
        #expect(fleet.binding("member1")?.resourceSnapshotName == nil)
        #expect(run.progressingReason == Reason.updateRunProgressing)

        // Stop with member3 in flight: Stopping until it finishes; member1 is never touched.
        setState(.stop, &run)
        fleet.unconfirmed = ["member3"]
        fleet.advance(5)
        result = fleet.tick(&run)
        #expect(run.condition(.progressing)?.status == .unknown)
        #expect(run.progressingReason == Reason.updateRunStopping)
        #expect(run.stageReason("canary") == Reason.stageUpdatingStopping)
        #expect(result.events.contains(.stopping))
        fleet.unconfirmed = []
        fleet.advance(15)
        result = fleet.tick(&run)
        #expect(run.clusterSucceeded("member3"))
        #expect(run.progressingReason == Reason.updateRunStopped)
        #expect(run.stageReason("canary") == Reason.stageUpdatingStopped)
        #expect(result.nextWakeup == nil)
        #expect(fleet.binding("member1")?.state == .scheduled)
        fleet.advance(600)
        #expect(!fleet.tick(&run).changed)

        // Resume: member1 starts, then finishes, and the run succeeds in the same tick.
        setState(.run, &run)
        fleet.advance(5)
        fleet.tick(&run)
        #expect(run.started("member1"))
        #expect(fleet.snapshotName("member1") == "app-1-snapshot")
        fleet.advance(15)
        result = fleet.tick(&run)
        #expect(run.succeeded)
        #expect(run.stage("canary")?.conditions.isTrue(.succeeded) == true)
        #expect(run.status.deletionStageStatus?.conditions.isTrue(.succeeded) == true)
        #expect(run.condition(.progressing)?.reason == Reason.updateRunSucceeded)
        #expect(result.events.contains(.runSucceeded))

        // Rollback: a new run naming snapshot 0 ships it to every member the same way.
        var rollback = fleet.makeRun("rollback-run", index: "0")
        fleet.advance(60)
        fleet.tick(&rollback)
        #expect(rollback.status.resourceSnapshotIndexUsed == "0")
        #expect(fleet.snapshotName("member2") == "app-0-snapshot")
        #expect(fleet.binding("member2")?.conditions[.rolloutStarted]?.message ==
            "Detected the new changes on the resources and started the rollout process, "
            + "resourceSnapshotIndex: 0, updateRun: rollback-run")
        fleet.advance(15)
        fleet.tick(&rollback)
        fleet.advance(60)
        fleet.tick(&rollback)
        fleet.approve("rollback-run-before-canary")
        for _ in 0..<4 {
            fleet.advance(15)
            fleet.tick(&rollback)
        }
        #expect(rollback.succeeded)
        for member in ["member1", "member2", "member3"] {
            #expect(fleet.snapshotName(member) == "app-0-snapshot")
        }
        // The finished first run ignores everything from now on.
        #expect(!fleet.tick(&run).changed)
    }
}
