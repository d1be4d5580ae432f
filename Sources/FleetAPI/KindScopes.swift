import FleetYAML

/// An API group and kind, without version: scope and identity do not depend on the version.
package struct GroupKind: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The API group; "" for the core group.
    package var group: String
    /// The kind, such as `Deployment`.
    package var kind: String

    /// A group and kind.
    package init(group: String, kind: String) {
        self.group = group
        self.kind = kind
    }

    /// `Kind` for the core group, `Kind.group` otherwise, as `kubectl` prints group kinds.
    package var description: String { group.isEmpty ? kind : "\(kind).\(group)" }

    /// By group, then kind.
    package static func < (lhs: GroupKind, rhs: GroupKind) -> Bool {
        (lhs.group, lhs.kind) < (rhs.group, rhs.kind)
    }
}

/// Which kinds are namespaced: a built-in table of Kubernetes and fleet kinds, plus the kinds
/// that CustomResourceDefinitions in the repository declare.
///
/// A kind found nowhere is namespaced exactly when the object has `metadata.namespace`.
package struct KindScopes: Sendable {
    private var table: [GroupKind: FleetScope]

    /// The built-in table only.
    package init() {
        table = Self.builtInTable
    }

    /// The scope of a known kind; nil for a kind neither built in nor declared by a CRD.
    package func scope(group: String, kind: String) -> FleetScope? {
        table[GroupKind(group: group, kind: kind)]
    }

    /// The scope an object of this kind has: the table's, or for an unknown kind, namespaced
    /// exactly when the object names a namespace.
    package func resolve(group: String, kind: String, namespace: String?) -> FleetScope {
        scope(group: group, kind: kind) ?? (namespace == nil ? .cluster : .namespaced)
    }

    /// True for a kind of the built-in table (not one a CRD declared).
    package func isBuiltIn(group: String, kind: String) -> Bool {
        Self.builtInTable[GroupKind(group: group, kind: kind)] != nil
    }

    /// Adds a kind declared by a CustomResourceDefinition.
    package mutating func declare(_ groupKind: GroupKind, scope: FleetScope) {
        table[groupKind] = scope
    }

    // MARK: - CustomResourceDefinitions

    /// True for an `apiextensions.k8s.io` CustomResourceDefinition document.
    package static func isCustomResourceDefinition(_ document: YAMLNode) -> Bool {
        guard let apiVersion = document["apiVersion"]?.scalar?.text,
              document["kind"]?.scalar?.text == "CustomResourceDefinition" else { return false }
        return apiVersion.hasPrefix("apiextensions.k8s.io/")
    }

    /// The built-in table plus the kinds the given CRD documents declare, with a diagnostic for
    /// each CRD that declares nothing usable or contradicts another.
    package static func declaring(
        _ crds: [(document: YAMLNode, file: String)]
    ) -> (scopes: KindScopes, diagnostics: [Diagnostic]) {
        var scopes = KindScopes()
        var diagnostics: [Diagnostic] = []
        var declaredAt: [GroupKind: (scope: FleetScope, at: String)] = [:]
        for (document, file) in crds {
            let log = DiagnosticLog(fallback: document.location ?? SourceLocation(file: file, line: 1))
            defer { diagnostics += log.diagnostics }
            guard let (groupKind, scope) = declaration(document, log: log) else { continue }
            let here = (document.location ?? log.fallback).map(String.init(describing:)) ?? file
            if let earlier = declaredAt[groupKind] {
                if earlier.scope != scope {
                    log.report("spec.scope: '\(groupKind)' is declared '\(scopeName(scope))' "
                        + "here but '\(scopeName(earlier.scope))' at \(earlier.at)",
                        at: document["spec"]?["scope"]?.location)
                }
                continue
            }
            declaredAt[groupKind] = (scope, here)
            scopes.declare(groupKind, scope: scope)
        }
        return (scopes, diagnostics)
    }

    /// Reads `spec.group`, `spec.names.kind` and `spec.scope` of one CRD.
    static func declaration(_ document: YAMLNode, log: DiagnosticLog)
        -> (GroupKind, FleetScope)?
    {
        let root = NodeReader(document, log: log)
        let name = root.mapping("metadata")?.string("name")
        log.object = "CustomResourceDefinition/\(name ?? "?")"
        guard let spec = root.required("spec")?.asMapping() else { return nil }
        let group = spec.requiredString("group")
        let names = spec.required("names")?.asMapping()
        let kind = names?.requiredString("kind")
        let plural = names?.string("plural")
        let scopeText = spec.required("scope")?.asString()
        var scope: FleetScope?
        switch scopeText {
        case "Cluster": scope = .cluster
        case "Namespaced": scope = .namespaced
        case let other?:
            spec.field("scope")?.error("'\(other)' is not valid, use 'Cluster' or 'Namespaced'")
        case nil: break
        }
        guard let group, let kind, let scope else { return nil }
        let groupKind = GroupKind(group: group, kind: kind)
        if let plural, let name, name != "\(plural).\(group)" {
            root.mapping("metadata")?.error("must be '\(plural).\(group)'", field: "name")
        }
        if KindScopes().isBuiltIn(group: group, kind: kind) {
            names?.error("'\(kind)' of group '\(group)' is a built-in kind", field: "kind")
            return nil
        }
        return (groupKind, scope)
    }

    private static func scopeName(_ scope: FleetScope) -> String {
        switch scope {
        case .cluster: return "Cluster"
        case .namespaced: return "Namespaced"
        }
    }

    // MARK: - The built-in table

    private static let builtInTable: [GroupKind: FleetScope] = {
        var table: [GroupKind: FleetScope] = [:]
        for (group, cluster, namespaced) in builtInKinds {
            for kind in cluster { table[GroupKind(group: group, kind: kind)] = .cluster }
            for kind in namespaced { table[GroupKind(group: group, kind: kind)] = .namespaced }
        }
        for kind in FleetKind.allCases {
            table[GroupKind(group: kind.group, kind: kind.rawValue)] = kind.scope
        }
        return table
    }()

    /// (group, cluster-scoped kinds, namespaced kinds) of the Kubernetes API and of KubeFleet's
    /// kinds that gitfleet does not model.
    private static let builtInKinds: [(String, [String], [String])] = [
        ("", ["Namespace", "Node", "PersistentVolume", "ComponentStatus"],
         ["ConfigMap", "Secret", "Service", "ServiceAccount", "Pod", "PersistentVolumeClaim",
          "Endpoints", "LimitRange", "ResourceQuota", "ReplicationController", "PodTemplate",
          "Event", "Binding"]),
        ("apps", [], ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                      "ControllerRevision"]),
        ("batch", [], ["Job", "CronJob"]),
        ("autoscaling", [], ["HorizontalPodAutoscaler"]),
        ("rbac.authorization.k8s.io", ["ClusterRole", "ClusterRoleBinding"],
         ["Role", "RoleBinding"]),
        ("networking.k8s.io", ["IngressClass", "IPAddress", "ServiceCIDR"],
         ["Ingress", "NetworkPolicy"]),
        ("policy", ["PodSecurityPolicy"], ["PodDisruptionBudget", "Eviction"]),
        ("scheduling.k8s.io", ["PriorityClass"], []),
        ("storage.k8s.io",
         ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "VolumeAttributesClass"],
         ["CSIStorageCapacity"]),
        ("apiextensions.k8s.io", ["CustomResourceDefinition"], []),
        ("admissionregistration.k8s.io",
         ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
          "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
          "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding"], []),
        ("apiregistration.k8s.io", ["APIService"], []),
        ("coordination.k8s.io", [], ["Lease"]),
        ("events.k8s.io", [], ["Event"]),
        ("discovery.k8s.io", [], ["EndpointSlice"]),
        ("node.k8s.io", ["RuntimeClass"], []),
        ("certificates.k8s.io", ["CertificateSigningRequest", "ClusterTrustBundle"], []),
        ("flowcontrol.apiserver.k8s.io", ["FlowSchema", "PriorityLevelConfiguration"], []),
        ("resource.k8s.io", ["DeviceClass", "ResourceSlice"],
         ["ResourceClaim", "ResourceClaimTemplate"]),
        ("metrics.k8s.io", ["NodeMetrics"], ["PodMetrics"]),
        (FleetKind.placementGroup,
         ["ClusterResourceEnvelope", "ClusterResourcePlacementEviction",
          "ClusterResourcePlacementDisruptionBudget", "AppliedWork"],
         ["ResourceEnvelope", "Work", "ClusterResourcePlacementStatus"]),
        (FleetKind.clusterGroup, [], ["InternalMemberCluster"]),
    ]

    /// KubeFleet kinds of the fleet groups that gitfleet does not model as fleet objects; they
    /// are read as workload resources (envelopes can be selected, the others never are).
    package static func isOtherFleetKind(_ groupKind: GroupKind) -> Bool {
        guard groupKind.group == FleetKind.placementGroup || groupKind.group == FleetKind.clusterGroup
        else { return false }
        return builtInTable[groupKind] != nil && FleetKind(rawValue: groupKind.kind) == nil
    }
}
