/// Condition reasons, spelled as KubeFleet spells them so tools and people can match on them.
package enum Reason {
    // Update runs.
    package static let updateRunInitializeSucceeded = "UpdateRunInitializedSuccessfully"
    package static let updateRunInitializeFailed = "UpdateRunInitializedFailed"
    package static let updateRunProgressing = "UpdateRunProgressing"
    package static let updateRunFailed = "UpdateRunFailed"
    package static let updateRunStuck = "UpdateRunStuck"
    package static let updateRunWaiting = "UpdateRunWaiting"
    package static let updateRunSucceeded = "UpdateRunSucceeded"
    package static let updateRunStopping = "UpdateRunStopping"
    package static let updateRunStopped = "UpdateRunStopped"

    // Stages.
    package static let stageUpdatingStarted = "StageUpdatingStarted"
    package static let stageUpdatingWaiting = "StageUpdatingWaiting"
    package static let stageUpdatingFailed = "StageUpdatingFailed"
    package static let stageUpdatingSucceeded = "StageUpdatingSucceeded"
    package static let stageUpdatingSkippedNoClusters = "StageUpdatingSkippedNoClusters"
    package static let stageUpdatingStopping = "StageUpdatingStopping"
    package static let stageUpdatingStopped = "StageUpdatingStopped"

    // Clusters within a stage.
    package static let clusterUpdatingStarted = "ClusterUpdatingStarted"
    package static let clusterUpdatingFailed = "ClusterUpdatingFailed"
    package static let clusterUpdatingSucceeded = "ClusterUpdatingSucceeded"

    // Stage tasks.
    package static let approvalRequestCreated = "StageTaskApprovalRequestCreated"
    package static let approvalRequestApproved = "StageTaskApprovalRequestApproved"
    package static let waitTimeElapsed = "AfterStageTaskWaitTimeElapsed"

    // Approval requests.
    package static let approvalRequestApprovalAccepted = "ApprovalRequestApprovalAccepted"

    // Bindings.
    package static let rolloutStarted = "RolloutStarted"
    package static let availableByPush = "MemberUpdatePushed"
    package static let availableByReport = "MemberReportedAvailable"
    package static let awaitingReport = "ResourceNotAvailableYet"

    // Policy snapshots.
    package static let scheduled = "Scheduled"
    package static let notFullyScheduled = "SchedulingPolicyUnfulfilled"
}
