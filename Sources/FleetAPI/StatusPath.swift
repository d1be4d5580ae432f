/// Where gitfleet keeps an object under `status/`: `status/<plural>/<name>.yaml`, or
/// `status/<plural>/<namespace>/<name>.yaml` for namespaced kinds (design.md section 2).
///
/// Names are checked as Kubernetes names before a path is built, so no name can reach outside
/// the status folder or collide with another kind's files.
package enum StatusPath {
    /// The status folder when `gitfleet.yaml` names no other.
    package static let defaultRoot = "status"
    /// Every status file ends so.
    package static let fileExtension = ".yaml"

    /// The file of `key`, a `kind` object. Throws when the key's scope does not match the kind
    /// or a name is not a valid Kubernetes name.
    package static func path(
        kind: FleetKind, key: ObjectKey, root: String = defaultRoot
    ) throws(Diagnostic) -> String {
        // Only a refusal names the object: parse calls this for every status file.
        var object: String { ObjectRef(kind, key).description }
        if let problem = KubernetesName.subdomainProblem(key.name) {
            throw Diagnostic("metadata.name: \(problem)", object: object)
        }
        switch (kind.scope, key.namespace) {
        case (.cluster, nil):
            return "\(root)/\(kind.plural)/\(key.name)\(fileExtension)"
        case let (.namespaced, namespace?):
            if let problem = KubernetesName.labelProblem(namespace) {
                throw Diagnostic("metadata.namespace: \(problem)", object: object)
            }
            return "\(root)/\(kind.plural)/\(namespace)/\(key.name)\(fileExtension)"
        case (.cluster, .some):
            throw Diagnostic("cluster-scoped kind '\(kind.rawValue)' cannot have a namespace",
                             object: object)
        case (.namespaced, nil):
            throw Diagnostic("namespaced kind '\(kind.rawValue)' needs a namespace",
                             object: object)
        }
    }

    /// Computed once: a tick parses the path of every status file, thousands of them.
    private static let kindsByFolder = Dictionary(
        FleetKind.allCases.map { ($0.plural, $0) }, uniquingKeysWith: { first, _ in first })

    /// The kind and key a status file holds, or nil when `path` is not one `path(kind:key:)`
    /// could have built.
    package static func parse(_ path: String, root: String = defaultRoot)
        -> (kind: FleetKind, key: ObjectKey)?
    {
        // Compared and split as bytes: Characters cost more than the rest of the check.
        let bytes = path.utf8
        guard bytes.count > root.utf8.count + 1 + fileExtension.utf8.count,
              bytes.starts(with: root.utf8),
              bytes.dropFirst(root.utf8.count).first == UInt8(ascii: "/"),
              bytes.suffix(fileExtension.utf8.count).elementsEqual(fileExtension.utf8)
        else { return nil }
        let rest = bytes.dropFirst(root.utf8.count + 1).dropLast(fileExtension.utf8.count)
        let parts = rest.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard parts.count == 3 || parts.count == 2,
              let kind = kindsByFolder[parts[0]]
        else { return nil }
        let key = parts.count == 3
            ? ObjectKey(namespace: parts[1], name: parts[2]) : ObjectKey(name: parts[1])
        // What `path(kind:key:root:)` checks, without building the path again: its parts
        // came from `path` itself, so the rebuilt text could only differ by being refused.
        switch (kind.scope, key.namespace) {
        case (.cluster, nil):
            break
        case let (.namespaced, namespace?):
            guard KubernetesName.labelProblem(namespace) == nil else { return nil }
        case (.cluster, .some), (.namespaced, nil):
            return nil
        }
        guard KubernetesName.subdomainProblem(key.name) == nil else { return nil }
        return (kind, key)
    }
}
