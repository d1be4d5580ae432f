/// A ClusterApprovalRequest or ApprovalRequest: gitfleet creates it, a person approves it by
/// committing an `Approved` condition, and gitfleet accepts it once and for good.
package struct ApprovalRequest: Hashable, Sendable {
    package enum TaskType: String, Hashable, Sendable {
        case beforeStage
        case afterStage
    }

    package var meta: ObjectMeta
    /// `spec.parentStageRollout`: the run's name.
    package var parentStageRollout: String
    package var targetStage: String
    package var conditions: Conditions<ApprovalRequestConditionType>

    package init(
        meta: ObjectMeta, parentStageRollout: String, targetStage: String,
        conditions: Conditions<ApprovalRequestConditionType> = Conditions()
    ) {
        self.meta = meta
        self.parentStageRollout = parentStageRollout
        self.targetStage = targetStage
        self.conditions = conditions
    }

    package var scope: FleetScope { meta.namespace == nil ? .cluster : .namespaced }
    package var kind: FleetKind { .approvalRequest(scope) }
    package var key: ObjectKey { meta.key }

    /// `<run>-before-<stage>` or `<run>-after-<stage>`.
    package static func name(run: String, stage: String, task: TaskType) -> String {
        "\(run)-\(task == .beforeStage ? "before" : "after")-\(stage)"
    }

    /// Approved with a matching observedGeneration.
    package var isApproved: Bool { conditions.isTrue(.approved, generation: meta.generation) }
    package var isAccepted: Bool { conditions.isTrue(.approvalAccepted, generation: meta.generation) }
}
