import FleetAPI
import FleetPlacement
import Foundation

extension TickPlanner {
    /// Placement status: which snapshot each member has, and KubeFleet's placement conditions.
    /// For External placements the index is shown only when every bound member agrees.
    package mutating func updatePlacementStatuses() {
        for key in status.placementStatuses.keys.sorted() {
            guard var placementStatus = status.placementStatuses[key] else { continue }
            guard let placement = objects.placements[key] else { continue }
            let generation = placement.meta.generation
            placementStatus.observedGeneration = generation
            let latestPolicy = policySnapshots(of: key).last { $0.isLatest }
            let scheduled = latestPolicy?.conditions.isTrue(.scheduled) ?? false
            placementStatus.conditions.set(
                .scheduled, scheduled ? .true : .false,
                reason: scheduled ? Scheduler.fulfilledReason : Scheduler.unfulfilledReason,
                message: scheduled ? Scheduler.fulfilledMessage : Scheduler.unfulfilledMessage,
                generation: generation, now: now)
            let active = placementStatus.bindings.filter { $0.state != .unscheduled }
            let indices = Set(active.map { binding -> String? in
                guard let name = binding.resourceSnapshotName,
                      let snapshot = status.resourceSnapshots[
                          ObjectKey(namespace: key.namespace, name: name)] else { return nil }
                return String(snapshot.index)
            })
            let allAvailable = !active.isEmpty && active.allSatisfy {
                $0.conditions.isTrue(.available, generation: $0.generation)
            }
            if indices.count == 1, let only = indices.first, let index = only {
                placementStatus.observedResourceIndex = index
                placementStatus.conditions.set(
                    .rolloutStarted, .true, reason: "RolloutStarted",
                    message: "All the specified resources have been rolled out to all clusters",
                    generation: generation, now: now)
                placementStatus.conditions.set(
                    .available, allAvailable ? .true : .unknown,
                    reason: allAvailable ? "ResourceAvailable" : "ResourceNotAvailableYet",
                    message: allAvailable ? "The selected resources are available on all clusters"
                        : "Waiting for the selected resources to become available",
                    generation: generation, now: now)
            } else {
                placementStatus.observedResourceIndex = nil
                placementStatus.conditions.set(
                    .rolloutStarted, .unknown, reason: "RolloutControlledByExternalController",
                    message: "Rollout is controlled by an external controller and different "
                        + "resource snapshot versions are observed across clusters",
                    generation: generation, now: now)
                placementStatus.conditions.remove(.available)
            }
            if placementStatus != status.placementStatuses[key] {
                status.placementStatuses[key] = placementStatus
            }
        }
    }

    /// True when a member update was started this tick and will be confirmed by its push, so a
    /// loop can run the next tick right away instead of waiting for the interval.
    package var hasPushedUpdatesPending: Bool {
        bindingsAwaitingConfirmation.contains {
            objects.members[$0.targetCluster]?.availability != .reported
        }
    }

    /// Runs that are not finished, and the placements of those runs and of member updates
    /// awaiting confirmation: what the next tick must read even when no commit touches it.
    package var workUnderWay: (placements: Set<ObjectKey>, runs: Set<ObjectKey>) {
        var placements: Set<ObjectKey> = []
        var runs: Set<ObjectKey> = []
        for (key, run) in status.updateRuns where !isTerminal(run) {
            runs.insert(key)
            placements.insert(run.placementKey)
        }
        for (key, placementStatus) in status.placementStatuses
        where placementStatus.bindings.containsAwaitingConfirmation {
            placements.insert(key)
        }
        return (placements, runs)
    }

    /// True while some member update waits for a confirmation (a push or a report).
    package var hasUpdatesInFlight: Bool {
        !bindingsAwaitingConfirmation.isEmpty
    }

    private var bindingsAwaitingConfirmation: [Binding] {
        status.placementStatuses.values.flatMap { $0.bindings.awaitingConfirmation }
    }
}

extension [Binding] {
    // Alike bindings share their fields and lie side by side, so each check runs once per run
    // of them: a placement over 10,000 members holds a handful, and a tick asks for every
    // placement.

    var awaitingConfirmation: [Binding] {
        var found: [Binding] = []
        forEachAwaitingConfirmation { found.append($0); return true }
        return found
    }

    var containsAwaitingConfirmation: Bool {
        var found = false
        forEachAwaitingConfirmation { _ in found = true; return false }
        return found
    }

    /// Calls `body` with each binding awaiting confirmation until it returns false.
    private func forEachAwaitingConfirmation(_ body: (Binding) -> Bool) {
        var last: (binding: Binding, awaiting: Bool)?
        for binding in self {
            let awaiting: Bool
            if let last, last.binding.sharesFields(with: binding) {
                awaiting = last.awaiting
            } else {
                awaiting = binding.isAwaitingConfirmation
                last = (binding, awaiting)
            }
            if awaiting, !body(binding) { return }
        }
    }
}

extension Binding {
    /// Bound to a snapshot whose rollout started and is not confirmed yet, all at the
    /// binding's current generation.
    var isAwaitingConfirmation: Bool {
        state == .bound && conditions.isTrue(.rolloutStarted, generation: meta.generation)
            && !conditions.isTrue(.available, generation: meta.generation)
    }
}
