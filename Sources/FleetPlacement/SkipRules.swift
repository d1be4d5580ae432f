import FleetAPI
import FleetYAML

/// The objects KubeFleet never propagates, whatever a selector says (rollout-semantics 1.2).
package enum SkipRules {
    /// Groups of which no kind is ever selected.
    static let skippedGroups: Set<String> = [
        FleetKind.clusterGroup, "events.k8s.io", "coordination.k8s.io", "metrics.k8s.io",
    ]

    /// The envelope kinds, the only fleet kinds that are propagated; they are also counted.
    package static let envelopeKinds: Set<GroupKind> = [
        GroupKind(group: FleetKind.placementGroup, kind: "ClusterResourceEnvelope"),
        GroupKind(group: FleetKind.placementGroup, kind: "ResourceEnvelope"),
    ]

    static let skippedCoreKinds: Set<String> = ["Pod", "Node"]

    /// True when every object of this kind is skipped, so a selector for it selects nothing.
    package static func isSkippedKind(_ kind: GroupKind) -> Bool {
        if skippedGroups.contains(kind.group) { return true }
        if kind.group == FleetKind.placementGroup { return !envelopeKinds.contains(kind) }
        return kind.group.isEmpty && skippedCoreKinds.contains(kind.kind)
    }

    /// True when the object may be propagated; `index` answers the Endpoints rule.
    package static func shouldPropagate(
        _ resource: WorkloadResource, index: WorkloadIndex
    ) -> Bool {
        let kind = GroupKind(resource.gvk)
        if isSkippedKind(kind) { return false }
        let metadata = resource.node["metadata"]
        if let deletion = metadata?["deletionTimestamp"], !deletion.isNull { return false }
        switch (kind.group, kind.kind) {
        case ("apps", "ReplicaSet"), ("apps", "ControllerRevision"):
            return !(metadata?["ownerReferences"]?.items?.isEmpty == false)
        case ("", "ConfigMap"):
            return resource.name != "kube-root-ca.crt"
        case ("", "ServiceAccount"):
            return resource.name != "default"
        case ("", "Secret"):
            return resource.node["type"]?.scalar?.text != "kubernetes.io/service-account-token"
        case ("", "Endpoints"):
            return !index.contains(resource.name, kind: .service, namespace: resource.namespace)
        case ("discovery.k8s.io", "EndpointSlice"):
            return resource.labels["endpointslice.kubernetes.io/managed-by"] == nil
        default:
            return true
        }
    }
}
