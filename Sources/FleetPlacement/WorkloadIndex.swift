import FleetAPI

/// A Kubernetes group and kind. Selection matches on these two: the repository holds each
/// object in the one version it was written in, as an API server would serve every version.
package struct GroupKind: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// "" for the core group.
    package var group: String
    /// The kind, such as `Deployment`.
    package var kind: String

    /// A group and kind.
    package init(group: String, kind: String) {
        self.group = group
        self.kind = kind
    }

    /// The group and kind of `gvk`, without its version.
    package init(_ gvk: GroupVersionKind) {
        self.init(group: gvk.group, kind: gvk.kind)
    }

    /// `Kind.group`, as kubectl prints a group kind, or `Kind` for the core group.
    package var description: String { group.isEmpty ? kind : "\(kind).\(group)" }

    /// Ordered by group, then kind.
    package static func < (lhs: GroupKind, rhs: GroupKind) -> Bool {
        (lhs.group, lhs.kind) < (rhs.group, rhs.kind)
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
    private var declaredScopes: [GroupKind: FleetScope]

    /// - Parameter kindScopes: scopes known from elsewhere, such as the CustomResourceDefinitions
    ///   of the repository; they win over what the objects and the built-in table say.
    package init(_ resources: [WorkloadResource] = [], kindScopes: [GroupKind: FleetScope] = [:]) {
        declaredScopes = kindScopes
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
        declaredScopes[groupKind] = scope
    }

    /// The scope of a kind: declared, else as its objects are, else from the built-in table;
    /// nil when nothing tells.
    package func scope(of groupKind: GroupKind) -> FleetScope? {
        if let declared = declaredScopes[groupKind] { return declared }
        if let counts = scopeCounts[groupKind] {
            return counts.cluster >= counts.namespaced ? .cluster : .namespaced
        }
        return KindScopes.builtIn[groupKind]
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

/// The scope of the Kubernetes kinds a repository may hold without declaring them.
package enum KindScopes {
    private static let clusterScoped: [(String, [String])] = [
        ("", ["Namespace", "Node", "PersistentVolume", "ComponentStatus"]),
        ("rbac.authorization.k8s.io", ["ClusterRole", "ClusterRoleBinding"]),
        ("storage.k8s.io", ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
                            "VolumeAttributesClass"]),
        ("scheduling.k8s.io", ["PriorityClass"]),
        ("node.k8s.io", ["RuntimeClass"]),
        ("networking.k8s.io", ["IngressClass", "IPAddress", "ServiceCIDR"]),
        ("apiextensions.k8s.io", ["CustomResourceDefinition"]),
        ("apiregistration.k8s.io", ["APIService"]),
        ("admissionregistration.k8s.io", [
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
        ]),
        ("certificates.k8s.io", ["CertificateSigningRequest", "ClusterTrustBundle"]),
        ("flowcontrol.apiserver.k8s.io", ["FlowSchema", "PriorityLevelConfiguration"]),
        ("placement.kubernetes-fleet.io", ["ClusterResourceEnvelope"]),
    ]

    private static let namespaced: [(String, [String])] = [
        ("", ["ConfigMap", "Secret", "Service", "ServiceAccount", "Endpoints", "Pod",
              "PersistentVolumeClaim", "ReplicationController", "PodTemplate", "ResourceQuota",
              "LimitRange", "Event"]),
        ("apps", ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ControllerRevision"]),
        ("batch", ["Job", "CronJob"]),
        ("rbac.authorization.k8s.io", ["Role", "RoleBinding"]),
        ("networking.k8s.io", ["NetworkPolicy", "Ingress"]),
        ("policy", ["PodDisruptionBudget"]),
        ("autoscaling", ["HorizontalPodAutoscaler"]),
        ("discovery.k8s.io", ["EndpointSlice"]),
        ("coordination.k8s.io", ["Lease"]),
        ("events.k8s.io", ["Event"]),
        ("storage.k8s.io", ["CSIStorageCapacity"]),
        ("placement.kubernetes-fleet.io", ["ResourceEnvelope"]),
    ]

    /// Built-in kinds and their scope.
    package static let builtIn: [GroupKind: FleetScope] = {
        var table: [GroupKind: FleetScope] = [:]
        for (group, kinds) in clusterScoped {
            for kind in kinds { table[GroupKind(group: group, kind: kind)] = .cluster }
        }
        for (group, kinds) in namespaced {
            for kind in kinds { table[GroupKind(group: group, kind: kind)] = .namespaced }
        }
        return table
    }()
}
