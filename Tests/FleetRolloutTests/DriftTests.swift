import FleetAPI
import FleetRollout
import Foundation
import Testing

/// A commit that changes what a run was planned against fails the run at its next pass, with
/// KubeFleet's messages; stage conditions are left as they were.
@Suite("drift")
struct DriftTests {
    static let aborted = "cannot continue the updateRun: "

    /// A run with m1 updated and m2 still in flight, in stages canary (m1, m2) then prod (m3).
    static func runInFlight(
        policy: PlacementPolicy? = nil
    ) -> (FleetSimulation, UpdateRun) {
        var fleet = FleetSimulation(
            members: [
                ("m1", ["env": "canary", "order": "1"]), ("m2", ["env": "canary", "order": "2"]),
                ("m3", ["env": "prod"]),
            ],
            stages: [stage("canary", "canary", sortingLabelKey: "order"), stage("prod", "prod")],
            policy: policy)
        var run = fleet.makeRun()
        fleet.tick(&run)
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.clusterSucceeded("m1") && run.started("m2"))
        fleet.advance(5)
        return (fleet, run)
    }

    static func expectFailed(_ run: UpdateRun, _ message: String) {
        #expect(run.failureMessage == message)
        #expect(run.progressingReason == Reason.updateRunFailed)
        // Validation failures leave the stages alone.
        #expect(run.stageReason("canary") == Reason.stageUpdatingStarted)
        #expect(run.stage("canary")?.conditions[.succeeded] == nil)
    }

    @Test("edge 11: a sorting label turning invalid mid-run")
    func sortLabelTurnsInvalid() {
        var (fleet, run) = Self.runInFlight()
        fleet.label("m2", "order", "high")
        fleet.tick(&run)
        Self.expectFailed(run, initPrefix + userPrefix + "the sorting label `order:high` on "
            + "cluster `m2` is not valid: strconv.Atoi: parsing \"high\": invalid syntax")
    }

    @Test("a sorting label change that reorders the stage")
    func sortOrderChanges() {
        var (fleet, run) = Self.runInFlight()
        fleet.label("m2", "order", "0")
        fleet.tick(&run)
        Self.expectFailed(run, Self.aborted + "the `0` cluster in the `0` stage has changed, "
            + "new: m2, existing: m1")
    }

    @Test("edge 36: the placement's applyStrategy edited mid-run is a user error")
    func applyStrategyEdited() throws {
        var (fleet, run) = Self.runInFlight()
        fleet.placement?.spec.strategy.applyStrategy.type = "ServerSideApply"
        fleet.tick(&run)
        Self.expectFailed(run, Self.aborted + userPrefix + "the applyStrategy in the updateRun "
            + "is outdated, latest: &{ServerSideApply PartialComparison Always Always false "
            + "<nil>}, recorded: &{ClientSideApply PartialComparison Always Always false <nil>}")
    }

    @Test("edge 37: a PickFixed list edit makes a new policy snapshot")
    func newPolicySnapshot() {
        let policy = PlacementPolicy(placementType: .pickFixed, clusterNames: ["m1", "m2", "m3"])
        var (fleet, run) = Self.runInFlight(policy: policy)
        var bigger = policy
        bigger.clusterNames.append("m4")
        fleet.members["m4"] = MemberCluster(meta: ObjectMeta(name: "m4", labels: ["env": "prod"]))
        fleet.schedule(["m1", "m2", "m3", "m4"], policy: bigger, index: 1)
        fleet.tick(&run)
        Self.expectFailed(run, Self.aborted + "the policy snapshot index used in the updateRun is "
            + "outdated, latest: 1, recorded: 0")
    }

    @Test("edge 37: PickN's numberOfClusters edited mid-run")
    func pickNCountEdited() {
        let policy = PlacementPolicy(placementType: .pickN, numberOfClusters: 3)
        var (fleet, run) = Self.runInFlight(policy: policy)
        #expect(run.status.policyObservedClusterCount == 3)
        fleet.policySnapshots[0].numberOfClusters = 4
        fleet.tick(&run)
        Self.expectFailed(run, Self.aborted + "the cluster count initialized in the updateRun is "
            + "outdated, latest: 4, recorded: 3")
    }

    @Test("edge 38: relabelling a member out of its stage")
    func relabelled() {
        var (fleet, run) = Self.runInFlight()
        fleet.label("m2", "env", "prod")
        fleet.tick(&run)
        Self.expectFailed(run, Self.aborted + "the number of clusters in index `0` stage has "
            + "changed, new: 1, existing: 2")
    }

    @Test("a cluster joining a PickAll placement mid-run")
    func clusterJoins() {
        var (fleet, run) = Self.runInFlight()
        fleet.members["m4"] = MemberCluster(meta: ObjectMeta(name: "m4", labels: ["env": "dev"]))
        fleet.schedule(["m1", "m2", "m3", "m4"], policy: nil, index: 0)
        fleet.tick(&run)
        Self.expectFailed(run, initPrefix + userPrefix + "some clusters are not placed in any "
            + "stage, total 1, showing up to 10: m4")
    }

    @Test("a newly Unscheduled binding the deletion stage does not list")
    func unlistedUnscheduledBinding() {
        var (fleet, run) = Self.runInFlight()
        fleet.bindings.append(Binding(
            meta: ObjectMeta(name: "app-m9"), placementName: "app", targetCluster: "m9",
            state: .unscheduled, schedulingPolicySnapshotName: "app-0"))
        fleet.tick(&run)
        Self.expectFailed(run, Self.aborted + unexpectedPrefix + "the cluster `m9` to be deleted "
            + "is not in the delete stage")
    }

    @Test("a binding left on an old policy snapshot mid-run is retried, not fatal")
    func transientBindingMidRun() {
        var (fleet, run) = Self.runInFlight()
        fleet.bindings[2].schedulingPolicySnapshotName = "app-old"
        let before = run
        let result = fleet.tick(&run)
        #expect(run == before)
        #expect(!result.changed)
        #expect(result.nextWakeup == fleet.now.addingTimeInterval(15))
        fleet.bindings[2].schedulingPolicySnapshotName = "app-0"
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.started("m2") && run.condition(.succeeded) == nil)
    }

    @Test("edge 42: deleting the strategy after initialization changes nothing")
    func strategyDeleted() {
        var (fleet, run) = Self.runInFlight()
        fleet.strategy = nil
        for _ in 0..<3 {
            fleet.advance(15)
            fleet.tick(&run)
        }
        #expect(run.succeeded)
    }

    @Test("edge 43: deleting the placement mid-run")
    func placementDeleted() {
        var (fleet, run) = Self.runInFlight()
        fleet.placement = nil
        let result = fleet.tick(&run)
        Self.expectFailed(run, initPrefix + userPrefix + "parent placement not found")
        #expect(result.events == [.runFailed(message: run.failureMessage ?? "")])
        #expect(result.nextWakeup == nil)
    }

    @Test("drift while stopped fails the run at the next tick")
    func driftWhileStopped() {
        var (fleet, run) = Self.runInFlight()
        setState(.stop, &run)
        fleet.advance(15)
        fleet.tick(&run)
        #expect(run.progressingReason == Reason.updateRunStopped)
        fleet.label("m3", "env", "canary")
        fleet.label("m3", "order", "3")
        fleet.tick(&run)
        #expect(run.failureMessage == Self.aborted + "the number of clusters in index `0` stage "
            + "has changed, new: 3, existing: 2")
    }
}
