import Foundation
import FleetAPI

/// What `Scheduler.schedule` decided for one placement.
package struct SchedulingDecision: Equatable, Sendable {
    /// Policy snapshots to write, by index: the latest (new or updated) and older ones whose
    /// is-latest label changed. Unchanged snapshots are left out.
    package var policySnapshots: [PolicySnapshot]
    /// Policy snapshots pruned by `revisionHistoryLimit`, by name.
    package var deletedPolicySnapshotNames: [String]
    /// Bindings to write, by name: new ones (Scheduled) and changed ones. Unchanged ones are
    /// left out.
    package var bindings: [Binding]
    /// The latest policy snapshot after this decision, with its targets and `Scheduled` condition.
    package var latestPolicySnapshot: PolicySnapshot

    /// True when the `Scheduled` condition of the latest policy snapshot is True.
    package var isFullyScheduled: Bool {
        latestPolicySnapshot.conditions.isTrue(
            .scheduled, generation: latestPolicySnapshot.meta.generation)
    }
}

/// The scheduler: keeps a placement's policy snapshots and its bindings (one per member) in line
/// with the placement's policy and the fleet's members, as KubeFleet's scheduler does.
///
/// Semantics worth knowing (rollout-semantics 1.2, 1.3):
/// - Affinity is `...IgnoredDuringExecution`: under an unchanged policy a member keeps its binding
///   when its labels change; a new policy snapshot re-evaluates every member.
/// - A binding is set `Unscheduled` (keeping its policy snapshot name) when its member left the
///   fleet or a new policy no longer picks it; PickN also trims bindings when N shrinks.
/// - A member picked again gets its Unscheduled binding back in the state it had before
///   (annotation `kubernetes-fleet.io/previous-binding-state`, Scheduled when absent), on the
///   latest policy snapshot, so a Bound member keeps its resources meanwhile.
/// - Every member is eligible: gitfleet has no heartbeats; a member that leaves is deleted.
///
/// Cost: O(members + bindings + policy snapshots) plus sorting member names.
package enum Scheduler {
    /// KubeFleet's reason for a fully scheduled policy in the `Scheduled` condition.
    package static let fulfilledReason = "SchedulingPolicyFulfilled"
    /// The reason when the policy is not fully scheduled.
    package static let unfulfilledReason = Reason.notFullyScheduled
    /// The message when the policy is fully scheduled.
    package static let fulfilledMessage =
        "found all the clusters needed as specified by the scheduling policy"
    /// The message when it is not.
    package static let unfulfilledMessage =
        "could not find all the clusters needed as specified by the scheduling policy"
    /// Where an Unscheduled binding remembers the state it had, as KubeFleet records it.
    package static let previousStateAnnotation = "kubernetes-fleet.io/previous-binding-state"

    /// One scheduling pass for `placement`. Pass its own policy snapshots and bindings (as its
    /// status file holds them); other placements' objects are tolerated and ignored.
    package static func schedule(
        placement: Placement, members: [String: MemberCluster], policySnapshots: [PolicySnapshot],
        bindings: [Binding], now: Date
    ) -> SchedulingDecision {
        let mySnapshots = policySnapshots.filter { belongs($0.placementName, $0.meta, placement) }
        let myBindings = bindings.filter {
            $0.placementName == placement.meta.name && $0.namespace == placement.meta.namespace
        }
        let update = PolicySnapshotStore.getOrCreate(
            placement: placement, existing: mySnapshots, now: now)
        var latest = update.latest

        var cycle = SchedulingCycle(
            placement: placement, policyName: latest.meta.name, members: members,
            bindings: myBindings, now: now)
        let outcome = cycle.run()

        latest.targetClusters = outcome.targets.sorted()
        latest.conditions.set(
            .scheduled, outcome.fullyScheduled ? .true : .false,
            reason: outcome.fullyScheduled ? fulfilledReason : unfulfilledReason,
            message: outcome.fullyScheduled ? fulfilledMessage : unfulfilledMessage,
            generation: latest.meta.generation, now: now)

        var snapshotWrites = update.flipped
        let original = Dictionary(
            mySnapshots.map { ($0.meta.name, $0) }, uniquingKeysWith: { first, _ in first })
        if original[latest.meta.name] != latest { snapshotWrites[latest.meta.name] = latest }
        let bindingWrites = cycle.changed.values.filter { cycle.originals[$0.name] != $0 }
        return SchedulingDecision(
            policySnapshots: snapshotWrites.values.sorted { $0.index < $1.index },
            deletedPolicySnapshotNames: update.deletedNames,
            bindings: bindingWrites.sorted { $0.name < $1.name },
            latestPolicySnapshot: latest)
    }

    /// True for an object of this placement: same name and same namespace (nil for a CRP).
    static func belongs(
        _ placementName: String, _ meta: ObjectMeta, _ placement: Placement
    ) -> Bool {
        placementName == placement.meta.name && meta.namespace == placement.meta.namespace
    }
}
