import FleetAPI
import Foundation

// Approval tasks before and after a stage. A request is created once per task; a person
// approves it by committing `Approved` at the request's generation; the run writes
// `ApprovalAccepted` once, after which revoking the approval changes nothing.

/// Where a stage's after-stage tasks stand.
enum AfterStageTasks {
    case done
    /// Not done; the remaining time of a running TimedWait, if one is running.
    case waiting(TimeInterval?)
}

extension Reconciliation {
    mutating func beforeStageTasksApproved(
        _ config: StageConfig, _ stage: inout StageUpdatingStatus
    ) throws(RolloutError) -> Bool {
        for (index, task) in config.beforeStageTasks.enumerated() {
            switch task.type {
            case .approval:
                guard stage.beforeStageTaskStatus.indices.contains(index) else {
                    throw missingTaskStatus(stage.stageName)
                }
                return try approved(&stage.beforeStageTaskStatus[index], stage: stage.stageName,
                                    kind: .beforeStage)
            case .timedWait:
                throw .aborted(
                    .unexpected, "found unsupported task type in before stage tasks: TimedWait")
            }
        }
        return true
    }

    /// Evaluates every after-stage task on each pass; a TimedWait and an Approval run side by
    /// side and both must be done.
    mutating func afterStageTasks(
        _ config: StageConfig, _ stage: inout StageUpdatingStatus
    ) throws(RolloutError) -> AfterStageTasks {
        var done = true
        var remaining: TimeInterval?
        for (index, task) in config.afterStageTasks.enumerated() {
            guard stage.afterStageTaskStatus.indices.contains(index) else {
                throw missingTaskStatus(stage.stageName)
            }
            switch task.type {
            case .timedWait:
                // The clock starts when the stage's Progressing condition last changed status:
                // when its clusters finished, or when a stop completed.
                let start = stage.conditions[.progressing]?.lastTransitionTime ?? now
                let end = start.addingTimeInterval(task.waitTime?.seconds ?? 0)
                if end > now {
                    done = false
                    remaining = end.timeIntervalSince(now)
                } else {
                    let wasElapsed = stage.afterStageTaskStatus[index].conditions
                        .isTrue(.waitTimeElapsed)
                    stage.afterStageTaskStatus[index].markWaitTimeElapsed(
                        generation: generation, now: now)
                    if !wasElapsed { events.append(.waitTimeElapsed(stage: stage.stageName)) }
                }
            case .approval:
                if !(try approved(&stage.afterStageTaskStatus[index], stage: stage.stageName,
                                  kind: .afterStage)) {
                    done = false
                }
            }
        }
        return done ? .done : .waiting(remaining)
    }

    /// Creates the task's request when it does not exist, accepts it once approved, and says
    /// whether the task is done.
    mutating func approved(
        _ task: inout StageTaskStatus, stage: String, kind: ApprovalRequest.TaskType
    ) throws(RolloutError) -> Bool {
        if task.conditions.isTrue(.approvalRequestApproved, generation: generation) {
            return true
        }
        let name = task.approvalRequestName
            ?? ApprovalRequest.name(run: run.meta.name, stage: stage, task: kind)
        guard var request = approvals[name] else {
            // New, or deleted before it was accepted: a fresh, unapproved one.
            write(newApprovalRequest(name, stage: stage, kind: kind))
            task.markRequestCreated(generation: generation, now: now)
            events.append(.waitingForApproval(name: name))
            return false
        }
        task.markRequestCreated(generation: generation, now: now)
        guard request.parentStageRollout == run.meta.name, request.targetStage == stage else {
            let namespace = run.meta.namespace
            throw .aborted(
                .unexpected, "the approval request task `\(request.meta.key)` is targeting update "
                    + "run `\(ObjectKey(namespace: namespace, name: request.parentStageRollout))` "
                    + "and stage `\(request.targetStage)`, want target update run "
                    + "`\(ObjectKey(namespace: namespace, name: run.meta.name))` and stage `\(stage)`")
        }
        let isApproved = request.isApproved
        let isAccepted = request.isAccepted
        if !isApproved && !isAccepted {
            return false
        }
        if isApproved && !isAccepted {
            request.conditions.set(
                .approvalAccepted, .true, reason: Reason.approvalRequestApprovalAccepted,
                message: "The approval request has been approved and cannot be reverted",
                generation: request.meta.generation, now: now)
            write(request)
            events.append(.approvalAccepted(name: name))
        }
        task.markRequestApproved(generation: generation, now: now)
        return true
    }

    func newApprovalRequest(
        _ name: String, stage: String, kind: ApprovalRequest.TaskType
    ) -> ApprovalRequest {
        let labels = [
            FleetLabel.targetUpdatingStage: stage,
            FleetLabel.targetUpdateRun: run.meta.name,
            FleetLabel.taskType: kind.rawValue,
            FleetLabel.isLatestUpdateRunApproval: "true",
        ]
        return ApprovalRequest(
            meta: ObjectMeta(
                name: name, namespace: run.meta.namespace, labels: labels, generation: 1,
                creationTimestamp: now),
            parentStageRollout: run.meta.name, targetStage: stage)
    }

    func missingTaskStatus(_ stage: String) -> RolloutError {
        .aborted(.unexpected, "the task status of stage `\(stage)` does not match its tasks")
    }
}
