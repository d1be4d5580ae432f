import Foundation

/// A ClusterResourceBinding or ResourceBinding: one placement on one member.
///
/// Bindings are stored in their placement's status file rather than one file each.
package struct Binding: Hashable, Sendable {
    package enum State: String, CaseIterable, Hashable, Sendable {
        case scheduled = "Scheduled"
        case bound = "Bound"
        case unscheduled = "Unscheduled"
    }

    package var meta: ObjectMeta
    package var placementName: String
    package var targetCluster: String
    package var state: State
    package var resourceSnapshotName: String?
    package var schedulingPolicySnapshotName: String
    package var applyStrategy: ApplyStrategy?
    package var conditions: Conditions<BindingConditionType>
    /// The commit that rendered this binding's current snapshot into `deploy/<member>/`.
    package var renderedCommit: String?

    package init(
        meta: ObjectMeta, placementName: String, targetCluster: String, state: State,
        resourceSnapshotName: String? = nil, schedulingPolicySnapshotName: String,
        applyStrategy: ApplyStrategy? = nil,
        conditions: Conditions<BindingConditionType> = Conditions(), renderedCommit: String? = nil
    ) {
        self.meta = meta
        self.placementName = placementName
        self.targetCluster = targetCluster
        self.state = state
        self.resourceSnapshotName = resourceSnapshotName
        self.schedulingPolicySnapshotName = schedulingPolicySnapshotName
        self.applyStrategy = applyStrategy
        self.conditions = conditions
        self.renderedCommit = renderedCommit
    }

    package var scope: FleetScope { meta.namespace == nil ? .cluster : .namespaced }
    package var kind: FleetKind { .binding(scope) }

    /// Everything but the member: bindings with equal shapes are written as one entry of
    /// their placement's status file. The parent label is dropped as the file implies it.
    package var groupShape: Binding {
        var shape = self
        shape.meta.name = ""
        if shape.meta.labels[FleetLabel.parentPlacement] != nil {
            shape.meta.labels[FleetLabel.parentPlacement] = nil
        }
        shape.targetCluster = ""
        return shape
    }

    /// `<placement>-<member>`: unique because there is one binding per placement and member.
    package static func name(placement: String, member: String) -> String {
        "\(placement)-\(member)"
    }
}
