import Foundation
import Testing
import FleetAPI
import FleetPlacement

private let f = Fixture.self

/// A Bound binding on `snapshot` that its member reports available.
private func availableBinding(_ member: String, snapshot: String = "crp-0-snapshot") -> Binding {
    var binding = Binding(
        meta: ObjectMeta(name: Binding.name(placement: "crp", member: member), generation: 2),
        placementName: "crp", targetCluster: member, state: .bound,
        resourceSnapshotName: snapshot, schedulingPolicySnapshotName: "crp-0",
        applyStrategy: ApplyStrategy())
    binding.conditions.set(.rolloutStarted, .true, reason: "RolloutStarted", generation: 2, now: f.t0)
    binding.conditions.set(.available, .true, reason: "MemberUpdatePushed", generation: 2, now: f.t0)
    return binding
}

/// Marks the bindings of `plan` available at their new generation, as the engine would after
/// the push that renders them.
private func apply(_ plan: RollingUpdatePlan, to bindings: inout [Binding], availableAt now: Date) {
    for moved in plan.bindings {
        var binding = moved
        binding.conditions.set(
            .available, .true, reason: "MemberUpdatePushed", generation: binding.meta.generation,
            now: now)
        bindings.removeAll { $0.meta.name == binding.meta.name }
        bindings.append(binding)
    }
    bindings.removeAll { plan.deletedBindingNames.contains($0.meta.name) }
}

@Suite("Rolling update")
struct RollingUpdaterTests {
    let members = (1...8).map { "m\($0)" }

    @Test("8 members with maxUnavailable 25% move 2 at a time, in name order")
    func twoAtATime() throws {
        let placement = f.placement()
        var bindings = members.reversed().map { availableBinding($0) }
        var rounds: [[String]] = []
        for round in 0..<6 {
            let now = f.t0.addingTimeInterval(Double(round) * 60)
            let plan = RollingUpdater.plan(
                placement: placement, bindings: bindings, latestSnapshotName: "crp-1-snapshot",
                now: now)
            if plan.isEmpty { break }
            rounds.append(plan.bindings.map(\.targetCluster))
            // While the two are in flight nothing else moves.
            var inFlight = bindings
            for moved in plan.bindings {
                inFlight.removeAll { $0.meta.name == moved.meta.name }
                inFlight.append(moved)
            }
            let blocked = RollingUpdater.plan(
                placement: placement, bindings: inFlight, latestSnapshotName: "crp-1-snapshot",
                now: now)
            #expect(blocked.isEmpty)
            apply(plan, to: &bindings, availableAt: now)
        }
        #expect(rounds == [["m1", "m2"], ["m3", "m4"], ["m5", "m6"], ["m7", "m8"]])
        #expect(bindings.allSatisfy { $0.resourceSnapshotName == "crp-1-snapshot" })
    }

    @Test("a moved binding is Bound on the latest snapshot with a new generation")
    func movedBinding() throws {
        let plan = RollingUpdater.plan(
            placement: f.placement(), bindings: [availableBinding("m1")],
            latestSnapshotName: "crp-1-snapshot", now: f.t1)
        let moved = try #require(plan.bindings.first)
        #expect(moved.state == .bound)
        #expect(moved.resourceSnapshotName == "crp-1-snapshot")
        #expect(moved.meta.generation == 3)
        #expect(moved.applyStrategy == ApplyStrategy())
        let started = try #require(moved.conditions[.rolloutStarted])
        #expect(started.status == .true && started.observedGeneration == 3)
        #expect(!moved.conditions.isTrue(.available, generation: 3))
        #expect(RollingUpdater.isInFlight(moved))
    }

    @Test("new members' Scheduled bindings are bound within the same budget")
    func scheduledBindings() {
        let scheduled = members.map { member in
            Binding(
                meta: ObjectMeta(name: "crp-\(member)"), placementName: "crp",
                targetCluster: member, state: .scheduled, schedulingPolicySnapshotName: "crp-0")
        }
        let plan = RollingUpdater.plan(
            placement: f.placement(), bindings: scheduled, latestSnapshotName: "crp-0-snapshot",
            now: f.t0)
        #expect(plan.bindings.map(\.targetCluster) == ["m1", "m2"])
        #expect(plan.bindings.allSatisfy { $0.state == .bound && $0.meta.generation == 2 })
    }

    @Test("bindings already current are left alone")
    func upToDate() {
        let plan = RollingUpdater.plan(
            placement: f.placement(), bindings: members.map { availableBinding($0) },
            latestSnapshotName: "crp-0-snapshot", now: f.t0)
        #expect(plan.isEmpty)
    }

    @Test("an edited apply strategy rolls out like new content")
    func applyStrategyChange() {
        var strategy = RolloutStrategy()
        strategy.applyStrategy.type = "ServerSideApply"
        let plan = RollingUpdater.plan(
            placement: f.placement(strategy: strategy), bindings: members.map { availableBinding($0) },
            latestSnapshotName: "crp-0-snapshot", now: f.t0)
        #expect(plan.bindings.map(\.targetCluster) == ["m1", "m2"])
        #expect(plan.bindings.allSatisfy { $0.applyStrategy?.type == "ServerSideApply" })
    }

    @Test("Unscheduled bindings are deleted at once")
    func unscheduledDeleted() {
        var gone = availableBinding("m9")
        gone.state = .unscheduled
        var bindings = members.map { availableBinding($0) }
        bindings.append(gone)
        let plan = RollingUpdater.plan(
            placement: f.placement(), bindings: bindings, latestSnapshotName: "crp-0-snapshot",
            now: f.t0)
        #expect(plan.deletedBindingNames == ["crp-m9"])
        #expect(plan.bindings.isEmpty)
    }

    @Test("External placements are left to update runs")
    func external() {
        var gone = availableBinding("m9")
        gone.state = .unscheduled
        let plan = RollingUpdater.plan(
            placement: f.placement(strategy: RolloutStrategy(type: .external)),
            bindings: [availableBinding("m1"), gone], latestSnapshotName: "crp-1-snapshot",
            now: f.t0)
        #expect(plan.isEmpty)
    }

    @Test("other placements' bindings are ignored")
    func otherPlacements() {
        var foreign = availableBinding("m1")
        foreign.placementName = "other"
        let plan = RollingUpdater.plan(
            placement: f.placement(), bindings: [foreign], latestSnapshotName: "crp-1-snapshot",
            now: f.t0)
        #expect(plan.isEmpty)
    }

    struct BudgetCase: CustomTestStringConvertible, Sendable {
        var setting: IntOrPercent?
        var policy: PlacementPolicy?
        var active: Int
        var expected: Int
        var testDescription: String {
            "\(setting.map(String.init(describing:)) ?? "default") of \(active) -> \(expected)"
        }
    }

    @Test("maxUnavailable as a count of members", arguments: [
        BudgetCase(setting: nil, policy: nil, active: 8, expected: 2),
        BudgetCase(setting: .percent(25), policy: nil, active: 1, expected: 1),
        BudgetCase(setting: .percent(25), policy: nil, active: 3, expected: 1),
        BudgetCase(setting: .percent(25), policy: nil, active: 5, expected: 2),
        BudgetCase(setting: .percent(50), policy: nil, active: 3, expected: 2),
        BudgetCase(setting: .percent(100), policy: nil, active: 3, expected: 3),
        BudgetCase(setting: .percent(0), policy: nil, active: 8, expected: 1),
        BudgetCase(setting: .count(3), policy: nil, active: 8, expected: 3),
        BudgetCase(setting: .count(0), policy: nil, active: 8, expected: 1),
        BudgetCase(setting: .percent(25), policy: nil, active: 0, expected: 1),
        BudgetCase(setting: .percent(50),
                   policy: PlacementPolicy(placementType: .pickN, numberOfClusters: 10),
                   active: 4, expected: 5),
    ])
    func budget(_ c: BudgetCase) {
        let strategy = RolloutStrategy(
            rollingUpdate: c.setting.map { RollingUpdateConfig(maxUnavailable: $0) })
        let placement = f.placement(policy: c.policy, strategy: strategy)
        #expect(RollingUpdater.maxUnavailable(placement, activeCount: c.active) == c.expected)
    }
}
