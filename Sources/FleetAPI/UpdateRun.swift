import Foundation

/// A ClusterStagedUpdateRun or StagedUpdateRun: one release of a placement's snapshot.
package struct UpdateRun: Hashable, Sendable {
    package var meta: ObjectMeta
    package var spec: UpdateRunSpec
    package var status: UpdateRunStatus
    package var origin: UpdateRunOrigin

    package init(
        meta: ObjectMeta, spec: UpdateRunSpec, status: UpdateRunStatus = UpdateRunStatus(),
        origin: UpdateRunOrigin
    ) {
        self.meta = meta
        self.spec = spec
        self.status = status
        self.origin = origin
    }

    package var scope: FleetScope { meta.namespace == nil ? .cluster : .namespaced }
    package var kind: FleetKind { .updateRun(scope) }
    package var key: ObjectKey { meta.key }
}

/// Who wrote a run's spec, which decides where people change its state (design.md section 2).
package enum UpdateRunOrigin: Hashable, Sendable {
    /// A person committed the run in this file; its state is changed there.
    case committed(file: String)
    /// gitfleet created it for a commit that changed an annotated placement's content;
    /// its spec and status live under `status/`.
    case perCommit(commit: String)
}

package enum UpdateRunState: String, CaseIterable, Hashable, Sendable {
    case initialize = "Initialize"
    case run = "Run"
    case stop = "Stop"
}

package struct UpdateRunSpec: Hashable, Sendable {
    package var placementName: String
    /// As written; omitted means "the content of the commit that added the run".
    package var resourceSnapshotIndex: String?
    package var stagedRolloutStrategyName: String
    package var state: UpdateRunState

    package init(
        placementName: String, resourceSnapshotIndex: String? = nil,
        stagedRolloutStrategyName: String, state: UpdateRunState = .initialize
    ) {
        self.placementName = placementName
        self.resourceSnapshotIndex = resourceSnapshotIndex
        self.stagedRolloutStrategyName = stagedRolloutStrategyName
        self.state = state
    }
}

package struct UpdateRunStatus: Hashable, Sendable {
    package var policySnapshotIndexUsed: String?
    package var policyObservedClusterCount: Int?
    package var resourceSnapshotIndexUsed: String?
    package var appliedStrategy: ApplyStrategy?
    package var stagedUpdateStrategySnapshot: [StageConfig]?
    package var stagesStatus: [StageUpdatingStatus]
    package var deletionStageStatus: StageUpdatingStatus?
    package var conditions: Conditions<UpdateRunConditionType>

    package init(
        policySnapshotIndexUsed: String? = nil, policyObservedClusterCount: Int? = nil,
        resourceSnapshotIndexUsed: String? = nil, appliedStrategy: ApplyStrategy? = nil,
        stagedUpdateStrategySnapshot: [StageConfig]? = nil,
        stagesStatus: [StageUpdatingStatus] = [], deletionStageStatus: StageUpdatingStatus? = nil,
        conditions: Conditions<UpdateRunConditionType> = Conditions()
    ) {
        self.policySnapshotIndexUsed = policySnapshotIndexUsed
        self.policyObservedClusterCount = policyObservedClusterCount
        self.resourceSnapshotIndexUsed = resourceSnapshotIndexUsed
        self.appliedStrategy = appliedStrategy
        self.stagedUpdateStrategySnapshot = stagedUpdateStrategySnapshot
        self.stagesStatus = stagesStatus
        self.deletionStageStatus = deletionStageStatus
        self.conditions = conditions
    }
}

package struct StageUpdatingStatus: Hashable, Sendable {
    package static let deletionStageName = "kubernetes-fleet.io/deleteStage"

    package var stageName: String
    package var clusters: [ClusterUpdatingStatus]
    package var beforeStageTaskStatus: [StageTaskStatus]
    package var afterStageTaskStatus: [StageTaskStatus]
    package var startTime: Date?
    package var endTime: Date?
    package var conditions: Conditions<StageConditionType>

    package init(
        stageName: String, clusters: [ClusterUpdatingStatus] = [],
        beforeStageTaskStatus: [StageTaskStatus] = [], afterStageTaskStatus: [StageTaskStatus] = [],
        startTime: Date? = nil, endTime: Date? = nil,
        conditions: Conditions<StageConditionType> = Conditions()
    ) {
        self.stageName = stageName
        self.clusters = clusters
        self.beforeStageTaskStatus = beforeStageTaskStatus
        self.afterStageTaskStatus = afterStageTaskStatus
        self.startTime = startTime
        self.endTime = endTime
        self.conditions = conditions
    }
}

package struct ClusterUpdatingStatus: Hashable, Sendable {
    package var clusterName: String
    package var conditions: Conditions<ClusterUpdatingConditionType>

    package init(clusterName: String, conditions: Conditions<ClusterUpdatingConditionType> = Conditions()) {
        self.clusterName = clusterName
        self.conditions = conditions
    }
}

package struct StageTaskStatus: Hashable, Sendable {
    package var type: StageTask.TaskType
    package var approvalRequestName: String?
    package var conditions: Conditions<StageTaskConditionType>

    package init(
        type: StageTask.TaskType, approvalRequestName: String? = nil,
        conditions: Conditions<StageTaskConditionType> = Conditions()
    ) {
        self.type = type
        self.approvalRequestName = approvalRequestName
        self.conditions = conditions
    }
}
