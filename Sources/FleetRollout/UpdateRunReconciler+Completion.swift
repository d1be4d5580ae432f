import FleetAPI
import Foundation

// Finishing an update stage (after-stage tasks) and the deletion stage, which runs once every
// update stage has succeeded and removes the bindings of clusters the placement dropped.

extension Reconciliation {
    /// All the stage's clusters are updated: wait for its after-stage tasks, then succeed.
    mutating func completeStage(
        _ config: StageConfig, _ stage: inout StageUpdatingStatus
    ) throws(RolloutError) -> PassOutcome {
        run.status.markWaiting(
            kind: "after-stage", stage: stage.stageName, generation: generation, now: now)
        stage.markWaiting(
            "All clusters in the stage are updated, waiting for after-stage tasks to complete",
            generation: generation, now: now)
        switch try afterStageTasks(config, &stage) {
        case .done:
            run.status.markProgressing(generation: generation, now: now)
            stage.markSucceeded(generation: generation, now: now)
            events.append(.stageSucceeded(stage: stage.stageName))
            return .continueNow
        case let .waiting(remaining):
            // Only a timed wait needs the clock; an approval arrives as a commit.
            return remaining.map { .wait($0) } ?? .settled
        }
    }

    /// Deletes every to-be-deleted binding not deleted yet; a cluster whose binding is gone is
    /// done. The stage, and the run, succeed once no such binding is left.
    mutating func executeDeletionStage(
        _ collected: CollectedBindings
    ) throws(RolloutError) -> PassOutcome {
        guard var stage = run.status.deletionStageStatus else {
            throw .aborted(.unexpected, "the updateRun has nil deletionStageStatus")
        }
        defer { run.status.deletionStageStatus = stage }
        stage.markProgressStarted(generation: generation, now: now)

        var gone = Set(stage.clusters.map(\.clusterName))
        for binding in collected.toBeDeleted {
            let member = binding.targetCluster
            guard let index = stage.clusters.firstIndex(where: { $0.clusterName == member }) else {
                throw .aborted(
                    .unexpected, "the to be deleted cluster `\(member)` is not in the deleting "
                        + "stage during execution")
            }
            gone.remove(member)
            if stage.clusters[index].conditions.isTrue(.succeeded, generation: generation) {
                throw .aborted(
                    .unexpected, "the deleted cluster `\(member)` in the deleting stage still has "
                        + "a binding")
            }
            // The engine drops a deleted binding in the same commit, so one still here after
            // its deletion started was never applied; asking again is harmless.
            delete(binding: binding.meta.name)
            if !stage.clusters[index].conditions.isTrue(.started, generation: generation) {
                stage.clusters[index].markStarted(generation: generation, now: now)
                events.append(.bindingDeleted(member: member, binding: binding.meta.name))
            }
        }
        markRemoved(gone, in: &stage)
        guard collected.toBeDeleted.isEmpty else {
            return .wait(RolloutTiming.clusterUpdatingWait)
        }
        stage.markSucceeded(generation: generation, now: now)
        events.append(.stageSucceeded(stage: stage.stageName))
        return .finished
    }

    /// Clusters of the deletion stage whose binding no longer exists are done.
    mutating func markRemoved(_ members: Set<String>, in stage: inout StageUpdatingStatus) {
        for index in stage.clusters.indices where members.contains(stage.clusters[index].clusterName) {
            if !stage.clusters[index].conditions.isTrue(.started, generation: generation) {
                stage.clusters[index].markStarted(generation: generation, now: now)
            }
            if !stage.clusters[index].conditions.isTrue(.succeeded, generation: generation) {
                stage.clusters[index].markSucceeded(generation: generation, now: now)
                events.append(.memberRemoved(member: stage.clusters[index].clusterName))
            }
        }
    }
}
