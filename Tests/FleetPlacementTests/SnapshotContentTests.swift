import Testing
import FleetAPI
import FleetPlacement
import FleetYAML

private let f = Fixture.self

private func map(_ pairs: [(String, YAMLNode?)]) -> YAMLNode { .mapping(pairs) }
private func str(_ text: String) -> YAMLNode { .string(text) }

struct StripCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: WorkloadResource
    var expected: YAMLNode
    var testDescription: String { name }
}

private let serverMetadata: [(String, YAMLNode?)] = [
    ("resourceVersion", str("12345")), ("generation", .int(3)), ("uid", str("abc-def")),
    ("selfLink", str("/api/v1/x")), ("deletionTimestamp", .null),
    ("managedFields", .sequence([map([("manager", str("kubectl"))])])),
    ("ownerReferences", .sequence([map([("name", str("owner"))])])),
    ("creationTimestamp", str("2026-01-01T00:00:00Z")),
    ("finalizers", .sequence([str("example.com/keep")])),
]

private let stripCases: [StripCase] = [
    StripCase(
        name: "server metadata and status go; labels, finalizers and annotations stay",
        input: f.resource("v1", "ConfigMap", "c", ns: "n", labels: ["app": "x"],
                          annotations: ["note": "kept"], metadata: serverMetadata,
                          body: [("data", map([("k", str("v"))])),
                                 ("status", map([("phase", str("Ready"))]))]),
        expected: map([
            ("apiVersion", str("v1")), ("kind", str("ConfigMap")),
            ("metadata", map([("name", str("c")), ("namespace", str("n")),
                              ("labels", map([("app", str("x"))])),
                              ("annotations", map([("note", str("kept"))])),
                              ("finalizers", .sequence([str("example.com/keep")]))])),
            ("data", map([("k", str("v"))])),
        ])),
    StripCase(
        name: "client annotations go and an emptied annotation map is dropped",
        input: f.resource("apps/v1", "Deployment", "d", ns: "n", annotations: [
            "kubectl.kubernetes.io/last-applied-configuration": "{}",
            "deployment.kubernetes.io/revision": "4",
        ]),
        expected: map([
            ("apiVersion", str("apps/v1")), ("kind", str("Deployment")),
            ("metadata", map([("name", str("d")), ("namespace", str("n"))])),
        ])),
    StripCase(
        name: "other annotations survive beside stripped ones",
        input: f.resource("apps/v1", "Deployment", "d", ns: "n", annotations: [
            "deployment.kubernetes.io/revision": "4", "team": "a",
        ]),
        expected: map([
            ("apiVersion", str("apps/v1")), ("kind", str("Deployment")),
            ("metadata", map([("name", str("d")), ("namespace", str("n")),
                              ("annotations", map([("team", str("a"))]))])),
        ])),
    StripCase(
        name: "a Service loses its cluster IPs and node ports",
        input: f.resource("v1", "Service", "s", ns: "n", body: [("spec", map([
            ("clusterIP", YAMLNode(.scalar(YAMLScalar("10.0.0.1")))),
            ("clusterIPs", .sequence([YAMLNode(.scalar(YAMLScalar("10.0.0.1")))])),
            ("healthCheckNodePort", .int(30001)),
            ("ports", .sequence([map([("port", .int(80)), ("nodePort", .int(30080))]),
                                 map([("port", .int(443))])])),
        ]))]),
        expected: map([
            ("apiVersion", str("v1")), ("kind", str("Service")),
            ("metadata", map([("name", str("s")), ("namespace", str("n"))])),
            ("spec", map([("ports", .sequence([map([("port", .int(80))]),
                                               map([("port", .int(443))])]))])),
        ])),
    StripCase(
        name: "a headless Service keeps clusterIP None",
        input: f.resource("v1", "Service", "s", ns: "n", body: [("spec", map([
            ("clusterIP", str("None")), ("clusterIPs", .sequence([str("None")])),
        ]))]),
        expected: map([
            ("apiVersion", str("v1")), ("kind", str("Service")),
            ("metadata", map([("name", str("s")), ("namespace", str("n"))])),
            ("spec", map([("clusterIP", str("None")), ("clusterIPs", .sequence([str("None")]))])),
        ])),
    StripCase(
        name: "a Service of another group is left alone",
        input: f.resource("serving.knative.dev/v1", "Service", "s", ns: "n", body: [
            ("spec", map([("clusterIP", str("x"))])),
        ]),
        expected: map([
            ("apiVersion", str("serving.knative.dev/v1")), ("kind", str("Service")),
            ("metadata", map([("name", str("s")), ("namespace", str("n"))])),
            ("spec", map([("clusterIP", str("x"))])),
        ])),
    StripCase(
        name: "a Job without manualSelector loses the generated uid labels",
        input: job(manualSelector: nil),
        expected: strippedJob(manualSelector: nil)),
    StripCase(
        name: "a Job with manualSelector false is stripped too",
        input: job(manualSelector: .bool(false)),
        expected: strippedJob(manualSelector: .bool(false))),
    StripCase(
        name: "a Job with manualSelector true keeps its selector",
        input: job(manualSelector: .bool(true)),
        expected: job(manualSelector: .bool(true)).node),
]

private func job(manualSelector: YAMLNode?) -> WorkloadResource {
    let uidLabels: [(String, YAMLNode?)] = [
        ("controller-uid", str("u-1")), ("batch.kubernetes.io/controller-uid", str("u-1")),
        ("app", str("migrate")),
    ]
    return f.resource("batch/v1", "Job", "j", ns: "n", body: [("spec", map([
        ("manualSelector", manualSelector),
        ("selector", map([("matchLabels", map(uidLabels))])),
        ("template", map([("metadata", map([
            ("creationTimestamp", .null), ("labels", map(uidLabels)),
        ]))])),
    ]))])
}

private func strippedJob(manualSelector: YAMLNode?) -> YAMLNode {
    let labels = map([("app", str("migrate"))])
    return map([
        ("apiVersion", str("batch/v1")), ("kind", str("Job")),
        ("metadata", map([("name", str("j")), ("namespace", str("n"))])),
        ("spec", map([
            ("manualSelector", manualSelector),
            ("selector", map([("matchLabels", labels)])),
            ("template", map([("metadata", map([("labels", labels)]))])),
        ])),
    ])
}

@Suite("Snapshot content")
struct SnapshotContentTests {
    @Test("stripping", arguments: stripCases)
    func stripping(_ c: StripCase) {
        #expect(ResourceStripping.strip(c.input) == c.expected)
    }

    @Test("objects are ordered by kind rank, group/version, then namespace/name")
    func order() {
        let resources = [
            f.resource("example.com/v1", "Widget", "w", ns: "a"),
            f.resource("apps/v1", "Deployment", "web", ns: "b"),
            f.resource("v1", "Service", "svc", ns: "a"),
            f.resource("extensions/v1beta1", "Deployment", "old", ns: "a"),
            f.resource("apps/v1", "Deployment", "api", ns: "b"),
            f.resource("apps/v1", "Deployment", "zeta", ns: "a"),
            f.configMap("cfg", ns: "a"),
            f.resource("v1", "Namespace", "b"),
            f.resource("v1", "Namespace", "a"),
            f.resource("scheduling.k8s.io/v1", "PriorityClass", "high"),
            f.resource("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "v"),
            f.resource("example.com/v1", "Gadget", "g"),
            f.resource("example.com/v1", "Widget", "w", ns: "0"),
            f.resource("aaa.io/v1", "Zebra", "z"),
            f.resource("rbac.authorization.k8s.io/v1", "ClusterRole", "r"),
        ]
        let expected = [
            "PriorityClass high", "Namespace a", "Namespace b", "ConfigMap a/cfg",
            "ClusterRole r", "Service a/svc", "Deployment a/zeta", "Deployment b/api",
            "Deployment b/web", "Deployment a/old", "ValidatingWebhookConfiguration v",
            "Zebra z", "Gadget g", "Widget 0/w", "Widget a/w",
        ]
        #expect(ResourceOrder.sorted(resources).map(f.short) == expected)
        #expect(ResourceOrder.sorted(resources.reversed()).map(f.short) == expected)
    }

    @Test("the hash covers the canonical JSON of the stripped, sorted resources")
    func canonicalForm() {
        let content = SnapshotContent(selected: [
            f.resource("v1", "ConfigMap", "c", ns: "n", metadata: [("uid", str("x"))],
                       body: [("data", map([("b", str("<&>")), ("a", .int(1))]))]),
        ])
        let json = #"{"selectedResources":[{"apiVersion":"v1","data":{"a":1,"b":"\u003c\u0026\u003e"},"#
            + #""kind":"ConfigMap","metadata":{"name":"c","namespace":"n"}}]}"#
        #expect(content.hash == SHA256.hex(json))
        #expect(SnapshotContent(selected: []).hash == SHA256.hex(#"{"selectedResources":[]}"#))
    }

    @Test("precomputed resource JSON gives the hash the resources themselves give")
    func precomputedJSON() {
        var resources = Self.base + [
            f.resource("v1", "Service", "s", ns: "n", body: [("spec", map([
                ("clusterIP", str("10.0.0.1")), ("ports", .sequence([map([("port", .int(80))])])),
            ]))]),
        ]
        let plain = SnapshotContent(selected: resources)
        #expect(plain.hash == SnapshotContent.hash(of: plain.resources))
        for index in resources.indices where index != 1 {
            resources[index].snapshotJSON = SnapshotContent.snapshotJSON(of: resources[index])
        }
        let mixed = SnapshotContent(selected: resources.reversed())
        #expect(mixed.hash == plain.hash)
        #expect(mixed.resources == plain.resources)
        #expect(resources[0] == Self.base[0], "the cached JSON does not count for equality")
    }

    struct HashCase: CustomTestStringConvertible, Sendable {
        var name: String
        var other: [WorkloadResource]
        var same: Bool
        var testDescription: String { name }
    }

    static let base = [
        f.configMap("a", ns: "n", data: ["key": "value", "count": "3"]),
        f.resource("apps/v1", "Deployment", "d", ns: "n", body: [("spec", map([
            ("replicas", .int(2)),
        ]))]),
    ]

    static let hashCases: [HashCase] = [
        HashCase(name: "the same content", other: base, same: true),
        HashCase(name: "input order does not matter", other: base.reversed(), same: true),
        HashCase(
            name: "key order does not matter",
            other: [f.resource("v1", "ConfigMap", "a", ns: "n", body: [
                ("data", map([("key", str("value")), ("count", str("3"))])),
            ]), base[1]],
            same: true),
        HashCase(
            name: "quoting that keeps the value does not matter",
            other: [f.resource("v1", "ConfigMap", "a", ns: "n", body: [
                ("data", map([
                    ("count", str("3")),
                    ("key", YAMLNode(.scalar(YAMLScalar("value", style: .singleQuoted)))),
                ])),
            ]), base[1]],
            same: true),
        HashCase(
            name: "stripped fields do not matter",
            other: [base[0], f.resource("apps/v1", "Deployment", "d", ns: "n",
                                        metadata: [("resourceVersion", str("9"))],
                                        body: [("spec", map([("replicas", .int(2))])),
                                               ("status", map([("ready", .int(1))]))])],
            same: true),
        HashCase(
            name: "a changed value changes the hash",
            other: [f.configMap("a", ns: "n", data: ["key": "other", "count": "3"]), base[1]],
            same: false),
        HashCase(
            name: "a number and the same text quoted differ",
            other: [base[0], f.resource("apps/v1", "Deployment", "d", ns: "n", body: [
                ("spec", map([("replicas", str("2"))])),
            ])],
            same: false),
        HashCase(name: "a removed object changes the hash", other: [base[0]], same: false),
        HashCase(
            name: "an added label changes the hash",
            other: [f.configMap("a", ns: "n", data: ["key": "value", "count": "3"],
                                labels: ["x": "y"]), base[1]],
            same: false),
    ]

    @Test("hash stability", arguments: hashCases)
    func hashStability(_ c: HashCase) {
        let expected = SnapshotContent(selected: Self.base).hash
        #expect((SnapshotContent(selected: c.other).hash == expected) == c.same)
    }

    @Test("envelopes are counted")
    func envelopes() {
        let content = SnapshotContent(selected: [
            f.resource("placement.kubernetes-fleet.io/v1", "ResourceEnvelope", "e", ns: "n"),
            f.resource("placement.kubernetes-fleet.io/v1beta1", "ClusterResourceEnvelope", "c"),
            f.configMap("a", ns: "n"),
        ])
        #expect(content.envelopeCount == 2)
        #expect(content.resources.count == 3)
    }
}
