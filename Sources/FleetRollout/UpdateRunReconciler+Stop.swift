import FleetAPI
import Foundation

// State Stop: no cluster is started, no binding deleted and no approval looked at. Clusters
// already in flight are still polled; once none is, the stage and the run are stopped. Setting
// the state back to Run carries on from the recorded position.

/// How far a stop has got.
enum StopProgress {
    case stopped
    case stopping
    /// Still stopping, and some in-flight cluster is stuck (the run shows Stuck instead).
    case stuck
}

extension Reconciliation {
    mutating func stop(_ position: StagePosition, _ collected: CollectedBindings) -> PassOutcome {
        let progress: StopProgress
        do {
            switch position {
            case let .update(index): progress = try stopUpdatingStage(index, collected)
            case .deletion: progress = try pauseDeletionStage(collected)
            case .finished: return .finished
            }
        } catch {
            return settle(error, at: position)
        }
        let previous = run.status.progressingReason
        switch progress {
        case .stopped:
            run.status.markStopped(generation: generation, now: now)
            if previous != Reason.updateRunStopped { events.append(.stopped) }
            return .settled
        case .stopping:
            run.status.markStopping(generation: generation, now: now)
            if previous != Reason.updateRunStopping { events.append(.stopping) }
            return .wait(RolloutTiming.clusterUpdatingWait)
        case .stuck:
            return .wait(RolloutTiming.clusterUpdatingWait)
        }
    }

    mutating func stopUpdatingStage(
        _ index: Int, _ collected: CollectedBindings
    ) throws(RolloutError) -> StopProgress {
        _ = try stageConfig(index)
        var stage = run.status.stagesStatus[index]
        defer { run.status.stagesStatus[index] = stage }
        let byCluster = Dictionary(
            collected.selected.map { ($0.targetCluster, $0) }, uniquingKeysWith: { first, _ in first })

        var inFlight = 0
        var stuck: [String] = []
        var errors: [RolloutError] = []
        for index in stage.clusters.indices {
            let cluster = stage.clusters[index]
            guard cluster.conditions[.started] != nil,
                  !cluster.conditions.isTrue(.succeeded, generation: generation),
                  !cluster.conditions.isFalse(.succeeded, generation: generation)
            else { continue }
            inFlight += 1
            guard let binding = byCluster[cluster.clusterName] else {
                errors.append(.aborted(
                    .unexpected, "the binding for cluster `\(cluster.clusterName)` in stage "
                        + "`\(stage.stageName)` is not found in the toBeUpdatedBindings map"))
                continue
            }
            switch result(of: binding, &stage.clusters[index]) {
            case .succeeded:
                inFlight -= 1
            case .failing, .updating:
                if isStuck(stage.clusters[index]) { stuck.append(cluster.clusterName) }
            }
        }
        recordStuck(stuck, stage: stage.stageName)
        if !errors.isEmpty {
            throw .aggregate(errors)
        }
        if inFlight == 0 {
            stage.markStopped(generation: generation, now: now)
            return .stopped
        }
        stage.markStopping(generation: generation, now: now)
        return stuck.isEmpty ? .stopping : .stuck
    }

    /// Deletions already started finish; nothing new is deleted. The run counts as stopped
    /// only once no to-be-deleted binding is left, so a stop that arrives before any deletion
    /// started keeps the run Stopping until it is set back to Run.
    mutating func pauseDeletionStage(
        _ collected: CollectedBindings
    ) throws(RolloutError) -> StopProgress {
        guard var stage = run.status.deletionStageStatus else {
            throw .aborted(.unexpected, "the updateRun has nil deletionStageStatus")
        }
        defer { run.status.deletionStageStatus = stage }
        let present = Dictionary(
            collected.toBeDeleted.map { ($0.targetCluster, $0) }, uniquingKeysWith: { first, _ in first })
        var pending = false
        var gone = Set<String>()
        for cluster in stage.clusters
        where cluster.conditions.isTrue(.started, generation: generation)
            && !cluster.conditions.isTrue(.succeeded, generation: generation) {
            if let binding = present[cluster.clusterName] {
                pending = true
                delete(binding: binding.meta.name)
            } else {
                gone.insert(cluster.clusterName)
            }
        }
        markRemoved(gone, in: &stage)
        if pending {
            stage.markStopping(generation: generation, now: now)
        } else {
            stage.markStopped(generation: generation, now: now)
        }
        return collected.toBeDeleted.isEmpty ? .stopped : .stopping
    }
}
