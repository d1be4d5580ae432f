import Testing
@testable import FleetAPI

@Suite struct PlacementValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var want: [String]
        var testDescription: String { name }
    }

    static func selectors(_ count: Int) -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterResourcePlacement
        metadata:
          name: p
        spec:
          resourceSelectors:
        \((0..<count).map { "    - {group: \"\", version: v1, kind: Namespace, name: n\($0)}" }
            .joined(separator: "\n"))
        """
    }

    static let names101 = (0..<101).map { "m\($0)" }.joined(separator: ", ")

    static let rejected: [Case] = [
        Case(name: "no resourceSelectors", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourcePlacement
            metadata:
              name: p
            spec:
              policy:
                placementType: PickAll
            """, want: ["spec.resourceSelectors is required"]),
        Case(name: "empty resourceSelectors", yaml: selectors(0).replacingOccurrences(
                of: "resourceSelectors:", with: "resourceSelectors: []"),
             want: ["spec.resourceSelectors: must have at least 1 item"]),
        Case(name: "101 resourceSelectors", yaml: selectors(101),
             want: ["spec.resourceSelectors: must have at most 100 items, got 101"]),
        Case(name: "name and labelSelector", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1
            kind: ClusterResourcePlacement
            metadata:
              name: p
            spec:
              resourceSelectors:
                - group: ""
                  version: v1
                  kind: Namespace
                  name: ns
                  labelSelector:
                    matchLabels: {app: web}
            """,
             want: ["spec.resourceSelectors[0]: name and labelSelector are mutually exclusive "
                 + "in a resource selector"]),
        Case(name: "selector without version", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1
            kind: ClusterResourcePlacement
            metadata:
              name: p
            spec:
              resourceSelectors:
                - {group: "", kind: Namespace}
            """, want: ["spec.resourceSelectors[0].version is required"]),
        Case(name: "bad selectionScope", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1
            kind: ClusterResourcePlacement
            metadata:
              name: p
            spec:
              resourceSelectors:
                - {group: "", version: v1, kind: Namespace, selectionScope: All}
            """,
             want: ["spec.resourceSelectors[0].selectionScope: 'All' is not valid, use "
                 + "'NamespaceOnly', 'NamespaceWithResources' or 'NamespaceWithResourceSelectors'"]),
        Case(name: "PickAll with clusterNames",
             yaml: placementYAML(spec: "policy:\n  placementType: PickAll\n  clusterNames: [a]"),
             want: ["spec.policy.clusterNames: not allowed with placementType 'PickAll'"]),
        Case(name: "PickAll with numberOfClusters",
             yaml: placementYAML(spec: "policy:\n  numberOfClusters: 2"),
             want: ["spec.policy.numberOfClusters: not allowed with placementType 'PickAll'"]),
        Case(name: "PickN without numberOfClusters",
             yaml: placementYAML(spec: "policy:\n  placementType: PickN"),
             want: ["spec.policy.numberOfClusters is required with placementType 'PickN'"]),
        Case(name: "PickN with -1 clusters",
             yaml: placementYAML(spec: "policy:\n  placementType: PickN\n  numberOfClusters: -1"),
             want: ["spec.policy.numberOfClusters: must be at least 0, got -1"]),
        Case(name: "PickN with clusterNames",
             yaml: placementYAML(spec: "policy:\n  placementType: PickN\n  numberOfClusters: 1\n"
                 + "  clusterNames: [a]"),
             want: ["spec.policy.clusterNames: not allowed with placementType 'PickN'"]),
        Case(name: "PickN with a quoted number",
             yaml: placementYAML(spec: "policy:\n  placementType: PickN\n"
                 + "  numberOfClusters: \"2\""),
             want: ["spec.policy.numberOfClusters: expected an integer, got '2' (a quoted string)"]),
        Case(name: "PickFixed with affinity",
             yaml: placementYAML(spec: "policy:\n  placementType: PickFixed\n  clusterNames: [a]\n"
                 + "  affinity:\n    clusterAffinity: {}"),
             want: ["spec.policy.affinity: not allowed with placementType 'PickFixed'"]),
        Case(name: "PickFixed with numberOfClusters",
             yaml: placementYAML(spec: "policy:\n  placementType: PickFixed\n  clusterNames: [a]\n"
                 + "  numberOfClusters: 1"),
             want: ["spec.policy.numberOfClusters: not allowed with placementType 'PickFixed'"]),
        Case(name: "PickFixed with 101 clusters",
             yaml: placementYAML(spec: "policy:\n  placementType: PickFixed\n"
                 + "  clusterNames: [\(names101)]"),
             want: ["spec.policy.clusterNames: must have at most 100 items, got 101"]),
        Case(name: "PickFixed with tolerations",
             yaml: placementYAML(spec: "policy:\n  placementType: PickFixed\n  clusterNames: [a]\n"
                 + "  tolerations:\n    - key: k"),
             want: ["spec.policy.tolerations: not allowed with placementType 'PickFixed'"]),
        Case(name: "unknown placementType",
             yaml: placementYAML(spec: "policy:\n  placementType: PickSome"),
             want: ["spec.policy.placementType: 'PickSome' is not valid, use 'PickAll', 'PickN' "
                 + "or 'PickFixed'"]),
        Case(name: "affinity weight out of range",
             yaml: placementYAML(spec: """
                policy:
                  affinity:
                    clusterAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - weight: 200
                          preference:
                            labelSelector: {matchLabels: {env: prod}}
                """),
             want: ["spec.policy.affinity.clusterAffinity."
                 + "preferredDuringSchedulingIgnoredDuringExecution[0].weight: "
                 + "must be between -100 and 100, got 200"]),
        Case(name: "unknown strategy type",
             yaml: placementYAML(spec: "strategy:\n  type: BlueGreen"),
             want: ["spec.strategy.type: 'BlueGreen' is not valid, use 'RollingUpdate' "
                 + "or 'External'"]),
        Case(name: "External with rollingUpdate",
             yaml: placementYAML(spec: "strategy:\n  type: External\n  rollingUpdate:\n"
                 + "    maxUnavailable: 1"),
             want: ["spec.strategy.rollingUpdate: not allowed with strategy type 'External'"]),
        Case(name: "maxUnavailable 120%",
             yaml: placementYAML(spec: "strategy:\n  rollingUpdate:\n    maxUnavailable: 120%"),
             want: ["spec.strategy.rollingUpdate.maxUnavailable: '120%' must be an integer, "
                 + "or a percentage from 0% to 100%"]),
        Case(name: "unknown apply type",
             yaml: placementYAML(spec: "strategy:\n  applyStrategy:\n    type: Replace"),
             want: ["spec.strategy.applyStrategy.type: 'Replace' is not valid, use "
                 + "'ClientSideApply', 'ServerSideApply' or 'ReportDiff'"]),
        Case(name: "allowCoOwnership yes",
             yaml: placementYAML(spec: "strategy:\n  applyStrategy:\n    allowCoOwnership: yes"),
             want: ["spec.strategy.applyStrategy.allowCoOwnership: expected true or false, "
                 + "got 'yes'"]),
        Case(name: "revisionHistoryLimit 0", yaml: placementYAML(spec: "revisionHistoryLimit: 0"),
             want: ["spec.revisionHistoryLimit: must be between 1 and 1000, got 0"]),
        Case(name: "revisionHistoryLimit 1001",
             yaml: placementYAML(spec: "revisionHistoryLimit: 1001"),
             want: ["spec.revisionHistoryLimit: must be between 1 and 1000, got 1001"]),
        Case(name: "revisionHistoryLimit quoted",
             yaml: placementYAML(spec: "revisionHistoryLimit: \"5\""),
             want: ["spec.revisionHistoryLimit: expected an integer, got '5' (a quoted string)"]),
        Case(name: "strategy annotation on a RollingUpdate placement",
             yaml: placementYAML(spec: "",
                                 metadata: "annotations:\n  gitfleet.io/staged-update-strategy: s"),
             want: ["metadata.annotations: annotation 'gitfleet.io/staged-update-strategy' needs "
                 + "spec.strategy.type 'External'"]),
        Case(name: "upper-case placement name", yaml: placementYAML(spec: "").replacingOccurrences(
                of: "name: p\n", with: "name: Example\n"),
             want: ["metadata.name: 'Example' must consist of lower-case letters, digits, '-' "
                 + "and '.', and start and end with a letter or digit"]),
        Case(name: "placement name of 64 characters",
             yaml: placementYAML(spec: "").replacingOccurrences(
                of: "name: p\n", with: "name: \(String(repeating: "p", count: 64))\n"),
             want: ["metadata.name: '\(String(repeating: "p", count: 64))' is longer than "
                 + "63 characters"]),
        Case(name: "ClusterResourcePlacement with a namespace",
             yaml: placementYAML(spec: "", metadata: "namespace: team"),
             want: ["metadata.namespace: cluster-scoped kind 'ClusterResourcePlacement' cannot "
                 + "have metadata.namespace"]),
        Case(name: "ResourcePlacement without a namespace", yaml: placementYAML(spec: "")
                .replacingOccurrences(of: "kind: ClusterResourcePlacement", with: "kind: ResourcePlacement"),
             want: ["metadata: namespaced kind 'ResourcePlacement' needs metadata.namespace"]),
    ]

    @Test(arguments: rejected)
    func rejectsInvalidPlacement(_ test: Case) {
        let decoded = decode(test.yaml)
        #expect(decoded.diagnostics.map(\.message) == test.want)
        #expect(decoded.content == nil)
    }

    @Test func defaultsAreKubeFleets() {
        guard case let .placement(placement)? = decode(placementYAML(spec: "")).fleetObject else {
            Issue.record("not decoded")
            return
        }
        #expect(placement.spec.policy == nil)
        #expect(placement.spec.strategy == RolloutStrategy())
        #expect(placement.spec.revisionHistoryLimit == 10)
        #expect(placement.spec.resourceSelectors == [
            ResourceSelector(group: "", version: "v1", kind: "Namespace", name: "ns"),
        ])
    }

    @Test(arguments: [
        "policy:\n  placementType: PickN\n  numberOfClusters: 0",
        "policy:\n  placementType: PickFixed\n  clusterNames: [member1, member2]",
        "policy:\n  placementType: PickFixed",
        "policy:\n  placementType: PickAll\n  affinity:\n    clusterAffinity:\n"
            + "      requiredDuringSchedulingIgnoredDuringExecution:\n"
            + "        clusterSelectorTerms:\n          - labelSelector:\n"
            + "              matchExpressions:\n                - {key: cpu, operator: Gt, "
            + "values: [\"4\"]}",
        "strategy:\n  type: External",
        "strategy:\n  rollingUpdate:\n    maxUnavailable: 0\n    maxSurge: 100%",
        "strategy:\n  applyStrategy:\n    type: ServerSideApply\n    serverSideApplyConfig:\n"
            + "      force: true",
        "revisionHistoryLimit: 1000",
    ])
    func acceptsValidSpec(_ spec: String) {
        #expect(messages(placementYAML(spec: spec)) == [])
    }

    @Test("a misspelt field in a spec is an error, not silently ignored", arguments: [
        ("stratgy:\n  type: External", "unknown field 'spec.stratgy'"),
        ("strategy:\n  type: External\n  rollingUpdat: {}", "unknown field 'spec.strategy.rollingUpdat'"),
        ("policy:\n  placementType: PickAll\n  afinity: {}", "unknown field 'spec.policy.afinity'"),
    ])
    func rejectsUnknownSpecField(spec: String, message: String) {
        #expect(messages(placementYAML(spec: spec)).contains(message))
    }

    @Test func serverSideApplyForceDefaultsToFalse() {
        let yaml = placementYAML(spec: "strategy:\n  applyStrategy:\n    type: ServerSideApply")
        guard case let .placement(placement)? = decode(yaml).fleetObject else {
            Issue.record("not decoded")
            return
        }
        #expect(placement.spec.strategy.applyStrategy.serverSideApplyForce == false)
    }

    @Test func strategyAnnotationOnExternalPlacement() {
        let yaml = placementYAML(spec: "strategy:\n  type: External",
                                 metadata: "annotations:\n  gitfleet.io/staged-update-strategy: s")
        guard case let .placement(placement)? = decode(yaml).fleetObject else {
            Issue.record("not decoded")
            return
        }
        #expect(placement.autoRunStrategy == "s")
    }
}
