import FleetAPI

/// The order of resources in a snapshot, as KubeFleet sorts them so that the same content always
/// gives the same list (and hash): a fixed rank by kind, then "group/version", then
/// "namespace/name"; kinds without a rank go last, by their full group/version/kind.
package enum ResourceOrder {
    /// Ranked by kind name alone, whatever the group, as KubeFleet does.
    package static let kindRanks: [String: Int] = {
        let kinds = [
            "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
            "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap", "StorageClass",
            "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition",
            "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "DaemonSet",
            "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
            "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        ]
        return Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })
    }()

    /// `resources` in snapshot order; objects that compare equal keep their input order.
    package static func sorted(_ resources: [WorkloadResource]) -> [WorkloadResource] {
        resources.map { SortKey($0) }.enumerated()
            .sorted { lhs, rhs in
                lhs.element == rhs.element ? lhs.offset < rhs.offset : lhs.element < rhs.element
            }
            .map { resources[$0.offset] }
    }

    /// True when `lhs` goes before `rhs` in a snapshot.
    package static func precedes(_ lhs: WorkloadResource, _ rhs: WorkloadResource) -> Bool {
        SortKey(lhs) < SortKey(rhs)
    }

    private struct SortKey: Comparable {
        /// nil for kinds without a rank.
        var rank: Int?
        /// "group/version" for ranked kinds; Go's GroupVersionKind string for the others.
        var typeText: String
        var objectText: String

        init(_ resource: WorkloadResource) {
            let gvk = resource.gvk
            rank = ResourceOrder.kindRanks[gvk.kind]
            typeText = rank == nil
                ? "\(gvk.group)/\(gvk.version), Kind=\(gvk.kind)" : gvk.apiVersion
            objectText = "\(resource.namespace ?? "")/\(resource.name)"
        }

        static func < (lhs: SortKey, rhs: SortKey) -> Bool {
            switch (lhs.rank, rhs.rank) {
            case let (l?, r?) where l != r: return l < r
            case (nil, _?): return false
            case (_?, nil): return true
            case (_?, _?), (nil, nil):
                if lhs.typeText != rhs.typeText { return bytesPrecede(lhs.typeText, rhs.typeText) }
                return bytesPrecede(lhs.objectText, rhs.objectText)
            }
        }

        /// Byte order, as Go compares strings.
        private static func bytesPrecede(_ a: String, _ b: String) -> Bool {
            a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }
}
