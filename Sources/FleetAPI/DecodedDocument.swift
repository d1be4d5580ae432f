import FleetYAML

/// Who wrote a document, which decides how some kinds are read.
package enum DocumentSource: Hashable, Sendable {
    /// People, anywhere in the repository outside the output folders. A placement is its spec,
    /// a run's status is ignored (gitfleet keeps it under `status/`) and its origin is the file.
    case repository
    /// gitfleet, under `status/`. A placement document is the placement's status, a run carries
    /// its status and its origin annotation, and snapshots are expected here.
    case status
}

/// An object's identity across versions: group, kind, namespace and name.
package struct ObjectRef: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The group and kind.
    package var groupKind: GroupKind
    /// The namespace as written, nil when none.
    package var namespace: String?
    /// `metadata.name`.
    package var name: String

    /// The identity of any object.
    package init(group: String, kind: String, namespace: String?, name: String) {
        self.groupKind = GroupKind(group: group, kind: kind)
        self.namespace = namespace
        self.name = name
    }

    /// The identity of a fleet object.
    package init(_ kind: FleetKind, _ key: ObjectKey) {
        self.init(group: kind.group, kind: kind.rawValue, namespace: key.namespace, name: key.name)
    }

    /// The fleet kind, when this is a fleet object.
    package var fleetKind: FleetKind? {
        FleetKind(rawValue: groupKind.kind).flatMap { $0.group == groupKind.group ? $0 : nil }
    }

    /// Namespace and name as an `ObjectKey`.
    package var key: ObjectKey { ObjectKey(namespace: namespace, name: name) }

    /// `Kind/name` or `Kind/namespace/name`, the form diagnostics name objects by.
    package var description: String {
        Self.display(kind: groupKind.kind, namespace: namespace, name: name)
    }

    static func display(kind: String, namespace: String?, name: String) -> String {
        namespace.map { "\(kind)/\($0)/\(name)" } ?? "\(kind)/\(name)"
    }

    /// By group and kind, then namespace, then name.
    package static func < (lhs: ObjectRef, rhs: ObjectRef) -> Bool {
        (lhs.groupKind, lhs.namespace ?? "", lhs.name) < (rhs.groupKind, rhs.namespace ?? "", rhs.name)
    }
}

/// The result of decoding one YAML document.
package struct DecodedDocument: Sendable {
    /// What a valid document holds.
    package enum Content: Equatable, Sendable {
        case fleet(FleetObject)
        case workload(WorkloadResource)
    }

    /// nil when the document is invalid; `diagnostics` then says why.
    package var content: Content?
    /// The object's identity, known whenever its kind and name could be read, valid or not.
    package var ref: ObjectRef?
    /// Where the document starts.
    package var location: SourceLocation?
    /// Every problem found, in document order; empty when the document is valid.
    package var diagnostics: [Diagnostic]

    /// A decoded document.
    package init(
        content: Content?, ref: ObjectRef?, location: SourceLocation?, diagnostics: [Diagnostic]
    ) {
        self.content = content
        self.ref = ref
        self.location = location
        self.diagnostics = diagnostics
    }

    /// The fleet object, when the document is a valid one.
    package var fleetObject: FleetObject? {
        if case let .fleet(object)? = content { return object }
        return nil
    }

    /// The workload resource, when the document is a valid one.
    package var workload: WorkloadResource? {
        if case let .workload(workload)? = content { return workload }
        return nil
    }
}

extension FleetObject {
    /// The object's kind (placement statuses report their placement's kind).
    package var kind: FleetKind {
        switch self {
        case .memberCluster: return .memberCluster
        case let .placement(p): return p.kind
        case let .strategy(s): return .strategy(s.scope)
        case let .updateRun(r): return r.kind
        case let .approvalRequest(a): return a.kind
        case let .resourceSnapshot(s): return s.kind
        case let .policySnapshot(s): return s.kind
        case let .placementStatus(s): return .placement(s.scope)
        case let .override(kind, _): return kind
        }
    }

    /// The object's namespace and name (a placement status's placement).
    package var key: ObjectKey {
        switch self {
        case let .memberCluster(m): return m.meta.key
        case let .placement(p): return p.key
        case let .strategy(s): return s.key
        case let .updateRun(r): return r.key
        case let .approvalRequest(a): return a.key
        case let .resourceSnapshot(s): return s.meta.key
        case let .policySnapshot(s): return s.meta.key
        case let .placementStatus(s): return s.placementKey
        case let .override(_, key): return key
        }
    }

    /// The object's identity.
    package var ref: ObjectRef { ObjectRef(kind, key) }
}

extension FleetAnnotation {
    /// On a run's status file: `commit:<sha>` for a run gitfleet created for that commit,
    /// `file:<path>` for a run a person committed in that file.
    package static let origin = "gitfleet.io/origin"
    /// On a binding: the commit that rendered its current snapshot into `deploy/<member>/`.
    package static let renderedCommit = "gitfleet.io/rendered-commit"
}

extension UpdateRunOrigin {
    /// The value of the `gitfleet.io/origin` annotation.
    package var annotation: String {
        switch self {
        case let .committed(file): return "file:\(file)"
        case let .perCommit(commit): return "commit:\(commit)"
        }
    }

    /// Reads `commit:<sha>` or `file:<path>`.
    package init?(annotation: String) {
        if annotation.hasPrefix("commit:"), annotation.count > 7 {
            self = .perCommit(commit: String(annotation.dropFirst(7)))
        } else if annotation.hasPrefix("file:"), annotation.count > 5 {
            self = .committed(file: String(annotation.dropFirst(5)))
        } else {
            return nil
        }
    }
}
