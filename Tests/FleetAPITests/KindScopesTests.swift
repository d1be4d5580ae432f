import FleetYAML
import Testing
@testable import FleetAPI

@Suite struct KindScopesTests {
    static let builtIn: [(String, String, FleetScope)] = [
        ("", "Namespace", .cluster), ("", "Node", .cluster), ("", "PersistentVolume", .cluster),
        ("", "ConfigMap", .namespaced), ("", "Secret", .namespaced), ("", "Service", .namespaced),
        ("", "ServiceAccount", .namespaced), ("", "PersistentVolumeClaim", .namespaced),
        ("apps", "Deployment", .namespaced), ("apps", "ControllerRevision", .namespaced),
        ("batch", "CronJob", .namespaced),
        ("rbac.authorization.k8s.io", "ClusterRole", .cluster),
        ("rbac.authorization.k8s.io", "RoleBinding", .namespaced),
        ("networking.k8s.io", "IngressClass", .cluster),
        ("networking.k8s.io", "NetworkPolicy", .namespaced),
        ("policy", "PodDisruptionBudget", .namespaced),
        ("scheduling.k8s.io", "PriorityClass", .cluster),
        ("storage.k8s.io", "StorageClass", .cluster),
        ("apiextensions.k8s.io", "CustomResourceDefinition", .cluster),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", .cluster),
        ("apiregistration.k8s.io", "APIService", .cluster),
        ("autoscaling", "HorizontalPodAutoscaler", .namespaced),
        ("coordination.k8s.io", "Lease", .namespaced),
        ("discovery.k8s.io", "EndpointSlice", .namespaced),
        ("placement.kubernetes-fleet.io", "ResourceEnvelope", .namespaced),
        ("placement.kubernetes-fleet.io", "ClusterStagedUpdateRun", .cluster),
        ("cluster.kubernetes-fleet.io", "MemberCluster", .cluster),
    ]

    @Test(arguments: builtIn)
    func builtInScope(_ group: String, _ kind: String, _ scope: FleetScope) {
        #expect(KindScopes().scope(group: group, kind: kind) == scope)
    }

    @Test func unknownKindFollowsItsNamespace() {
        let scopes = KindScopes()
        #expect(scopes.scope(group: "example.com", kind: "Widget") == nil)
        #expect(scopes.resolve(group: "example.com", kind: "Widget", namespace: "n") == .namespaced)
        #expect(scopes.resolve(group: "example.com", kind: "Widget", namespace: nil) == .cluster)
        // Same kind name, other group: not the built-in.
        #expect(scopes.scope(group: "example.com", kind: "ConfigMap") == nil)
    }

    static func crd(
        group: String = "example.com", kind: String = "Widget", plural: String = "widgets",
        scope: String = "Namespaced", name: String? = nil
    ) -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: \(name ?? "\(plural).\(group)")
        spec:
          group: \(group)
          names:
            kind: \(kind)
            plural: \(plural)
          scope: \(scope)
        """
    }

    static func declare(_ documents: [String]) -> (KindScopes, [String]) {
        let nodes = documents.enumerated().flatMap { index, text in
            ((try? YAMLParser.parse(text, file: "crd\(index).yaml")) ?? []).map { ($0, "crd\(index).yaml") }
        }
        let (scopes, diagnostics) = KindScopes.declaring(nodes)
        return (scopes, diagnostics.map(\.description))
    }

    @Test func crdsDeclareTheirKinds() {
        let (scopes, diagnostics) = Self.declare([
            Self.crd(), Self.crd(group: "ops.example.com", kind: "Tenant", plural: "tenants",
                                 scope: "Cluster"),
        ])
        #expect(diagnostics == [])
        #expect(scopes.scope(group: "example.com", kind: "Widget") == .namespaced)
        #expect(scopes.scope(group: "ops.example.com", kind: "Tenant") == .cluster)
    }

    @Test(arguments: [
        (crd(scope: "Global"),
         "crd0.yaml:10: CustomResourceDefinition/widgets.example.com: spec.scope: 'Global' is not "
            + "valid, use 'Cluster' or 'Namespaced'"),
        (crd(name: "widget"),
         "crd0.yaml:4: CustomResourceDefinition/widget: metadata.name: must be "
            + "'widgets.example.com'"),
        (crd(group: "apps", kind: "Deployment", plural: "deployments", scope: "Cluster"),
         "crd0.yaml:8: CustomResourceDefinition/deployments.apps: spec.names.kind: 'Deployment' "
            + "of group 'apps' is a built-in kind"),
        ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
            + "  name: x\nspec:\n  group: g\n  scope: Cluster",
         "crd0.yaml:5: CustomResourceDefinition/x: spec.names is required"),
    ])
    func badCRDs(_ text: String, _ want: String) {
        let (_, diagnostics) = Self.declare([text])
        #expect(diagnostics == [want])
    }

    @Test func conflictingCRDs() {
        let (scopes, diagnostics) = Self.declare([
            Self.crd(), Self.crd(scope: "Cluster", name: "widgets.example.com"),
        ])
        #expect(scopes.scope(group: "example.com", kind: "Widget") == .namespaced)
        #expect(diagnostics == [
            "crd1.yaml:10: CustomResourceDefinition/widgets.example.com: spec.scope: "
                + "'Widget.example.com' is declared 'Cluster' here but 'Namespaced' at crd0.yaml:1",
        ])
    }

    @Test func workloadsFollowCRDScopes() {
        let (scopes, _) = Self.declare([
            Self.crd(), Self.crd(kind: "Gadget", plural: "gadgets", scope: "Cluster"),
        ])
        let widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w"
        let gadget = "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n"
            + "  namespace: n"
        #expect(decode(widget, scopes: scopes).diagnostics.map(\.message) == [
            "metadata: namespaced kind 'Widget' needs metadata.namespace",
        ])
        #expect(decode(gadget, scopes: scopes).diagnostics.map(\.message) == [
            "metadata.namespace: cluster-scoped kind 'Gadget' cannot have metadata.namespace",
        ])
        // Without the CRDs, both are accepted and scoped by their namespace.
        #expect(decode(widget).workload?.namespace == nil)
        #expect(decode(gadget).workload?.namespace == "n")
    }
}
