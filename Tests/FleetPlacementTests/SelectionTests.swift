import Testing
import FleetAPI
import FleetPlacement
import FleetYAML

/// A small hub: two team namespaces with a bit of everything, reserved and deleted namespaces,
/// and cluster-scoped objects.
private let hub: WorkloadIndex = {
    let deleting: [(String, YAMLNode?)] = [("deletionTimestamp", .string("2026-01-01T00:00:00Z"))]
    let owned: [(String, YAMLNode?)] = [
        ("ownerReferences", .sequence([.mapping([("kind", .string("Deployment")),
                                                 ("name", .string("web"))])])),
    ]
    let f = Fixture.self
    return WorkloadIndex([
        f.resource("v1", "Namespace", "app", labels: ["team": "a"]),
        f.resource("v1", "Namespace", "web", labels: ["team": "a"]),
        f.resource("v1", "Namespace", "empty"),
        f.resource("v1", "Namespace", "kube-system"),
        f.resource("v1", "Namespace", "fleet-system"),
        f.resource("v1", "Namespace", "gone", metadata: deleting),
        f.configMap("cfg", ns: "app", labels: ["tier": "x"]),
        f.configMap("other", ns: "app"),
        f.configMap("kube-root-ca.crt", ns: "app"),
        f.resource("v1", "ConfigMap", "dying", ns: "app", metadata: deleting),
        f.resource("v1", "ServiceAccount", "default", ns: "app"),
        f.resource("v1", "ServiceAccount", "builder", ns: "app"),
        f.resource("v1", "Secret", "token", ns: "app",
                   body: [("type", .string("kubernetes.io/service-account-token"))]),
        f.resource("v1", "Secret", "creds", ns: "app", body: [("type", .string("Opaque"))]),
        f.resource("v1", "Service", "svc", ns: "app"),
        f.resource("v1", "Endpoints", "svc", ns: "app"),
        f.resource("v1", "Endpoints", "external", ns: "app"),
        f.resource("discovery.k8s.io/v1", "EndpointSlice", "svc-abc", ns: "app",
                   labels: ["endpointslice.kubernetes.io/managed-by": "controller"]),
        f.resource("discovery.k8s.io/v1", "EndpointSlice", "manual", ns: "app"),
        f.resource("apps/v1", "ReplicaSet", "web-123", ns: "app", metadata: owned),
        f.resource("apps/v1", "ReplicaSet", "standalone", ns: "app"),
        f.resource("apps/v1", "ControllerRevision", "web-1", ns: "app", metadata: owned),
        f.resource("apps/v1", "Deployment", "web", ns: "app"),
        f.resource("v1", "Pod", "web-123-x", ns: "app"),
        f.resource("placement.kubernetes-fleet.io/v1", "StagedUpdateRun", "run", ns: "app"),
        f.resource("placement.kubernetes-fleet.io/v1beta1", "StagedUpdateStrategy", "s", ns: "app"),
        f.resource("placement.kubernetes-fleet.io/v1", "ApprovalRequest", "run-after-a", ns: "app"),
        f.resource("placement.kubernetes-fleet.io/v1", "ResourceEnvelope", "env", ns: "app"),
        f.resource("coordination.k8s.io/v1", "Lease", "lock", ns: "app"),
        f.resource("events.k8s.io/v1", "Event", "e1", ns: "app"),
        f.configMap("cfg2", ns: "web"),
        f.configMap("inside", ns: "gone"),
        f.configMap("coredns", ns: "kube-system"),
        f.resource("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", labels: ["team": "a"]),
        f.resource("rbac.authorization.k8s.io/v1", "ClusterRole", "admin"),
        f.resource("v1", "Node", "node-1"),
        f.resource("cluster.kubernetes-fleet.io/v1", "MemberCluster", "m1"),
        f.resource("placement.kubernetes-fleet.io/v1", "ClusterResourceEnvelope", "cenv"),
        f.resource("metrics.k8s.io/v1beta1", "NodeMetrics", "node-1"),
    ])
}()

/// What selecting all of namespace `app` gives, in snapshot order.
private let appNamespace = [
    "Namespace app", "ServiceAccount app/builder", "Secret app/creds", "ConfigMap app/cfg",
    "ConfigMap app/other", "Service app/svc", "ReplicaSet app/standalone", "Deployment app/web",
    "Endpoints app/external", "EndpointSlice app/manual", "ResourceEnvelope app/env",
]

private let f = Fixture.self
private let clusterRole = ("rbac.authorization.k8s.io", "v1", "ClusterRole")

private func clusterRoleSelector(name: String? = nil, labels: [String: String]? = nil)
    -> ResourceSelector {
    f.selector(clusterRole.0, clusterRole.1, clusterRole.2, name: name, labels: labels)
}

struct SelectionCase: CustomTestStringConvertible, Sendable {
    var name: String
    var namespace: String? = nil
    var selectors: [ResourceSelector]
    var expected: [String]
    var testDescription: String { name }
}

struct SelectionErrorCase: CustomTestStringConvertible, Sendable {
    var name: String
    var namespace: String? = nil
    var selectors: [ResourceSelector]
    var message: String
    var testDescription: String { name }
}

private let crpCases: [SelectionCase] = [
    SelectionCase(
        name: "a namespace brings its objects, minus the skip rules",
        selectors: [f.namespaceSelector("app")], expected: appNamespace),
    SelectionCase(
        name: "NamespaceWithResources spelled out is the default",
        selectors: [f.namespaceSelector("app", scope: .namespaceWithResources)],
        expected: appNamespace),
    SelectionCase(
        name: "NamespaceOnly selects the namespace object alone",
        selectors: [f.namespaceSelector("app", scope: .namespaceOnly)],
        expected: ["Namespace app"]),
    SelectionCase(
        name: "a label selector on namespaces takes every matching namespace",
        selectors: [f.namespaceSelector(labels: ["team": "a"])],
        expected: ["Namespace app", "Namespace web", "ServiceAccount app/builder",
                   "Secret app/creds", "ConfigMap app/cfg", "ConfigMap app/other",
                   "ConfigMap web/cfg2", "Service app/svc", "ReplicaSet app/standalone",
                   "Deployment app/web", "Endpoints app/external", "EndpointSlice app/manual",
                   "ResourceEnvelope app/env"]),
    SelectionCase(
        name: "an empty namespace selects just itself",
        selectors: [f.namespaceSelector("empty")], expected: ["Namespace empty"]),
    SelectionCase(
        name: "a missing namespace selects nothing", selectors: [f.namespaceSelector("nope")],
        expected: []),
    SelectionCase(
        name: "a namespace being deleted contributes nothing",
        selectors: [f.namespaceSelector("gone")], expected: []),
    SelectionCase(
        name: "a cluster-scoped kind by name", selectors: [clusterRoleSelector(name: "reader")],
        expected: ["ClusterRole reader"]),
    SelectionCase(
        name: "a cluster-scoped kind by label",
        selectors: [clusterRoleSelector(labels: ["team": "a"])], expected: ["ClusterRole reader"]),
    SelectionCase(
        name: "a cluster-scoped kind without name or labels takes all",
        selectors: [clusterRoleSelector()], expected: ["ClusterRole admin", "ClusterRole reader"]),
    SelectionCase(
        name: "a missing name selects nothing", selectors: [clusterRoleSelector(name: "nope")],
        expected: []),
    SelectionCase(
        name: "an empty label selector matches everything",
        selectors: [clusterRoleSelector(labels: [:])],
        expected: ["ClusterRole admin", "ClusterRole reader"]),
    SelectionCase(
        name: "Nodes are never selected", selectors: [f.selector("", "v1", "Node")], expected: []),
    SelectionCase(
        name: "MemberClusters are never selected",
        selectors: [f.selector("cluster.kubernetes-fleet.io", "v1", "MemberCluster")],
        expected: []),
    SelectionCase(
        name: "metrics are never selected",
        selectors: [f.selector("metrics.k8s.io", "v1beta1", "NodeMetrics")], expected: []),
    SelectionCase(
        name: "cluster envelopes are selected",
        selectors: [f.selector("placement.kubernetes-fleet.io", "v1", "ClusterResourceEnvelope")],
        expected: ["ClusterResourceEnvelope cenv"]),
    SelectionCase(
        name: "a kind nothing is known about selects nothing",
        selectors: [f.selector("example.com", "v1", "Widget")], expected: []),
    SelectionCase(
        name: "NamespaceWithResourceSelectors picks only what the other selectors name",
        selectors: [
            f.namespaceSelector("app", scope: .namespaceWithResourceSelectors),
            f.selector("", "v1", "ConfigMap", name: "cfg"),
            f.selector("apps", "v1", "Deployment"),
            clusterRoleSelector(name: "admin"),
        ],
        expected: ["Namespace app", "ConfigMap app/cfg", "ClusterRole admin",
                   "Deployment app/web"]),
    SelectionCase(
        name: "NamespaceWithResourceSelectors keeps the skip rules",
        selectors: [
            f.namespaceSelector("app", scope: .namespaceWithResourceSelectors),
            f.selector("", "v1", "ConfigMap"),
            f.selector("placement.kubernetes-fleet.io", "v1", "StagedUpdateRun"),
        ],
        expected: ["Namespace app", "ConfigMap app/cfg", "ConfigMap app/other"]),
    SelectionCase(
        name: "NamespaceWithResourceSelectors with a label selector on a namespaced kind",
        selectors: [
            f.namespaceSelector("app", scope: .namespaceWithResourceSelectors),
            f.selector("", "v1", "ConfigMap", labels: ["tier": "x"]),
        ],
        expected: ["Namespace app", "ConfigMap app/cfg"]),
    SelectionCase(
        name: "NamespaceWithResourceSelectors does not reach other namespaces",
        selectors: [
            f.namespaceSelector("app", scope: .namespaceWithResourceSelectors),
            f.selector("", "v1", "ConfigMap", name: "cfg2"),
        ],
        expected: ["Namespace app"]),
]

private let rpCases: [SelectionCase] = [
    SelectionCase(
        name: "a namespaced kind in the placement's namespace", namespace: "app",
        selectors: [f.selector("", "v1", "ConfigMap")],
        expected: ["ConfigMap app/cfg", "ConfigMap app/other"]),
    SelectionCase(
        name: "by label", namespace: "app",
        selectors: [f.selector("", "v1", "ConfigMap", labels: ["tier": "x"])],
        expected: ["ConfigMap app/cfg"]),
    SelectionCase(
        name: "by name", namespace: "app", selectors: [f.selector("apps", "v1", "Deployment",
                                                                 name: "web")],
        expected: ["Deployment app/web"]),
    SelectionCase(
        name: "objects of other namespaces are out of reach", namespace: "app",
        selectors: [f.selector("", "v1", "ConfigMap", name: "cfg2")], expected: []),
    SelectionCase(
        name: "service account tokens are skipped", namespace: "app",
        selectors: [f.selector("", "v1", "Secret")], expected: ["Secret app/creds"]),
    SelectionCase(
        name: "the default service account is skipped", namespace: "app",
        selectors: [f.selector("", "v1", "ServiceAccount")],
        expected: ["ServiceAccount app/builder"]),
    SelectionCase(
        name: "endpoints of a service are skipped", namespace: "app",
        selectors: [f.selector("", "v1", "Endpoints")], expected: ["Endpoints app/external"]),
    SelectionCase(
        name: "managed endpoint slices are skipped", namespace: "app",
        selectors: [f.selector("discovery.k8s.io", "v1", "EndpointSlice")],
        expected: ["EndpointSlice app/manual"]),
    SelectionCase(
        name: "owned replica sets are skipped", namespace: "app",
        selectors: [f.selector("apps", "v1", "ReplicaSet")],
        expected: ["ReplicaSet app/standalone"]),
    SelectionCase(
        name: "owned controller revisions are skipped", namespace: "app",
        selectors: [f.selector("apps", "v1", "ControllerRevision")], expected: []),
    SelectionCase(
        name: "pods are skipped", namespace: "app", selectors: [f.selector("", "v1", "Pod")],
        expected: []),
    SelectionCase(
        name: "fleet kinds are skipped", namespace: "app",
        selectors: [
            f.selector("placement.kubernetes-fleet.io", "v1", "StagedUpdateRun"),
            f.selector("placement.kubernetes-fleet.io", "v1beta1", "StagedUpdateStrategy"),
            f.selector("placement.kubernetes-fleet.io", "v1", "ApprovalRequest"),
        ],
        expected: []),
    SelectionCase(
        name: "leases and events are skipped", namespace: "app",
        selectors: [f.selector("coordination.k8s.io", "v1", "Lease"),
                    f.selector("events.k8s.io", "v1", "Event")],
        expected: []),
    SelectionCase(
        name: "namespaced envelopes are selected", namespace: "app",
        selectors: [f.selector("placement.kubernetes-fleet.io", "v1", "ResourceEnvelope")],
        expected: ["ResourceEnvelope app/env"]),
    SelectionCase(
        name: "objects being deleted are skipped", namespace: "app",
        selectors: [f.selector("", "v1", "ConfigMap", name: "dying")], expected: []),
]

private let errorCases: [SelectionErrorCase] = [
    SelectionErrorCase(
        name: "kube- namespaces are reserved", selectors: [f.namespaceSelector("kube-system")],
        message: "namespace 'kube-system' is not allowed to propagate: namespaces starting "
            + "with 'fleet-' or 'kube-' are reserved"),
    SelectionErrorCase(
        name: "fleet- namespaces are reserved",
        selectors: [f.namespaceSelector("fleet-system", scope: .namespaceOnly)],
        message: "namespace 'fleet-system' is not allowed to propagate: namespaces starting "
            + "with 'fleet-' or 'kube-' are reserved"),
    SelectionErrorCase(
        name: "a label selector that reaches a reserved namespace",
        selectors: [f.namespaceSelector(labels: [:])],
        message: "namespace 'fleet-system' is not allowed to propagate: namespaces starting "
            + "with 'fleet-' or 'kube-' are reserved"),
    SelectionErrorCase(
        name: "a CRP selecting a namespaced kind directly",
        selectors: [f.selector("", "v1", "ConfigMap", name: "cfg")],
        message: "cannot select namespaced kind 'v1 ConfigMap' in a cluster resource placement; "
            + "select its namespace instead"),
    SelectionErrorCase(
        name: "a CRP selecting a namespaced kind with no objects, known from the kind table",
        selectors: [f.selector("batch", "v1", "CronJob")],
        message: "cannot select namespaced kind 'batch/v1 CronJob' in a cluster resource "
            + "placement; select its namespace instead"),
    SelectionErrorCase(
        name: "an RP selecting Namespace", namespace: "app",
        selectors: [f.namespaceSelector("app")],
        message: "cannot select cluster-scoped kind 'v1 Namespace' in a resource placement, "
            + "which may select only namespaced kinds in its own namespace 'app'"),
    SelectionErrorCase(
        name: "an RP selecting a cluster-scoped kind", namespace: "app",
        selectors: [clusterRoleSelector(name: "reader")],
        message: "cannot select cluster-scoped kind 'rbac.authorization.k8s.io/v1 ClusterRole' "
            + "in a resource placement, which may select only namespaced kinds in its own "
            + "namespace 'app'"),
    SelectionErrorCase(
        name: "name and labelSelector together",
        selectors: [f.selector("", "v1", "Namespace", name: "app", labels: ["team": "a"])],
        message: "name and labelSelector are mutually exclusive in a resource selector"),
    SelectionErrorCase(
        name: "the same namespace selected twice",
        selectors: [f.namespaceSelector("app"), f.namespaceSelector(labels: ["team": "a"])],
        message: "found duplicate resource 'v1/Namespace app', selected by more than one "
            + "resource selector"),
    SelectionErrorCase(
        name: "the same cluster-scoped object selected twice",
        selectors: [clusterRoleSelector(name: "admin"), clusterRoleSelector()],
        message: "found duplicate resource 'rbac.authorization.k8s.io/v1/ClusterRole admin', "
            + "selected by more than one resource selector"),
    SelectionErrorCase(
        name: "an RP selecting one object twice", namespace: "app",
        selectors: [f.selector("", "v1", "ConfigMap"),
                    f.selector("", "v1", "ConfigMap", name: "other")],
        message: "found duplicate resource 'v1/ConfigMap app/other', selected by more than one "
            + "resource selector"),
    SelectionErrorCase(
        name: "two NamespaceWithResourceSelectors selectors",
        selectors: [f.namespaceSelector("app", scope: .namespaceWithResourceSelectors),
                    f.namespaceSelector("web", scope: .namespaceWithResourceSelectors)],
        message: "only one resource selector may use selection scope "
            + "'NamespaceWithResourceSelectors', found 2"),
    SelectionErrorCase(
        name: "NamespaceWithResourceSelectors beside another Namespace selector",
        selectors: [f.namespaceSelector("app", scope: .namespaceWithResourceSelectors),
                    f.namespaceSelector("web", scope: .namespaceOnly)],
        message: "a placement with a 'NamespaceWithResourceSelectors' selector may not have "
            + "another Namespace selector"),
    SelectionErrorCase(
        name: "NamespaceWithResourceSelectors by label",
        selectors: [f.namespaceSelector(labels: ["team": "a"],
                                        scope: .namespaceWithResourceSelectors)],
        message: "the resource selector with selection scope 'NamespaceWithResourceSelectors' "
            + "must select its namespace by name"),
    SelectionErrorCase(
        name: "NamespaceWithResourceSelectors naming a missing namespace",
        selectors: [f.namespaceSelector("nope", scope: .namespaceWithResourceSelectors)],
        message: "namespace 'nope' selected with selection scope "
            + "'NamespaceWithResourceSelectors' does not exist"),
    SelectionErrorCase(
        name: "NamespaceWithResourceSelectors naming a reserved namespace",
        selectors: [f.namespaceSelector("kube-system", scope: .namespaceWithResourceSelectors)],
        message: "namespace 'kube-system' is not allowed to propagate: namespaces starting "
            + "with 'fleet-' or 'kube-' are reserved"),
]

@Suite("Resource selection")
struct SelectionTests {
    @Test("cluster resource placements", arguments: crpCases)
    func clusterPlacement(_ c: SelectionCase) throws {
        let placement = f.placement(selectors: c.selectors)
        let selected = try ResourceSelection.select(placement: placement, resources: hub)
        #expect(selected.map(f.short) == c.expected)
    }

    @Test("resource placements", arguments: rpCases)
    func namespacedPlacement(_ c: SelectionCase) throws {
        let placement = f.placement("rp", namespace: c.namespace, selectors: c.selectors)
        let selected = try ResourceSelection.select(placement: placement, resources: hub)
        #expect(selected.map(f.short) == c.expected)
    }

    @Test("user errors", arguments: errorCases)
    func userErrors(_ c: SelectionErrorCase) {
        let placement = f.placement(namespace: c.namespace, selectors: c.selectors)
        let result = ResourceSelection.result(placement: placement, resources: hub)
        guard case let .failure(diagnostic) = result else {
            Issue.record("expected an error, got \(result)")
            return
        }
        #expect(diagnostic.message == c.message)
        let kind = c.namespace == nil ? "ClusterResourcePlacement" : "ResourcePlacement"
        #expect(diagnostic.object == "\(kind)/\(placement.key)")
    }

    @Test("the scope of an unknown kind is learned from its objects and from declarations")
    func learnedScopes() throws {
        let widget = GroupKind(group: "example.com", kind: "Widget")
        var index = WorkloadIndex([
            f.resource("v1", "Namespace", "app"),
            f.resource("example.com/v1", "Widget", "w", ns: "app"),
        ])
        #expect(index.scope(of: widget) == .namespaced)
        let direct = f.placement(selectors: [f.selector("example.com", "v1", "Widget")])
        #expect(throws: Diagnostic.self) {
            try ResourceSelection.select(placement: direct, resources: index)
        }
        let gadget = GroupKind(group: "example.com", kind: "Gadget")
        #expect(index.scope(of: gadget) == nil)
        index.declareScope(.cluster, of: gadget)
        #expect(index.scope(of: gadget) == .cluster)
        let viaNamespace = f.placement(selectors: [f.namespaceSelector("app")])
        let selected = try ResourceSelection.select(placement: viaNamespace, resources: index)
        #expect(selected.map(f.short) == ["Namespace app", "Widget app/w"])
    }

    @Test("the index follows inserts, replacements and removals")
    func indexUpdates() throws {
        var index = WorkloadIndex([f.resource("v1", "Namespace", "app"), f.configMap("a", ns: "app")])
        index.insert(f.configMap("a", ns: "app", labels: ["v": "2"]))
        index.insert(f.configMap("b", ns: "app"))
        #expect(index.count == 3)
        #expect(index.named("a", kind: GroupKind(group: "", kind: "ConfigMap"), namespace: "app")
            .map(\.labels) == [["v": "2"]])
        index.remove(identity: f.configMap("a", ns: "app").identity)
        let placement = f.placement(selectors: [f.namespaceSelector("app")])
        let selected = try ResourceSelection.select(placement: placement, resources: index)
        #expect(selected.map(f.short) == ["Namespace app", "ConfigMap app/b"])
        index.remove(identity: f.configMap("b", ns: "app").identity)
        #expect(index.all(inNamespace: "app").isEmpty)
    }

    @Test("selection does not depend on the order objects were indexed in")
    func orderIndependent() throws {
        let resources = [
            f.resource("v1", "Namespace", "app"), f.configMap("b", ns: "app"),
            f.configMap("a", ns: "app"), f.resource("apps/v1", "Deployment", "d", ns: "app"),
        ]
        let placement = f.placement(selectors: [f.namespaceSelector("app")])
        let forward = try ResourceSelection.select(
            placement: placement, resources: WorkloadIndex(resources))
        let backward = try ResourceSelection.select(
            placement: placement, resources: WorkloadIndex(resources.reversed()))
        #expect(forward == backward)
        #expect(forward.map(f.short) == [
            "Namespace app", "ConfigMap app/a", "ConfigMap app/b", "Deployment app/d",
        ])
    }
}
