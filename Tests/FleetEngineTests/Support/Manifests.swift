import FleetAPI
import FleetYAML
import Foundation

/// Small manifests for end-to-end tests.
enum Manifests {
    static var exampleRepo: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("example-repo").path
    }

    static func clusterRun(
        _ name: String, placement: String = "example-placement",
        strategy: String = "example-strategy", state: String = "Run", index: String? = nil
    ) -> String {
        var text = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterStagedUpdateRun
            metadata:
              name: \(name)
            spec:
              placementName: \(placement)
              stagedRolloutStrategyName: \(strategy)
              state: \(state)

            """
        if let index { text += "  resourceSnapshotIndex: \"\(index)\"\n" }
        return text
    }

    static func configMap(_ name: String, namespace: String, value: String) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \(name)
          namespace: \(namespace)
        data:
          key: \(value)

        """
    }

    /// An approval request file with an `Approved` condition added, as a person commits it.
    static func approved(_ requestFile: String, generation: Int = 1) throws -> String {
        guard var node = try YAMLParser.parse(requestFile, file: "request").first else {
            throw Diagnostic("empty approval request")
        }
        var status = node["status"] ?? .mapping([])
        var conditions = status["conditions"]?.items ?? []
        conditions.append(.mapping([
            ("type", .string("Approved")),
            ("status", .string("True")),
            ("reason", .string("ApprovedByTest")),
            ("message", .string("approved in a test")),
            ("observedGeneration", .int(generation)),
            ("lastTransitionTime", .string("2027-01-15T08:00:00Z")),
        ]))
        status.set("conditions", .sequence(conditions))
        node.set("status", status)
        return try YAMLWriter.write(node)
    }
}
