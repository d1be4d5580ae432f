import Foundation
import FleetAPI
import FleetPlacement
import FleetYAML

/// Builders for the values the placement layer works on; nodes are built in code.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)
    static let t1 = t0.addingTimeInterval(60)

    static func labelsNode(_ labels: [String: String]) -> YAMLNode? {
        labels.isEmpty ? nil
            : .mapping(labels.sorted { $0.key < $1.key }.map { ($0.key, YAMLNode.string($0.value)) })
    }

    /// A workload resource whose node carries apiVersion, kind, metadata and `body`.
    static func resource(
        _ apiVersion: String, _ kind: String, _ name: String, ns: String? = nil,
        labels: [String: String] = [:], annotations: [String: String] = [:],
        metadata: [(String, YAMLNode?)] = [], body: [(String, YAMLNode?)] = []
    ) -> WorkloadResource {
        var metadataPairs: [(String, YAMLNode?)] = [
            ("name", .string(name)), ("namespace", ns.map(YAMLNode.string)),
            ("labels", labelsNode(labels)), ("annotations", labelsNode(annotations)),
        ]
        metadataPairs += metadata
        let node = YAMLNode.mapping(
            [("apiVersion", .string(apiVersion)), ("kind", .string(kind)),
             ("metadata", .mapping(metadataPairs))] + body)
        return WorkloadResource(
            gvk: GroupVersionKind(apiVersion: apiVersion, kind: kind), name: name, namespace: ns,
            labels: labels, annotations: annotations, node: node)
    }

    static func configMap(
        _ name: String, ns: String, data: [String: String] = ["key": "value"],
        labels: [String: String] = [:]
    ) -> WorkloadResource {
        resource("v1", "ConfigMap", name, ns: ns, labels: labels, body: [("data", labelsNode(data))])
    }

    static func selector(
        _ group: String, _ version: String, _ kind: String, name: String? = nil,
        labels: [String: String]? = nil,
        scope: ResourceSelector.SelectionScope = .namespaceWithResources
    ) -> ResourceSelector {
        ResourceSelector(
            group: group, version: version, kind: kind, name: name,
            labelSelector: labels.map { LabelSelector(matchLabels: $0) }, selectionScope: scope)
    }

    static func namespaceSelector(
        _ name: String? = nil, labels: [String: String]? = nil,
        scope: ResourceSelector.SelectionScope = .namespaceWithResources
    ) -> ResourceSelector {
        selector("", "v1", "Namespace", name: name, labels: labels, scope: scope)
    }

    static func placement(
        _ name: String = "crp", namespace: String? = nil, selectors: [ResourceSelector] = [],
        policy: PlacementPolicy? = nil, strategy: RolloutStrategy = RolloutStrategy(),
        revisionHistoryLimit: Int = 10, generation: Int = 1
    ) -> Placement {
        Placement(
            meta: ObjectMeta(name: name, namespace: namespace, generation: generation),
            spec: PlacementSpec(
                resourceSelectors: selectors, policy: policy, strategy: strategy,
                revisionHistoryLimit: revisionHistoryLimit))
    }

    static func members(_ specs: [(String, [String: String])]) -> [String: MemberCluster] {
        Dictionary(uniqueKeysWithValues: specs.map {
            ($0.0, MemberCluster(meta: ObjectMeta(name: $0.0, labels: $0.1)))
        })
    }

    static func members(_ names: [String]) -> [String: MemberCluster] {
        members(names.map { ($0, [:]) })
    }

    /// `Kind ns/name` (or `Kind name`), a short form for comparing selections.
    static func short(_ resource: WorkloadResource) -> String {
        "\(resource.gvk.kind) \(ObjectKey(namespace: resource.namespace, name: resource.name))"
    }
}
