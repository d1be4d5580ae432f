import Foundation
import Testing
import FleetAPI
import FleetPlacement

private let f = Fixture.self

/// A placement, the fleet, and the scheduler's objects carried from tick to tick.
struct SchedulingWorld {
    var placement: Placement
    var members: [String: MemberCluster]
    var snapshots: [PolicySnapshot] = []
    var bindings: [Binding] = []

    @discardableResult
    mutating func tick(at now: Date = Fixture.t0) -> SchedulingDecision {
        let decision = Scheduler.schedule(
            placement: placement, members: members, policySnapshots: snapshots,
            bindings: bindings, now: now)
        for snapshot in decision.policySnapshots {
            snapshots.removeAll { $0.meta.name == snapshot.meta.name }
            snapshots.append(snapshot)
        }
        snapshots.removeAll { decision.deletedPolicySnapshotNames.contains($0.meta.name) }
        for binding in decision.bindings {
            bindings.removeAll { $0.meta.name == binding.meta.name }
            bindings.append(binding)
        }
        return decision
    }

    func binding(_ member: String) -> Binding? {
        bindings.first { $0.targetCluster == member }
    }

    /// Members with a Scheduled or Bound binding, sorted.
    var placed: [String] {
        bindings.filter { $0.state != .unscheduled }.map(\.targetCluster).sorted()
    }

    mutating func setPolicy(_ policy: PlacementPolicy?) {
        placement.spec.policy = policy
        placement.meta.generation += 1
    }

    /// What a rollout does to a binding: binds it to a resource snapshot.
    mutating func bind(_ member: String, snapshot: String = "crp-0-snapshot") {
        guard let index = bindings.firstIndex(where: { $0.targetCluster == member }) else { return }
        bindings[index].state = .bound
        bindings[index].resourceSnapshotName = snapshot
        bindings[index].meta.generation += 1
    }
}

private func required(_ terms: LabelSelector...) -> ClusterAffinity {
    ClusterAffinity(requiredTerms: terms)
}

private typealias Req = LabelSelector.Requirement

/// Five members with region, env and tier labels for affinity tables.
private let fleet = f.members([
    ("m1", ["region": "east", "env": "prod", "tier": "1"]),
    ("m2", ["region": "west", "env": "prod"]),
    ("m3", ["region": "east", "env": "canary"]),
    ("m4", ["region": "north", "env": "dev", "tier": "2"]),
    ("m5", [:]),
])

struct AffinityCase: CustomTestStringConvertible, Sendable {
    var name: String
    var affinity: ClusterAffinity?
    var expected: [String]
    var testDescription: String { name }
}

private let affinityCases: [AffinityCase] = [
    AffinityCase(name: "no affinity picks all", affinity: nil,
                 expected: ["m1", "m2", "m3", "m4", "m5"]),
    AffinityCase(name: "no required terms picks all", affinity: ClusterAffinity(),
                 expected: ["m1", "m2", "m3", "m4", "m5"]),
    AffinityCase(name: "an empty list of required terms picks none",
                 affinity: ClusterAffinity(requiredTerms: []), expected: []),
    AffinityCase(name: "an empty selector term picks all", affinity: required(LabelSelector()),
                 expected: ["m1", "m2", "m3", "m4", "m5"]),
    AffinityCase(name: "matchLabels", affinity: required(LabelSelector(matchLabels: ["env": "prod"])),
                 expected: ["m1", "m2"]),
    AffinityCase(name: "matchLabels are ANDed",
                 affinity: required(LabelSelector(matchLabels: ["env": "prod", "region": "east"])),
                 expected: ["m1"]),
    AffinityCase(name: "terms are ORed",
                 affinity: required(LabelSelector(matchLabels: ["env": "canary"]),
                                    LabelSelector(matchLabels: ["region": "west"])),
                 expected: ["m2", "m3"]),
    AffinityCase(name: "In",
                 affinity: required(LabelSelector(matchExpressions: [
                     Req(key: "region", operator: .in, values: ["east", "north"]),
                 ])),
                 expected: ["m1", "m3", "m4"]),
    AffinityCase(name: "NotIn also takes members without the label",
                 affinity: required(LabelSelector(matchExpressions: [
                     Req(key: "region", operator: .notIn, values: ["east"]),
                 ])),
                 expected: ["m2", "m4", "m5"]),
    AffinityCase(name: "Exists",
                 affinity: required(LabelSelector(matchExpressions: [
                     Req(key: "tier", operator: .exists),
                 ])),
                 expected: ["m1", "m4"]),
    AffinityCase(name: "DoesNotExist",
                 affinity: required(LabelSelector(matchExpressions: [
                     Req(key: "tier", operator: .doesNotExist),
                 ])),
                 expected: ["m2", "m3", "m5"]),
    AffinityCase(name: "labels and expressions together",
                 affinity: required(LabelSelector(matchLabels: ["region": "east"], matchExpressions: [
                     Req(key: "env", operator: .notIn, values: ["canary"]),
                 ])),
                 expected: ["m1"]),
    AffinityCase(name: "the member-name label is always there",
                 affinity: required(LabelSelector(matchExpressions: [
                     Req(key: FleetLabel.memberName, operator: .in, values: ["m4", "m5"]),
                 ])),
                 expected: ["m4", "m5"]),
]

@Suite("Scheduling")
struct SchedulerTests {
    @Test("PickAll with required affinity", arguments: affinityCases)
    func pickAllAffinity(_ c: AffinityCase) throws {
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(affinity: c.affinity)), members: fleet)
        let decision = world.tick()
        #expect(world.placed == c.expected)
        #expect(decision.latestPolicySnapshot.targetClusters == c.expected)
        #expect(decision.isFullyScheduled)
        #expect(decision.bindings.allSatisfy { $0.state == .scheduled })
    }

    @Test("the first tick writes policy snapshot 0 and Scheduled bindings")
    func firstTick() throws {
        var world = SchedulingWorld(placement: f.placement(generation: 3), members: f.members(["a", "b"]))
        let decision = world.tick()
        let snapshot = decision.latestPolicySnapshot
        #expect(decision.policySnapshots == [snapshot])
        #expect(snapshot.meta.name == "crp-0")
        #expect(snapshot.meta.labels == [
            "kubernetes-fleet.io/parent-CRP": "crp",
            "kubernetes-fleet.io/is-latest-snapshot": "true",
            "kubernetes-fleet.io/policy-index": "0",
        ])
        #expect(snapshot.meta.annotations == ["kubernetes-fleet.io/CRP-generation": "3"])
        #expect(snapshot.placementGeneration == 3)
        #expect(snapshot.targetClusters == ["a", "b"])
        let condition = try #require(snapshot.conditions[.scheduled])
        #expect(condition.status == .true)
        #expect(condition.reason == "SchedulingPolicyFulfilled")
        #expect(condition.message == Scheduler.fulfilledMessage)
        #expect(condition.observedGeneration == snapshot.meta.generation)
        #expect(condition.lastTransitionTime == f.t0)

        #expect(decision.bindings.map(\.meta.name) == ["crp-a", "crp-b"])
        let binding = decision.bindings[0]
        #expect(binding.state == .scheduled)
        #expect(binding.targetCluster == "a" && binding.placementName == "crp")
        #expect(binding.schedulingPolicySnapshotName == "crp-0")
        #expect(binding.resourceSnapshotName == nil)
        // The parent label is written from placementName, as for snapshots.
        #expect(binding.meta.labels.isEmpty)
        #expect(FleetEncoder.encode(binding: binding)["metadata"]?["labels"]?[
            "kubernetes-fleet.io/parent-CRP"]?.scalar?.text == "crp")
        #expect(binding.meta.generation == 1)
    }

    @Test("a second tick with nothing changed writes nothing")
    func idempotent() {
        var world = SchedulingWorld(placement: f.placement(policy: Self.pickNPolicy(2, nil)), members: fleet)
        world.tick()
        let again = world.tick(at: f.t1)
        #expect(again.policySnapshots.isEmpty)
        #expect(again.bindings.isEmpty)
        #expect(again.deletedPolicySnapshotNames.isEmpty)
        #expect(again.isFullyScheduled)
    }

    @Test("PickAll with no matching member is still fully scheduled")
    func pickAllNone() {
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(affinity: required(
                LabelSelector(matchLabels: ["env": "nowhere"])))),
            members: fleet)
        let decision = world.tick()
        #expect(decision.bindings.isEmpty)
        #expect(decision.isFullyScheduled)
    }

    struct FixedCase: CustomTestStringConvertible, Sendable {
        var name: String
        var clusterNames: [String]
        var placed: [String]
        var fullyScheduled: Bool
        var testDescription: String { name }
    }

    static let fixedCases: [FixedCase] = [
        FixedCase(name: "every named member exists", clusterNames: ["m3", "m1"],
                  placed: ["m1", "m3"], fullyScheduled: true),
        FixedCase(name: "an unknown name means not fully scheduled",
                  clusterNames: ["m1", "ghost"], placed: ["m1"], fullyScheduled: false),
        FixedCase(name: "a name listed twice counts once", clusterNames: ["m2", "m2"],
                  placed: ["m2"], fullyScheduled: true),
        FixedCase(name: "affinity labels do not matter", clusterNames: ["m5"], placed: ["m5"],
                  fullyScheduled: true),
        FixedCase(name: "an empty list places nothing", clusterNames: [], placed: [],
                  fullyScheduled: true),
    ]

    @Test("PickFixed", arguments: fixedCases)
    func pickFixed(_ c: FixedCase) throws {
        var world = SchedulingWorld(
            placement: f.placement(policy: PlacementPolicy(
                placementType: .pickFixed, clusterNames: c.clusterNames)),
            members: fleet)
        let decision = world.tick()
        #expect(world.placed == c.placed)
        #expect(decision.isFullyScheduled == c.fullyScheduled)
        let condition = try #require(decision.latestPolicySnapshot.conditions[.scheduled])
        #expect(condition.reason == (c.fullyScheduled
            ? "SchedulingPolicyFulfilled" : "SchedulingPolicyUnfulfilled"))
        #expect(decision.latestPolicySnapshot.meta.annotations[FleetAnnotation.numberOfClusters]
            == nil)
    }

    struct PickNCase: CustomTestStringConvertible, Sendable {
        var name: String
        var n: Int
        var affinity: ClusterAffinity?
        var placed: [String]
        var fullyScheduled: Bool
        var testDescription: String { name }
    }

    static let preferProdEast = ClusterAffinity(preferred: [
        .init(weight: 10, preference: LabelSelector(matchLabels: ["env": "prod"])),
        .init(weight: 5, preference: LabelSelector(matchLabels: ["region": "east"])),
    ])

    static let pickNCases: [PickNCase] = [
        PickNCase(name: "ties go to the greater names", n: 2, affinity: nil,
                  placed: ["m4", "m5"], fullyScheduled: true),
        PickNCase(name: "preferred weights are summed per member", n: 2,
                  affinity: preferProdEast, placed: ["m1", "m2"], fullyScheduled: true),
        PickNCase(name: "the next best after the weighted ones", n: 3,
                  affinity: preferProdEast, placed: ["m1", "m2", "m3"], fullyScheduled: true),
        PickNCase(name: "negative weights push members back", n: 3,
                  affinity: ClusterAffinity(preferred: [
                      .init(weight: -50, preference: LabelSelector(matchLabels: ["region": "north"])),
                      .init(weight: -1, preference: LabelSelector(matchExpressions: [
                          Req(key: "env", operator: .doesNotExist),
                      ])),
                  ]),
                  placed: ["m1", "m2", "m3"], fullyScheduled: true),
        PickNCase(name: "required terms filter before scoring", n: 1,
                  affinity: ClusterAffinity(
                      requiredTerms: [LabelSelector(matchLabels: ["region": "east"])],
                      preferred: [.init(weight: 1, preference: LabelSelector(
                          matchLabels: ["env": "canary"]))]),
                  placed: ["m3"], fullyScheduled: true),
        PickNCase(name: "N=5 with 3 eligible is not fully scheduled (edge case 3)", n: 5,
                  affinity: required(LabelSelector(matchExpressions: [
                      Req(key: "region", operator: .in, values: ["east", "west"]),
                  ])),
                  placed: ["m1", "m2", "m3"], fullyScheduled: false),
        PickNCase(name: "N=0 places nothing and is fully scheduled", n: 0, affinity: nil,
                  placed: [], fullyScheduled: true),
    ]

    @Test("PickN", arguments: pickNCases)
    func pickN(_ c: PickNCase) throws {
        var world = SchedulingWorld(
            placement: f.placement(policy: Self.pickNPolicy(c.n, c.affinity)), members: fleet)
        let decision = world.tick()
        #expect(world.placed == c.placed)
        #expect(decision.isFullyScheduled == c.fullyScheduled)
        #expect(decision.latestPolicySnapshot.meta.annotations[FleetAnnotation.numberOfClusters]
            == String(c.n))
        #expect(decision.latestPolicySnapshot.numberOfClusters == c.n)
        let condition = try #require(decision.latestPolicySnapshot.conditions[.scheduled])
        #expect(condition.message == (c.fullyScheduled
            ? Scheduler.fulfilledMessage : Scheduler.unfulfilledMessage))
    }

    static func pickNPolicy(_ n: Int, _ affinity: ClusterAffinity?) -> PlacementPolicy {
        PlacementPolicy(placementType: .pickN, numberOfClusters: n, affinity: affinity)
    }
}
