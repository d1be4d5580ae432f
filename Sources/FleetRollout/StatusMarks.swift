import FleetAPI
import Foundation

// One small named transition per step, each setting that step's conditions and times. A
// condition's lastTransitionTime moves only when its status changes (`Conditions.set`), which
// the TimedWait clock and the stuck detection rely on.

extension UpdateRunStatus {
    /// Moves every condition of the run, its stages, clusters and tasks to `generation`, so
    /// that "current generation" checks never go stale after a spec edit.
    mutating func setObservedGeneration(_ generation: Int) {
        conditions.setObservedGeneration(generation)
        for index in stagesStatus.indices {
            stagesStatus[index].setObservedGeneration(generation)
        }
        deletionStageStatus?.setObservedGeneration(generation)
    }

    mutating func markInitialized(generation: Int, now: Date) {
        conditions.set(
            .initialized, .true, reason: Reason.updateRunInitializeSucceeded,
            message: "The UpdateRun initialized successfully", generation: generation, now: now)
    }

    mutating func markInitializationFailed(_ message: String, generation: Int, now: Date) {
        conditions.set(
            .initialized, .false, reason: Reason.updateRunInitializeFailed, message: message,
            generation: generation, now: now)
    }

    mutating func markProgressing(generation: Int, now: Date) {
        conditions.set(
            .progressing, .true, reason: Reason.updateRunProgressing,
            message: "The update run is making progress", generation: generation, now: now)
    }

    /// Keeps a Waiting or Stuck condition, so that its transition time is not refreshed by a
    /// pass that ends in the same state.
    mutating func markProgressingIfNotWaitingOrStuck(generation: Int, now: Date) {
        if let current = conditions[.progressing], current.status == .false,
           current.reason == Reason.updateRunWaiting || current.reason == Reason.updateRunStuck {
            return
        }
        markProgressing(generation: generation, now: now)
    }

    /// `kind` is `before-stage` or `after-stage`.
    mutating func markWaiting(kind: String, stage: String, generation: Int, now: Date) {
        conditions.set(
            .progressing, .false, reason: Reason.updateRunWaiting,
            message: "The updateRun is waiting for \(kind) tasks in stage \(stage) to complete",
            generation: generation, now: now)
    }

    mutating func markStuck(stage: String, clusters: [String], generation: Int, now: Date) {
        var names = clusters.prefix(3).joined(separator: ", ")
        if clusters.count > 3 { names += "..." }
        conditions.set(
            .progressing, .false, reason: Reason.updateRunStuck,
            message: "The updateRun is stuck waiting for \(names) cluster(s) in stage \(stage) "
                + "to finish updating, please check placement status for potential errors",
            generation: generation, now: now)
    }

    mutating func markStopping(generation: Int, now: Date) {
        conditions.set(
            .progressing, .unknown, reason: Reason.updateRunStopping,
            message: "The update run is the process of stopping, waiting for all the "
                + "updating/deleting clusters to finish updating before completing the stop process",
            generation: generation, now: now)
    }

    mutating func markStopped(generation: Int, now: Date) {
        conditions.set(
            .progressing, .false, reason: Reason.updateRunStopped,
            message: "The update run has been stopped", generation: generation, now: now)
    }

    mutating func markSucceeded(generation: Int, now: Date) {
        conditions.set(
            .progressing, .false, reason: Reason.updateRunSucceeded,
            message: "All stages are completed", generation: generation, now: now)
        conditions.set(
            .succeeded, .true, reason: Reason.updateRunSucceeded,
            message: "All stages are completed successfully", generation: generation, now: now)
    }

    mutating func markFailed(_ message: String, generation: Int, now: Date) {
        conditions.set(
            .progressing, .false, reason: Reason.updateRunFailed,
            message: "The stages are aborted due to a non-recoverable error",
            generation: generation, now: now)
        conditions.set(
            .succeeded, .false, reason: Reason.updateRunFailed, message: message,
            generation: generation, now: now)
    }

    /// The reason of the run's `Progressing` condition, if any.
    var progressingReason: String? { conditions[.progressing]?.reason }
}

extension StageUpdatingStatus {
    mutating func setObservedGeneration(_ generation: Int) {
        conditions.setObservedGeneration(generation)
        for index in clusters.indices {
            clusters[index].conditions.setObservedGeneration(generation)
        }
        for index in beforeStageTaskStatus.indices {
            beforeStageTaskStatus[index].conditions.setObservedGeneration(generation)
        }
        for index in afterStageTaskStatus.indices {
            afterStageTaskStatus[index].conditions.setObservedGeneration(generation)
        }
    }

    /// Neither finished nor failed, but touched: the stage the run is working on.
    var isInProgress: Bool { conditions[.progressing] != nil && conditions[.succeeded] == nil }

    mutating func markProgressStarted(generation: Int, now: Date) {
        if startTime == nil { startTime = now }
        conditions.set(
            .progressing, .true, reason: Reason.stageUpdatingStarted,
            message: "Clusters in the stage started updating", generation: generation, now: now)
    }

    mutating func markWaiting(_ message: String, generation: Int, now: Date) {
        conditions.set(
            .progressing, .false, reason: Reason.stageUpdatingWaiting, message: message,
            generation: generation, now: now)
    }

    mutating func markSucceeded(generation: Int, now: Date) {
        if endTime == nil { endTime = now }
        conditions.set(
            .progressing, .false, reason: Reason.stageUpdatingSucceeded,
            message: "All clusters in the stage are updated and after-stage tasks are completed",
            generation: generation, now: now)
        conditions.set(
            .succeeded, .true, reason: Reason.stageUpdatingSucceeded,
            message: "Stage update completed successfully", generation: generation, now: now)
    }

    mutating func markSkippedNoClusters(generation: Int, now: Date) {
        if startTime == nil { startTime = now }
        if endTime == nil { endTime = now }
        let message = "Stage skipped because it has no clusters"
        conditions.set(
            .progressing, .false, reason: Reason.stageUpdatingSkippedNoClusters, message: message,
            generation: generation, now: now)
        conditions.set(
            .succeeded, .true, reason: Reason.stageUpdatingSkippedNoClusters, message: message,
            generation: generation, now: now)
    }

    mutating func markFailed(_ message: String, generation: Int, now: Date) {
        if endTime == nil { endTime = now }
        conditions.set(
            .progressing, .false, reason: Reason.stageUpdatingFailed,
            message: "Stage update aborted due to a non-recoverable error",
            generation: generation, now: now)
        conditions.set(
            .succeeded, .false, reason: Reason.stageUpdatingFailed, message: message,
            generation: generation, now: now)
    }

    mutating func markStopping(generation: Int, now: Date) {
        conditions.set(
            .progressing, .unknown, reason: Reason.stageUpdatingStopping,
            message: "Waiting for all the updating clusters to finish updating before "
                + "completing the stop process",
            generation: generation, now: now)
    }

    /// Completing a stop restarts the stage's clock even when its status was already False
    /// (KubeFleet passes through Stopping on the way), so an after-stage TimedWait counts
    /// again from the moment the stop completed. Repeating it while stopped changes nothing.
    mutating func markStopped(generation: Int, now: Date) {
        if conditions[.progressing]?.reason != Reason.stageUpdatingStopped {
            conditions.remove(.progressing)
        }
        conditions.set(
            .progressing, .false, reason: Reason.stageUpdatingStopped,
            message: "All the updating clusters have finished updating, the stage is now "
                + "stopped, waiting to be resumed",
            generation: generation, now: now)
    }
}

extension ClusterUpdatingStatus {
    mutating func markStarted(generation: Int, now: Date) {
        conditions.set(
            .started, .true, reason: Reason.clusterUpdatingStarted,
            message: "Cluster update started", generation: generation, now: now)
    }

    mutating func markSucceeded(generation: Int, now: Date) {
        conditions.set(
            .succeeded, .true, reason: Reason.clusterUpdatingSucceeded,
            message: "Cluster update completed successfully", generation: generation, now: now)
    }

    mutating func markFailed(_ message: String, generation: Int, now: Date) {
        conditions.set(
            .succeeded, .false, reason: Reason.clusterUpdatingFailed, message: message,
            generation: generation, now: now)
    }
}

extension StageTaskStatus {
    mutating func markRequestCreated(generation: Int, now: Date) {
        conditions.set(
            .approvalRequestCreated, .true, reason: Reason.approvalRequestCreated,
            message: "ApprovalRequest object is created", generation: generation, now: now)
    }

    mutating func markRequestApproved(generation: Int, now: Date) {
        conditions.set(
            .approvalRequestApproved, .true, reason: Reason.approvalRequestApproved,
            message: "ApprovalRequest object is approved", generation: generation, now: now)
    }

    mutating func markWaitTimeElapsed(generation: Int, now: Date) {
        conditions.set(
            .waitTimeElapsed, .true, reason: Reason.waitTimeElapsed,
            message: "Wait time elapsed", generation: generation, now: now)
    }
}

extension Conditions {
    mutating func setObservedGeneration(_ generation: Int) {
        for index in items.indices {
            items[index].observedGeneration = generation
        }
    }
}
