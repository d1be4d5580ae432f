import FleetAPI
import FleetRollout
import Foundation
import Testing

@Suite("deletion stage")
struct DeletionStageTests {
    @Test("edge 45: shrinking PickFixed deletes the dropped bindings after every update stage")
    func pickFixedShrinks() {
        let all = PlacementPolicy(placementType: .pickFixed, clusterNames: ["m1", "m2", "m3"])
        var fleet = FleetSimulation(
            members: [("m1", ["env": "prod"]), ("m2", ["env": "canary"]), ("m3", ["env": "canary"])],
            stages: [stage("canary", "canary", before: [approval]), stage("prod", "prod")],
            policy: all)
        let one = PlacementPolicy(placementType: .pickFixed, clusterNames: ["m1"])
        fleet.schedule(["m1"], policy: one, index: 1)
        var run = fleet.makeRun()
        var result = fleet.tick(&run)
        #expect(run.status.deletionStageStatus?.clusters.map(\.clusterName) == ["m2", "m3"])
        #expect(run.stageReason("canary") == Reason.stageUpdatingSkippedNoClusters)
        #expect(fleet.approvals.isEmpty)
        #expect(run.started("m1"))
        #expect(result.bindingDeletions.isEmpty)
        #expect(run.status.deletionStageStatus?.startTime == nil)

        fleet.advance(15)
        result = fleet.tick(&run)
        #expect(run.stage("prod")?.conditions.isTrue(.succeeded) == true)
        #expect(result.bindingDeletions == ["app-m2", "app-m3"])
        #expect(result.events.contains(.bindingDeleted(member: "m2", binding: "app-m2")))
        #expect(run.status.deletionStageStatus?.conditions[.progressing]?.reason
            == Reason.stageUpdatingStarted)
        #expect(run.status.deletionStageStatus?.startTime == fleet.now)
        #expect(run.started("m2") && !run.clusterSucceeded("m2"))
        #expect(!run.succeeded)

        fleet.advance(15)
        result = fleet.tick(&run)
        #expect(run.clusterSucceeded("m2") && run.clusterSucceeded("m3"))
        #expect(run.status.deletionStageStatus?.conditions.isTrue(.succeeded) == true)
        #expect(run.status.deletionStageStatus?.endTime == fleet.now)
        #expect(run.succeeded)
        #expect(fleet.bindings.map(\.targetCluster) == ["m1"])
    }

    @Test("edge 46: a member that left is removed by the next run's deletion stage")
    func memberLeft() {
        var fleet = FleetSimulation(
            members: [("m1", ["env": "prod"]), ("m2", ["env": "prod"])],
            stages: [stage("prod", "prod")])
        var first = fleet.makeRun("first")
        for _ in 0..<3 {
            fleet.tick(&first)
            fleet.advance(15)
        }
        #expect(first.succeeded)
        // m2 leaves: the scheduler unschedules its binding; its resources stay where they are.
        fleet.members["m2"] = nil
        fleet.schedule(["m1"], policy: nil, index: 0)
        #expect(fleet.binding("m2")?.state == .unscheduled)
        var second = fleet.makeRun("second", index: "0")
        fleet.advance(15)
        let result = fleet.tick(&second)
        #expect(second.status.deletionStageStatus?.clusters.map(\.clusterName) == ["m2"])
        #expect(result.bindingDeletions.isEmpty)
        fleet.advance(15)
        #expect(fleet.tick(&second).bindingDeletions == ["app-m2"])
        fleet.advance(15)
        fleet.tick(&second)
        #expect(second.succeeded)
    }

    @Test("edge 47: PickN scaled to zero skips every stage and deletes every binding")
    func pickNToZero() {
        let three = PlacementPolicy(placementType: .pickN, numberOfClusters: 3)
        var fleet = FleetSimulation(
            members: [("m1", ["env": "prod"]), ("m2", ["env": "prod"]), ("m3", ["env": "canary"])],
            stages: [stage("canary", "canary", after: [approval]), stage("prod", "prod")],
            policy: three)
        let zero = PlacementPolicy(placementType: .pickN, numberOfClusters: 0)
        fleet.schedule([], policy: zero, index: 0)
        var run = fleet.makeRun()
        let result = fleet.tick(&run)
        #expect(run.status.policyObservedClusterCount == 0)
        #expect(run.stageReason("canary") == Reason.stageUpdatingSkippedNoClusters)
        #expect(run.stageReason("prod") == Reason.stageUpdatingSkippedNoClusters)
        #expect(result.bindingDeletions == ["app-m1", "app-m2", "app-m3"])
        #expect(fleet.approvals.isEmpty)
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.succeeded)
        #expect(fleet.bindings.isEmpty)
    }
}
