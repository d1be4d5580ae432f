import Foundation
import FleetAPI

/// What `RollingUpdater.plan` decided for one placement.
package struct RollingUpdatePlan: Equatable, Sendable {
    /// Bindings moved to the latest resource snapshot (state Bound), by member name.
    package var bindings: [Binding]
    /// Unscheduled bindings to delete, by name; deleting one removes the placement's resources
    /// from that member.
    package var deletedBindingNames: [String]

    /// True when the plan changes nothing.
    package var isEmpty: Bool { bindings.isEmpty && deletedBindingNames.isEmpty }
}

/// The rolling update of a `RollingUpdate` placement (KubeFleet's default strategy): members move
/// to the latest resource snapshot a few at a time, in member name order.
///
/// Simplified from KubeFleet's rollout controller, deliberately:
/// - At most `maxUnavailable` members (default 25%, rounded up as KubeFleet does, at least 1) of
///   the target count are unavailable at once. The target count is N for PickN and the number of
///   Scheduled and Bound bindings otherwise. A binding in flight (`RolloutStarted` True but not
///   `Available`, both at its current generation) counts as unavailable, and so does every
///   binding moved in this plan, Scheduled ones (new members) included. `maxSurge` and
///   `unavailablePeriodSeconds` are not used: availability is what members report or the push
///   that renders them.
/// - A binding needs moving when it is Scheduled, names another snapshot, or carries another
///   apply strategy than the placement's.
/// - Unscheduled bindings are all deleted at once, without using the budget: their members are
///   outside the set whose availability `maxUnavailable` protects. (KubeFleet deletes them first,
///   within the same budget.)
/// - External placements are left alone: only update runs move their bindings.
package enum RollingUpdater {
    /// The next step of the rollout to `latestSnapshotName`; `bindings` may include other
    /// placements' bindings, which are ignored.
    package static func plan(
        placement: Placement, bindings: [Binding], latestSnapshotName: String, now: Date
    ) -> RollingUpdatePlan {
        guard placement.spec.strategy.type == .rollingUpdate else {
            return RollingUpdatePlan(bindings: [], deletedBindingNames: [])
        }
        let mine = bindings
            .filter {
                $0.placementName == placement.meta.name && $0.namespace == placement.meta.namespace
            }
            .sorted { ($0.targetCluster, $0.name) < ($1.targetCluster, $1.name) }
        var deleted: [String] = []
        var active: [Binding] = []
        for binding in mine {
            switch binding.state {
            case .unscheduled: deleted.append(binding.name)
            case .scheduled, .bound: active.append(binding)
            }
        }

        let budget = maxUnavailable(placement, activeCount: active.count)
            - active.filter(isInFlight).count
        let applyStrategy = placement.spec.strategy.applyStrategy
        var moved: [Binding] = []
        for binding in active where moved.count < budget {
            let current = binding.state == .bound
                && binding.resourceSnapshotName == latestSnapshotName
                && binding.applyStrategy == applyStrategy
            guard !current else { continue }
            var updated = binding
            updated.state = .bound
            updated.resourceSnapshotName = latestSnapshotName
            updated.applyStrategy = applyStrategy
            updated.meta.generation += 1
            updated.conditions.set(
                .rolloutStarted, .true, reason: Reason.rolloutStarted,
                message: "detected new resources and started rolling them out",
                generation: updated.meta.generation, now: now)
            moved.append(updated)
        }
        return RollingUpdatePlan(bindings: moved, deletedBindingNames: deleted.sorted())
    }

    /// `maxUnavailable` as a count of members: a percentage of the target count rounded up,
    /// and never below 1 so that a rollout can always make progress.
    package static func maxUnavailable(_ placement: Placement, activeCount: Int) -> Int {
        let policy = placement.spec.policy
        let target = policy?.placementType == .pickN
            ? max(0, policy?.numberOfClusters ?? 0) : activeCount
        let setting = placement.spec.strategy.rollingUpdate?.maxUnavailable ?? .percent(25)
        let value: Int
        switch setting {
        case let .count(n): value = n
        case let .percent(p): value = (target * p + 99) / 100
        }
        return max(1, value)
    }

    /// Started at the binding's current generation but not yet available there.
    package static func isInFlight(_ binding: Binding) -> Bool {
        binding.conditions.isTrue(.rolloutStarted, generation: binding.generation)
            && !binding.conditions.isTrue(.available, generation: binding.generation)
    }
}
