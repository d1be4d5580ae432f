import Foundation
import Testing
import FleetAPI
import FleetPlacement

private let f = Fixture.self
private typealias Req = LabelSelector.Requirement

private func prefer(_ labels: [String: String], weight: Int = 10) -> ClusterAffinity {
    ClusterAffinity(preferred: [.init(weight: weight, preference: LabelSelector(matchLabels: labels))])
}

struct PolicyEditCase: CustomTestStringConvertible, Sendable {
    var name: String
    var before: PlacementPolicy?
    var after: PlacementPolicy?
    var newSnapshot: Bool
    var testDescription: String { name }
}

private let policyEdits: [PolicyEditCase] = [
    PolicyEditCase(
        name: "PickN 2 to 3 keeps the snapshot",
        before: PlacementPolicy(placementType: .pickN, numberOfClusters: 2),
        after: PlacementPolicy(placementType: .pickN, numberOfClusters: 3), newSnapshot: false),
    PolicyEditCase(
        name: "an omitted policy and an explicit PickAll are the same",
        before: nil, after: PlacementPolicy(placementType: .pickAll), newSnapshot: false),
    PolicyEditCase(
        name: "only the placement generation changes",
        before: PlacementPolicy(placementType: .pickN, numberOfClusters: 2),
        after: PlacementPolicy(placementType: .pickN, numberOfClusters: 2), newSnapshot: false),
    PolicyEditCase(
        name: "required affinity added to PickAll",
        before: nil,
        after: PlacementPolicy(affinity: ClusterAffinity(requiredTerms: [
            LabelSelector(matchLabels: ["env": "prod"]),
        ])),
        newSnapshot: true),
    PolicyEditCase(
        name: "a required term's value edited",
        before: PlacementPolicy(affinity: ClusterAffinity(requiredTerms: [
            LabelSelector(matchLabels: ["env": "prod"]),
        ])),
        after: PlacementPolicy(affinity: ClusterAffinity(requiredTerms: [
            LabelSelector(matchLabels: ["env": "canary"]),
        ])),
        newSnapshot: true),
    PolicyEditCase(
        name: "a name added to PickFixed",
        before: PlacementPolicy(placementType: .pickFixed, clusterNames: ["m1"]),
        after: PlacementPolicy(placementType: .pickFixed, clusterNames: ["m1", "m2"]),
        newSnapshot: true),
    PolicyEditCase(
        name: "a preference weight edited",
        before: PlacementPolicy(placementType: .pickN, numberOfClusters: 1,
                                affinity: prefer(["env": "prod"], weight: 10)),
        after: PlacementPolicy(placementType: .pickN, numberOfClusters: 1,
                               affinity: prefer(["env": "prod"], weight: 20)),
        newSnapshot: true),
    PolicyEditCase(
        name: "PickN N and affinity edited together",
        before: PlacementPolicy(placementType: .pickN, numberOfClusters: 1),
        after: PlacementPolicy(placementType: .pickN, numberOfClusters: 2,
                               affinity: prefer(["env": "prod"])),
        newSnapshot: true),
]

@Suite("Scheduling over time")
struct SchedulerLifecycleTests {
    let fleet = f.members([
        ("m1", ["env": "prod"]), ("m2", ["env": "prod"]), ("m3", ["env": "canary"]),
    ])

    @Test("a new policy snapshot only when the policy hash changes", arguments: policyEdits)
    func policyIndex(_ c: PolicyEditCase) throws {
        var world = SchedulingWorld(placement: f.placement(policy: c.before), members: fleet)
        world.tick()
        world.setPolicy(c.after)
        let decision = world.tick(at: f.t1)
        let latest = decision.latestPolicySnapshot
        #expect(latest.meta.name == (c.newSnapshot ? "crp-1" : "crp-0"))
        #expect(latest.meta.annotations[FleetAnnotation.placementGeneration] == "2")
        #expect(latest.placementGeneration == 2)
        #expect(world.snapshots.filter(\.isLatest).map(\.meta.name) == [latest.meta.name])
        if c.newSnapshot {
            let old = try #require(world.snapshots.first { $0.meta.name == "crp-0" })
            #expect(!old.isLatest)
            #expect(old.meta.labels[FleetLabel.isLatestSnapshot] == "false")
            #expect(latest.meta.labels[FleetLabel.policyIndex] == "1")
        }
    }

    @Test("changing only N rewrites the annotation on the existing snapshot")
    func scaleUp() throws {
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(placementType: .pickN, numberOfClusters: 2)),
            members: fleet)
        world.tick()
        #expect(world.placed == ["m2", "m3"])
        world.setPolicy(PlacementPolicy(placementType: .pickN, numberOfClusters: 3))
        let decision = world.tick(at: f.t1)
        let snapshot = try #require(decision.policySnapshots.first)
        #expect(decision.policySnapshots.count == 1)
        #expect(snapshot.meta.name == "crp-0")
        #expect(snapshot.meta.annotations[FleetAnnotation.numberOfClusters] == "3")
        #expect(snapshot.numberOfClusters == 3)
        #expect(decision.bindings.map(\.targetCluster) == ["m1"])
        #expect(world.placed == ["m1", "m2", "m3"])
        #expect(snapshot.targetClusters == ["m1", "m2", "m3"])
    }

    @Test("PickN scaled to 0 unschedules every binding (edge case 47)")
    func scaleToZero() throws {
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(placementType: .pickN, numberOfClusters: 2)),
            members: fleet)
        world.tick()
        world.bind("m2")
        world.setPolicy(PlacementPolicy(placementType: .pickN, numberOfClusters: 0))
        let decision = world.tick(at: f.t1)
        #expect(decision.latestPolicySnapshot.meta.name == "crp-0")
        #expect(decision.latestPolicySnapshot.meta.annotations[FleetAnnotation.numberOfClusters]
            == "0")
        #expect(decision.isFullyScheduled)
        #expect(decision.latestPolicySnapshot.targetClusters.isEmpty)
        #expect(decision.bindings.map(\.state) == [.unscheduled, .unscheduled])
        let bound = try #require(world.binding("m2"))
        #expect(bound.resourceSnapshotName == "crp-0-snapshot")
        #expect(bound.meta.annotations[Scheduler.previousStateAnnotation] == "Bound")
        #expect(bound.schedulingPolicySnapshotName == "crp-0")
    }

    @Test("scaling PickN down drops Scheduled bindings before Bound ones")
    func scaleDown() {
        let members = f.members(["a", "b", "c", "d"])
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(placementType: .pickN, numberOfClusters: 4)),
            members: members)
        world.tick()
        world.bind("b")
        world.bind("c")
        world.setPolicy(PlacementPolicy(placementType: .pickN, numberOfClusters: 1))
        world.tick(at: f.t1)
        // Scheduled a and d go first, then the smaller-named Bound b.
        #expect(world.placed == ["c"])
    }

    @Test("a new policy moves still-picked bindings and unschedules the rest")
    func policyChange() throws {
        var world = SchedulingWorld(placement: f.placement(), members: fleet)
        world.tick()
        world.bind("m1")
        world.bind("m3")
        let m1Before = try #require(world.binding("m1"))
        world.setPolicy(PlacementPolicy(affinity: ClusterAffinity(requiredTerms: [
            LabelSelector(matchLabels: ["env": "prod"]),
        ])))
        let decision = world.tick(at: f.t1)
        #expect(decision.latestPolicySnapshot.meta.name == "crp-1")
        #expect(decision.latestPolicySnapshot.targetClusters == ["m1", "m2"])

        let m1 = try #require(world.binding("m1"))
        #expect(m1.state == .bound)
        #expect(m1.resourceSnapshotName == "crp-0-snapshot")
        #expect(m1.schedulingPolicySnapshotName == "crp-1")
        #expect(m1.meta.generation == m1Before.meta.generation + 1)
        let m2 = try #require(world.binding("m2"))
        #expect(m2.state == .scheduled && m2.schedulingPolicySnapshotName == "crp-1")
        let m3 = try #require(world.binding("m3"))
        #expect(m3.state == .unscheduled)
        #expect(m3.schedulingPolicySnapshotName == "crp-0")
        #expect(m3.resourceSnapshotName == "crp-0-snapshot")
    }

    @Test("a member that leaves gets an Unscheduled binding (edge case 46)")
    func memberLeaves() throws {
        var world = SchedulingWorld(placement: f.placement(), members: fleet)
        world.tick()
        world.bind("m3")
        let before = try #require(world.binding("m3"))
        world.members["m3"] = nil
        let decision = world.tick(at: f.t1)
        #expect(decision.bindings.map(\.targetCluster) == ["m3"])
        let m3 = try #require(world.binding("m3"))
        #expect(m3.state == .unscheduled)
        #expect(m3.schedulingPolicySnapshotName == "crp-0")
        #expect(m3.resourceSnapshotName == "crp-0-snapshot")
        #expect(m3.meta.generation == before.meta.generation + 1)
        #expect(m3.meta.annotations[Scheduler.previousStateAnnotation] == "Bound")
        #expect(decision.latestPolicySnapshot.targetClusters == ["m1", "m2"])
        #expect(decision.latestPolicySnapshot.meta.name == "crp-0")
        #expect(decision.isFullyScheduled)
        // Nothing more happens while it stays away.
        #expect(world.tick(at: f.t1).bindings.isEmpty)
    }

    @Test("a PickFixed member that leaves makes the policy not fully scheduled")
    func fixedMemberLeaves() {
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(
                placementType: .pickFixed, clusterNames: ["m1", "m2"])),
            members: fleet)
        #expect(world.tick().isFullyScheduled)
        world.members["m2"] = nil
        let decision = world.tick(at: f.t1)
        #expect(!decision.isFullyScheduled)
        #expect(world.binding("m2")?.state == .unscheduled)
        #expect(world.placed == ["m1"])
    }

    struct RejoinCase: CustomTestStringConvertible, Sendable {
        var name: String
        var boundBeforeLeaving: Bool
        var expected: Binding.State
        var testDescription: String { name }
    }

    @Test("a member picked again gets its binding back in its earlier state", arguments: [
        RejoinCase(name: "Bound", boundBeforeLeaving: true, expected: .bound),
        RejoinCase(name: "Scheduled", boundBeforeLeaving: false, expected: .scheduled),
    ])
    func memberRejoins(_ c: RejoinCase) throws {
        var world = SchedulingWorld(placement: f.placement(), members: fleet)
        world.tick()
        if c.boundBeforeLeaving { world.bind("m3") }
        let away = world.members.removeValue(forKey: "m3")
        world.tick()
        world.setPolicy(PlacementPolicy(affinity: ClusterAffinity(requiredTerms: [LabelSelector()])))
        world.tick()
        world.members["m3"] = away
        let decision = world.tick(at: f.t1)
        #expect(decision.bindings.map(\.targetCluster) == ["m3"])
        let m3 = try #require(world.binding("m3"))
        #expect(m3.meta.name == "crp-m3")
        #expect(world.bindings.count(where: { $0.targetCluster == "m3" }) == 1)
        #expect(m3.state == c.expected)
        #expect(m3.schedulingPolicySnapshotName == "crp-1")
        #expect(m3.meta.annotations[Scheduler.previousStateAnnotation] == nil)
        #expect(m3.resourceSnapshotName == (c.boundBeforeLeaving ? "crp-0-snapshot" : nil))
    }

    @Test("labels that change under an unchanged policy do not move a binding")
    func ignoredDuringExecution() throws {
        let prodOnly = PlacementPolicy(affinity: ClusterAffinity(requiredTerms: [
            LabelSelector(matchLabels: ["env": "prod"]),
        ]))
        var world = SchedulingWorld(placement: f.placement(policy: prodOnly), members: fleet)
        world.tick()
        #expect(world.placed == ["m1", "m2"])
        world.members["m1"]?.meta.labels["env"] = "dev"
        world.members["m3"]?.meta.labels["env"] = "prod"
        world.tick(at: f.t1)
        // m1 keeps its binding; m3 now matches and is added.
        #expect(world.placed == ["m1", "m2", "m3"])
        // A new policy evaluates every member again.
        world.setPolicy(PlacementPolicy(affinity: ClusterAffinity(requiredTerms: [
            LabelSelector(matchLabels: ["env": "prod"]), LabelSelector(matchLabels: ["env": "qa"]),
        ])))
        world.tick(at: f.t1)
        #expect(world.placed == ["m2", "m3"])
        #expect(world.binding("m1")?.state == .unscheduled)
    }

    @Test("PickN prefers members that already hold the placement from an older policy")
    func formerlyPlacedBonus() {
        let members = f.members(["a", "b", "c"])
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(
                placementType: .pickN, numberOfClusters: 1,
                affinity: prefer([FleetLabel.memberName: "a"]))),
            members: members)
        world.tick()
        #expect(world.placed == ["a"])
        // Every member now scores the same; the old binding wins over the greater names.
        world.setPolicy(PlacementPolicy(
            placementType: .pickN, numberOfClusters: 1, affinity: prefer(["nobody": "x"])))
        world.tick(at: f.t1)
        #expect(world.placed == ["a"])
        #expect(world.binding("a")?.schedulingPolicySnapshotName == "crp-1")
        // Preference still outweighs the bonus.
        world.setPolicy(PlacementPolicy(
            placementType: .pickN, numberOfClusters: 1, affinity: prefer([FleetLabel.memberName: "b"])))
        world.tick(at: f.t1)
        #expect(world.placed == ["b"])
        #expect(world.binding("a")?.state == .unscheduled)
    }

    @Test("revisionHistoryLimit caps policy snapshots")
    func policyHistory() {
        var world = SchedulingWorld(placement: f.placement(revisionHistoryLimit: 2), members: fleet)
        world.tick()
        world.setPolicy(PlacementPolicy(placementType: .pickFixed, clusterNames: ["m1"]))
        #expect(world.tick().deletedPolicySnapshotNames.isEmpty)
        world.setPolicy(PlacementPolicy(placementType: .pickFixed, clusterNames: ["m2"]))
        let decision = world.tick()
        #expect(decision.deletedPolicySnapshotNames == ["crp-0"])
        #expect(world.snapshots.map(\.meta.name).sorted() == ["crp-1", "crp-2"])
        #expect(decision.latestPolicySnapshot.index == 2)
    }

    @Test("the Scheduled condition keeps its transition time until its status changes")
    func conditionTimes() throws {
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(placementType: .pickN, numberOfClusters: 4)),
            members: fleet)
        world.tick()
        let later = f.t1.addingTimeInterval(60)
        let unchanged = world.tick(at: f.t1).latestPolicySnapshot.conditions[.scheduled]
        #expect(unchanged?.status == .false && unchanged?.lastTransitionTime == f.t0)
        world.members["m4"] = MemberCluster(meta: ObjectMeta(name: "m4"))
        let decision = world.tick(at: later)
        let condition = try #require(decision.latestPolicySnapshot.conditions[.scheduled])
        #expect(condition.status == .true && condition.lastTransitionTime == later)
    }

    @Test("a resource placement's policy snapshots and bindings live in its namespace")
    func namespaced() throws {
        var world = SchedulingWorld(placement: f.placement("rp", namespace: "team"), members: fleet)
        let decision = world.tick()
        #expect(decision.latestPolicySnapshot.meta.name == "rp-0")
        #expect(decision.latestPolicySnapshot.meta.namespace == "team")
        #expect(decision.bindings.allSatisfy { $0.meta.namespace == "team" })
        #expect(decision.bindings.map(\.meta.name) == ["rp-m1", "rp-m2", "rp-m3"])
    }

    @Test("other placements' objects are ignored")
    func otherPlacements() {
        var other = SchedulingWorld(placement: f.placement("other"), members: fleet)
        other.tick()
        var sameNameElsewhere = SchedulingWorld(
            placement: f.placement("crp", namespace: "team"), members: fleet)
        sameNameElsewhere.tick()
        var world = SchedulingWorld(placement: f.placement(), members: f.members(["m1"]))
        world.snapshots = other.snapshots + sameNameElsewhere.snapshots
        world.bindings = other.bindings + sameNameElsewhere.bindings
        let decision = world.tick()
        #expect(decision.latestPolicySnapshot.meta.name == "crp-0")
        #expect(decision.policySnapshots.map(\.meta.name) == ["crp-0"])
        #expect(decision.bindings.map(\.meta.name) == ["crp-m1"])
    }
}
