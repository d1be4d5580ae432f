import Foundation

/// A ClusterResourceBinding or ResourceBinding: one placement on one member.
///
/// Bindings are stored in their placement's status file rather than one file each.
///
/// A fleet holds one binding per placement and member, millions of them in a large one, and
/// the bindings of a placement are mostly alike: members scheduled together, or updated in
/// one batch, differ only in their name and member. So everything but those two lives in one
/// immutable box that alike bindings share; changing a field gives that binding a box of its
/// own. A binding costs about 40 bytes plus its share of a box, instead of about 240.
package struct Binding: Hashable, Sendable {
    package enum State: String, CaseIterable, Hashable, Sendable {
        case scheduled = "Scheduled"
        case bound = "Bound"
        case unscheduled = "Unscheduled"
    }

    /// What alike bindings share; `meta.name` is always empty here.
    struct Fields: Hashable, Sendable {
        var meta: ObjectMeta
        var placementName: String
        var state: State
        var resourceSnapshotName: String?
        var schedulingPolicySnapshotName: String
        var applyStrategy: ApplyStrategy?
        var conditions: Conditions<BindingConditionType>
        var renderedCommit: String?
    }

    final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// The binding's name, `meta.name` without building the rest of its metadata.
    package private(set) var name: String
    package var targetCluster: String
    private(set) var box: Box

    private var fields: Fields {
        get { box.fields }
        set { box = Box(newValue) }
    }

    package init(
        meta: ObjectMeta, placementName: String, targetCluster: String, state: State,
        resourceSnapshotName: String? = nil, schedulingPolicySnapshotName: String,
        applyStrategy: ApplyStrategy? = nil,
        conditions: Conditions<BindingConditionType> = Conditions(), renderedCommit: String? = nil
    ) {
        var shared = meta
        shared.name = ""
        self.name = meta.name
        self.targetCluster = targetCluster
        self.box = Box(Fields(
            meta: shared, placementName: placementName, state: state,
            resourceSnapshotName: resourceSnapshotName,
            schedulingPolicySnapshotName: schedulingPolicySnapshotName,
            applyStrategy: applyStrategy, conditions: conditions, renderedCommit: renderedCommit))
    }

    /// Setting a meta that differs only in its name keeps the shared box.
    package var meta: ObjectMeta {
        get {
            var meta = box.fields.meta
            meta.name = name
            return meta
        }
        set {
            name = newValue.name
            var shared = newValue
            shared.name = ""
            if shared != box.fields.meta { fields.meta = shared }
        }
    }

    package var placementName: String {
        get { box.fields.placementName }
        set { fields.placementName = newValue }
    }

    package var state: State {
        get { box.fields.state }
        set { fields.state = newValue }
    }

    package var resourceSnapshotName: String? {
        get { box.fields.resourceSnapshotName }
        set { fields.resourceSnapshotName = newValue }
    }

    package var schedulingPolicySnapshotName: String {
        get { box.fields.schedulingPolicySnapshotName }
        set { fields.schedulingPolicySnapshotName = newValue }
    }

    package var applyStrategy: ApplyStrategy? {
        get { box.fields.applyStrategy }
        set { fields.applyStrategy = newValue }
    }

    package var conditions: Conditions<BindingConditionType> {
        get { box.fields.conditions }
        set { fields.conditions = newValue }
    }

    /// The commit that rendered this binding's current snapshot into `deploy/<member>/`.
    package var renderedCommit: String? {
        get { box.fields.renderedCommit }
        set { fields.renderedCommit = newValue }
    }

    /// Whether the two bindings share every field but their name and member, so whatever
    /// follows from those fields alone holds for both without looking again.
    package func sharesFields(with other: Binding) -> Bool {
        box === other.box
    }

    /// Takes every field of `other` but its name and member, sharing their storage.
    package mutating func takeFields(of other: Binding) {
        box = other.box
    }

    /// `meta.namespace` without building the rest of its metadata.
    package var namespace: String? { box.fields.meta.namespace }
    /// `meta.generation` without building the rest of its metadata.
    package var generation: Int { box.fields.meta.generation }
    package var scope: FleetScope { namespace == nil ? .cluster : .namespaced }
    package var kind: FleetKind { .binding(scope) }

    /// Everything but the member: bindings with equal shapes are written as one entry of
    /// their placement's status file. The parent label is dropped as the file implies it.
    package var groupShape: Binding {
        var shape = self
        shape.name = ""
        shape.targetCluster = ""
        if shape.box.fields.meta.labels[FleetLabel.parentPlacement] != nil {
            shape.fields.meta.labels[FleetLabel.parentPlacement] = nil
        }
        return shape
    }

    /// Makes alike bindings among those at `positions` share one box again, after each was
    /// changed on its own (a stage's batch of members moved to a snapshot, say).
    package static func shareAlike(_ bindings: inout [Binding], at positions: [Int]) {
        var boxes: [Fields: Box] = [:]
        var canonical: [ObjectIdentifier: Box] = [:]
        for index in positions {
            let box = bindings[index].box
            if let shared = canonical[ObjectIdentifier(box)] {
                bindings[index].box = shared
            } else if let shared = boxes[box.fields] {
                canonical[ObjectIdentifier(box)] = shared
                bindings[index].box = shared
            } else {
                boxes[box.fields] = box
                canonical[ObjectIdentifier(box)] = box
            }
        }
    }

    package static func == (lhs: Binding, rhs: Binding) -> Bool {
        lhs.name == rhs.name && lhs.targetCluster == rhs.targetCluster
            && (lhs.box === rhs.box || lhs.box.fields == rhs.box.fields)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(targetCluster)
        hasher.combine(box.fields)
    }

    /// `<placement>-<member>`: unique because there is one binding per placement and member.
    package static func name(placement: String, member: String) -> String {
        "\(placement)-\(member)"
    }
}
