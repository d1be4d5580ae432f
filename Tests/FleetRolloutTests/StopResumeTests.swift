import FleetAPI
import FleetRollout
import Foundation
import Testing

@Suite("stop and resume")
struct StopResumeTests {
    static func fleet(_ count: Int, stages: [StageConfig]) -> FleetSimulation {
        FleetSimulation(members: (1...count).map { ("m\($0)", ["env": "prod"]) }, stages: stages)
    }

    @Test("edge 27: a run created in Stop initializes and is stopped, Run starts it")
    func createdStopped() {
        var fleet = Self.fleet(2, stages: [stage("prod", "prod")])
        var run = fleet.makeRun(state: .stop)
        let result = fleet.tick(&run)
        #expect(run.status.conditions.isTrue(.initialized))
        #expect(run.progressingReason == Reason.updateRunStopped)
        #expect(run.condition(.progressing)?.status == .false)
        #expect(run.condition(.progressing)?.message == "The update run has been stopped")
        #expect(run.stageReason("prod") == Reason.stageUpdatingStopped)
        #expect(result.bindingUpdates.isEmpty)
        #expect(result.nextWakeup == nil)
        setState(.run, &run)
        fleet.advance(30)
        fleet.tick(&run)
        #expect(run.started("m1"))
        #expect(run.progressingReason == Reason.updateRunProgressing)
        #expect(run.condition(.progressing)?.observedGeneration == 2)
        #expect(run.condition(.initialized)?.observedGeneration == 2)
    }

    @Test("edge 28: stopping waits for the clusters in flight and starts no other")
    func stopWithTwoInFlight() {
        var fleet = Self.fleet(3, stages: [stage("prod", "prod", maxConcurrency: .count(2))])
        var run = fleet.makeRun()
        fleet.unconfirmed = ["m1", "m2"]
        fleet.tick(&run)
        setState(.stop, &run)
        fleet.advance(15)
        let result = fleet.tick(&run)
        #expect(run.condition(.progressing)?.status == .unknown)
        #expect(run.progressingReason == Reason.updateRunStopping)
        #expect(result.nextWakeup == fleet.now.addingTimeInterval(15))
        #expect(run.stageReason("prod") == Reason.stageUpdatingStopping)
        fleet.unconfirmed = ["m2"]
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.clusterSucceeded("m1"))
        #expect(run.progressingReason == Reason.updateRunStopping)
        #expect(!run.started("m3"))
        fleet.unconfirmed = []
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.clusterSucceeded("m2"))
        #expect(run.progressingReason == Reason.updateRunStopped)
        #expect(fleet.binding("m3")?.state == .scheduled)
        #expect(fleet.binding("m3")?.resourceSnapshotName == nil)
        setState(.run, &run)
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.started("m3"))
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.succeeded)
    }

    @Test("a stuck cluster shows through a stop")
    func stuckWhileStopping() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod")])
        fleet.unconfirmed = ["m1"]
        var run = fleet.makeRun()
        fleet.tick(&run)
        setState(.stop, &run)
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.progressingReason == Reason.updateRunStopping)
        fleet.advance(300)
        fleet.tick(&run)
        #expect(run.progressingReason == Reason.updateRunStuck)
        fleet.advance(15)
        #expect(!fleet.tick(&run).changed)
    }

    @Test("edge 29: a stop restarts an after-stage TimedWait from the moment it completed")
    func stopRestartsWait() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod", after: [timedWait("10m")])])
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.advance(15)
        fleet.tick(&run)
        let clustersDone = fleet.now
        #expect(run.stageReason("prod") == Reason.stageUpdatingWaiting)

        fleet.now = clustersDone.addingTimeInterval(8 * 60)
        setState(.stop, &run)
        fleet.tick(&run)
        let stopped = fleet.now
        #expect(run.progressingReason == Reason.updateRunStopped)
        #expect(run.stage("prod")?.conditions[.progressing]?.lastTransitionTime == stopped)

        fleet.now = clustersDone.addingTimeInterval(12 * 60)
        setState(.run, &run)
        let result = fleet.tick(&run)
        #expect(run.stageReason("prod") == Reason.stageUpdatingWaiting)
        #expect(result.nextWakeup == stopped.addingTimeInterval(10 * 60))
        fleet.now = clustersDone.addingTimeInterval(18 * 60 - 1)
        fleet.tick(&run)
        #expect(!run.succeeded)
        fleet.now = clustersDone.addingTimeInterval(18 * 60)
        fleet.tick(&run)
        #expect(run.succeeded)
        #expect(run.stage("prod")?.endTime == clustersDone.addingTimeInterval(18 * 60))
    }

    @Test("edge 30: an approval given while stopped is accepted on resume")
    func approvalWhileStopped() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod", before: [approval])])
        var run = fleet.makeRun()
        fleet.tick(&run)
        setState(.stop, &run)
        fleet.advance(5)
        fleet.tick(&run)
        #expect(run.progressingReason == Reason.updateRunStopped)
        fleet.approve("run1-before-prod")
        fleet.advance(5)
        let stopped = fleet.tick(&run)
        #expect(stopped.approvalRequests.isEmpty)
        #expect(fleet.approvals["run1-before-prod"]?.isAccepted == false)
        #expect(!run.started("m1"))
        setState(.run, &run)
        fleet.advance(5)
        fleet.tick(&run)
        #expect(fleet.approvals["run1-before-prod"]?.isAccepted == true)
        #expect(run.started("m1"))
    }

    @Test("edge 49: a stop between the last stage and the deletion stage stays Stopping")
    func stopBeforeDeletion() {
        // The reconciler moves on to the deletion stage in the same pass as the last stage
        // succeeds, so build the gap KubeFleet can leave between two reconciles by hand: the
        // last stage finished, m2 waits for deletion, none started.
        var gapFleet = FleetSimulation(
            members: [("m1", ["env": "prod"]), ("m2", ["env": "gone"])],
            stages: [stage("prod", "prod")])
        gapFleet.schedule(["m1"], policy: nil, index: 0)
        gapFleet.bindings[1].state = .unscheduled
        var gapRun = gapFleet.makeRun(state: .initialize)
        gapFleet.tick(&gapRun)
        #expect(gapRun.status.deletionStageStatus?.clusters.map(\.clusterName) == ["m2"])
        gapRun.status.stagesStatus[0].conditions.set(
            .succeeded, .true, reason: Reason.stageUpdatingSucceeded, generation: 1,
            now: gapFleet.now)
        gapRun.status.stagesStatus[0].clusters[0].conditions.set(
            .succeeded, .true, reason: Reason.clusterUpdatingSucceeded, generation: 1,
            now: gapFleet.now)
        setState(.stop, &gapRun)
        gapFleet.advance(15)
        var result = gapFleet.tick(&gapRun)
        #expect(gapRun.progressingReason == Reason.updateRunStopping)
        #expect(result.bindingDeletions.isEmpty)
        #expect(gapRun.status.deletionStageStatus?.conditions[.progressing]?.reason
            == Reason.stageUpdatingStopped)
        gapFleet.advance(15)
        result = gapFleet.tick(&gapRun)
        #expect(!result.changed)
        setState(.run, &gapRun)
        gapFleet.advance(15)
        result = gapFleet.tick(&gapRun)
        #expect(result.bindingDeletions == ["app-m2"])
        gapFleet.advance(15)
        gapFleet.tick(&gapRun)
        #expect(gapRun.succeeded)
    }

    @Test("a stop during the deletion stage lets started deletions finish")
    func stopDuringDeletion() {
        var fleet = FleetSimulation(
            members: [("m1", ["env": "prod"]), ("m2", ["env": "prod"])],
            stages: [stage("prod", "prod")])
        fleet.schedule(["m1"], policy: nil, index: 1)
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.advance(15)
        let result = fleet.tick(&run)
        #expect(result.bindingDeletions == ["app-m2"])
        setState(.stop, &run)
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.clusterSucceeded("m2"))
        #expect(run.progressingReason == Reason.updateRunStopped)
        setState(.run, &run)
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.succeeded)
    }

    @Test("a finished run ignores a change of state")
    func terminalIgnoresState() {
        var fleet = Self.fleet(1, stages: [stage("prod", "prod")])
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.succeeded)
        setState(.stop, &run)
        let result = fleet.tick(&run)
        #expect(!result.changed)
        #expect(result.events.isEmpty)
        #expect(run.condition(.succeeded)?.observedGeneration == 1)
    }
}
