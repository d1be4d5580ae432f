import FleetYAML

/// A Kubernetes group, version and kind; the core group is "".
package struct GroupVersionKind: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var group: String
    package var version: String
    package var kind: String

    package init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Splits an `apiVersion` such as `apps/v1` or `v1`.
    package init(apiVersion: String, kind: String) {
        if let slash = apiVersion.firstIndex(of: "/") {
            self.init(group: String(apiVersion[..<slash]),
                      version: String(apiVersion[apiVersion.index(after: slash)...]), kind: kind)
        } else {
            self.init(group: "", version: apiVersion, kind: kind)
        }
    }

    package var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    package var description: String { group.isEmpty ? "\(version), Kind=\(kind)" : "\(group)/\(version), Kind=\(kind)" }

    package static func < (lhs: GroupVersionKind, rhs: GroupVersionKind) -> Bool {
        (lhs.group, lhs.version, lhs.kind) < (rhs.group, rhs.version, rhs.kind)
    }
}

/// A workload object from the repository that placements can select.
package struct WorkloadResource: Equatable, Sendable {
    package var gvk: GroupVersionKind
    package var name: String
    /// nil for cluster-scoped kinds.
    package var namespace: String?
    package var labels: [String: String]
    package var annotations: [String: String]
    /// The whole object as authored, scalar styles included.
    package var node: YAMLNode
    /// Where the object starts, for error messages.
    package var location: SourceLocation?
    /// The canonical JSON of the object as a resource snapshot holds it, when whoever made
    /// this value computed it already (the engine does, once per parsed file): a snapshot's
    /// hash covers every resource it selects, and one changed resource makes a new one.
    /// Derived from `node`, so equality ignores it.
    package var snapshotJSON: [UInt8]?

    package init(
        gvk: GroupVersionKind, name: String, namespace: String?, labels: [String: String] = [:],
        annotations: [String: String] = [:], node: YAMLNode, location: SourceLocation? = nil
    ) {
        self.gvk = gvk
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.node = node
        self.location = location
    }

    package static func == (lhs: WorkloadResource, rhs: WorkloadResource) -> Bool {
        lhs.gvk == rhs.gvk && lhs.name == rhs.name && lhs.namespace == rhs.namespace
            && lhs.labels == rhs.labels && lhs.annotations == rhs.annotations
            && lhs.node == rhs.node && lhs.location == rhs.location
    }

    /// `group/version/kind/namespace/name`, unique per object; duplicates are an error.
    package var identity: String {
        "\(gvk.group)/\(gvk.version)/\(gvk.kind)/\(namespace ?? "")/\(name)"
    }
}

/// A fleet object decoded from the repository or from gitfleet's status files.
package enum FleetObject: Equatable, Sendable {
    case memberCluster(MemberCluster)
    case placement(Placement)
    case strategy(StagedUpdateStrategy)
    case updateRun(UpdateRun)
    case approvalRequest(ApprovalRequest)
    case resourceSnapshot(ResourceSnapshot)
    case policySnapshot(PolicySnapshot)
    case placementStatus(PlacementStatus)
    /// Overrides are read and validated for kind and name only; gitfleet does not apply them.
    case override(kind: FleetKind, key: ObjectKey)
}
