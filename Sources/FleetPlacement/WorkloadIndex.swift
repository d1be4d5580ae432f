import FleetAPI

extension GroupKind {
    /// The group and kind of `gvk`, without its version. Selection matches on these two: the
    /// repository holds each object in the one version it was written in, as an API server
    /// would serve every version.
    package init(_ gvk: GroupVersionKind) {
        self.init(group: gvk.group, kind: gvk.kind)
    }

    /// Core `Namespace`.
    package static let namespace = GroupKind(group: "", kind: "Namespace")
    /// Core `Service`.
    package static let service = GroupKind(group: "", kind: "Service")
}

/// The workload resources of one commit, indexed so that a selector touches only the objects of
/// its kind (and namespace), a name lookup is O(1) and a namespace lists its objects directly.
///
/// Objects are kept per identity (`group/version/kind/namespace/name`); inserting an object with
/// an identity already present replaces it, so the index can follow a commit's changes.
package struct WorkloadIndex: Sendable {
    /// Which bucket of a kind: `nil` holds the cluster-scoped objects.
    private struct Bucket: Hashable, Sendable {
        var groupKind: GroupKind
        var namespace: String?
    }

    private var objects: [String: WorkloadResource] = [:]
    /// Per kind and namespace: object name to the identities with that name (one per version).
    private var byBucket: [Bucket: [String: Set<String>]] = [:]
    /// Per namespace: every namespaced object in it, whatever its kind.
    private var byNamespace: [String: Set<String>] = [:]
    /// How many objects of each kind are cluster-scoped or namespaced, to learn a kind's scope.
    private var scopeCounts: [GroupKind: (cluster: Int, namespaced: Int)] = [:]
    private var kindScopes: KindScopes

    /// - Parameter kindScopes: the built-in kinds and those the repository's
    ///   CustomResourceDefinitions declare; they win over what the objects say.
    package init(_ resources: [WorkloadResource] = [], kindScopes: KindScopes = KindScopes()) {
        self.kindScopes = kindScopes
        for resource in resources { insert(resource) }
    }

    /// The number of objects indexed.
    package var count: Int { objects.count }

    /// Adds an object, replacing one with the same identity.
    package mutating func insert(_ resource: WorkloadResource) {
        let id = resource.identity
        if objects[id] != nil { remove(identity: id) }
        objects[id] = resource
        let bucket = Bucket(groupKind: GroupKind(resource.gvk), namespace: resource.namespace)
        byBucket[bucket, default: [:]][resource.name, default: []].insert(id)
        var counts = scopeCounts[bucket.groupKind] ?? (0, 0)
        if let namespace = resource.namespace {
            byNamespace[namespace, default: []].insert(id)
            counts.namespaced += 1
        } else {
            counts.cluster += 1
        }
        scopeCounts[bucket.groupKind] = counts
    }

    /// Removes the object with this `WorkloadResource.identity`, if present.
    package mutating func remove(identity: String) {
        guard let resource = objects.removeValue(forKey: identity) else { return }
        let bucket = Bucket(groupKind: GroupKind(resource.gvk), namespace: resource.namespace)
        byBucket[bucket]?[resource.name]?.remove(identity)
        if byBucket[bucket]?[resource.name]?.isEmpty == true {
            byBucket[bucket]?[resource.name] = nil
        }
        if byBucket[bucket]?.isEmpty == true { byBucket[bucket] = nil }
        if var counts = scopeCounts[bucket.groupKind] {
            if let namespace = resource.namespace {
                byNamespace[namespace]?.remove(identity)
                if byNamespace[namespace]?.isEmpty == true { byNamespace[namespace] = nil }
                counts.namespaced -= 1
            } else {
                counts.cluster -= 1
            }
            scopeCounts[bucket.groupKind] = counts.cluster + counts.namespaced == 0 ? nil : counts
        }
    }

    /// Records the scope of a kind, as a CustomResourceDefinition declares it.
    package mutating func declareScope(_ scope: FleetScope, of groupKind: GroupKind) {
        kindScopes.declare(groupKind, scope: scope)
    }

    /// The scope of a kind: built in or declared, else as its objects are; nil when nothing
    /// tells (then there is no object of that kind either).
    package func scope(of groupKind: GroupKind) -> FleetScope? {
        if let known = kindScopes.scope(group: groupKind.group, kind: groupKind.kind) {
            return known
        }
        guard let counts = scopeCounts[groupKind] else { return nil }
        return counts.cluster >= counts.namespaced ? .cluster : .namespaced
    }

    /// Objects of a kind with this name, at cluster scope (`namespace` nil) or in a namespace.
    package func named(
        _ name: String, kind: GroupKind, namespace: String?
    ) -> [WorkloadResource] {
        let ids = byBucket[Bucket(groupKind: kind, namespace: namespace)]?[name] ?? []
        return ids.sorted().compactMap { objects[$0] }
    }

    /// Every object of a kind at cluster scope (`namespace` nil) or in one namespace.
    package func all(kind: GroupKind, namespace: String?) -> [WorkloadResource] {
        guard let names = byBucket[Bucket(groupKind: kind, namespace: namespace)] else {
            return []
        }
        return names.values.flatMap { $0 }.sorted().compactMap { objects[$0] }
    }

    /// Every namespaced object in a namespace, of any kind.
    package func all(inNamespace namespace: String) -> [WorkloadResource] {
        (byNamespace[namespace] ?? []).sorted().compactMap { objects[$0] }
    }

    /// True when an object of this kind and name exists there, in any version.
    package func contains(_ name: String, kind: GroupKind, namespace: String?) -> Bool {
        byBucket[Bucket(groupKind: kind, namespace: namespace)]?[name]?.isEmpty == false
    }
}
