import FleetAPI
import FleetEngine
import Foundation
import Testing

/// The namespaced half of the tutorial: a ClusterResourcePlacement places the namespace only,
/// and an application team rolls its ConfigMap out with a ResourcePlacement and a
/// StagedUpdateRun in that namespace.
@Suite("namespaced runs, end to end")
struct NamespacedTests {
    static let members = [
        "members/member1.yaml": member("member1", environment: "canary", order: "2"),
        "members/member2.yaml": member("member2", environment: "staging", order: nil),
        "members/member3.yaml": member("member3", environment: "canary", order: "1"),
    ]

    static func member(_ name: String, environment: String, order: String?) -> String {
        """
        apiVersion: cluster.kubernetes-fleet.io/v1beta1
        kind: MemberCluster
        metadata:
          name: \(name)
          labels:
            environment: \(environment)
        \(order.map { "    order: \"\($0)\"" } ?? "")

        """
    }

    static let fleet: [String: String] = [
        "workloads/namespace.yaml": """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: test-namespace
            """,
        "workloads/test-cm.yaml": Manifests.configMap("test-cm", namespace: "test-namespace",
                                                      value: "value1"),
        "placements/ns-only.yaml": """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourcePlacement
            metadata:
              name: ns-only
            spec:
              resourceSelectors:
              - {group: "", version: v1, kind: Namespace, name: test-namespace,
                 selectionScope: NamespaceOnly}
            """,
        "team/rp.yaml": resourcePlacement(selector: "{group: \"\", version: v1, kind: ConfigMap, "
            + "name: test-cm}"),
        "team/strategy.yaml": """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: StagedUpdateStrategy
            metadata:
              name: example-strategy
              namespace: test-namespace
            spec:
              stages:
              - name: staging
                labelSelector: {matchLabels: {environment: staging}}
                afterStageTasks: [{type: TimedWait, waitTime: 1m}]
              - name: canary
                labelSelector: {matchLabels: {environment: canary}}
                sortingLabelKey: order
                maxConcurrency: 50%
                beforeStageTasks: [{type: Approval}]
            """,
    ]

    /// The External ResourcePlacement `example-rp` with one resource selector.
    static func resourcePlacement(selector: String) -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ResourcePlacement
        metadata:
          name: example-rp
          namespace: test-namespace
        spec:
          resourceSelectors:
          - \(selector)
          strategy:
            type: External
        """
    }

    static func run(_ name: String, state: String = "Run", index: String? = nil) -> String {
        var text = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: StagedUpdateRun
            metadata:
              name: \(name)
              namespace: test-namespace
            spec:
              placementName: example-rp
              stagedRolloutStrategyName: example-strategy
              state: \(state)

            """
        if let index { text += "  resourceSnapshotIndex: \"\(index)\"\n" }
        return text
    }

    func values(_ fleet: FleetFixture) throws -> [String?] {
        try ["member1", "member2", "member3"].map {
            try fleet.configMapValue(member: $0, namespace: "test-namespace", name: "test-cm")
        }
    }

    func approve(_ fleet: FleetFixture, _ request: String) throws {
        let path = "status/approvalrequests/test-namespace/\(request).yaml"
        let text = try #require(try fleet.file(path), "no approval request \(path)")
        try fleet.commit([path: try Manifests.approved(text)], message: "Approve \(request)")
    }

    func succeeded(_ fleet: FleetFixture, _ run: String) throws -> Bool {
        try fleet.run(run, namespace: "test-namespace")?.status.conditions
            .isTrue(.succeeded) ?? false
    }

    @Test("the namespace rolls out by itself, the ConfigMap by a staged run, with rollback")
    func namespacedTutorial() throws {
        let fleet = try FleetFixture()
        try fleet.commit(Self.members.merging(Self.fleet) { a, _ in a }, message: "Add the fleet")
        try fleet.settle()
        for member in ["member1", "member2", "member3"] {
            #expect(try fleet.file("deploy/\(member)/_cluster/namespace_test-namespace.yaml") != nil,
                    "the RollingUpdate CRP places the namespace on \(member)")
        }
        #expect(try values(fleet) == [nil, nil, nil], "NamespaceOnly does not ship the ConfigMap")

        try fleet.commit(["team/run-1.yaml": Self.run("run-1")])
        try fleet.tick()
        #expect(try fleet.file(
            "status/resourcesnapshots/test-namespace/example-rp-0-snapshot.yaml") != nil)
        #expect(try values(fleet) == [nil, "value1", nil])
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        try approve(fleet, "run-1-before-canary")
        try fleet.settle()
        #expect(try values(fleet) == ["value1", "value1", "value1"])
        #expect(try succeeded(fleet, "run-1"))

        // value2, with a Stop while member3 is in flight.
        try fleet.commit(["workloads/test-cm.yaml":
            Manifests.configMap("test-cm", namespace: "test-namespace", value: "value2"),
                          "team/run-2.yaml": Self.run("run-2")])
        try fleet.tick()
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        try approve(fleet, "run-2-before-canary")
        try fleet.tick()
        #expect(try values(fleet) == ["value1", "value2", "value2"])
        try fleet.commit(["team/run-2.yaml": Self.run("run-2", state: "Stop")])
        try fleet.settle()
        #expect(try values(fleet) == ["value1", "value2", "value2"])
        let stopped = try fleet.run("run-2", namespace: "test-namespace")
        #expect(stopped?.status.conditions[.progressing]?.reason == "UpdateRunStopped")
        try fleet.commit(["team/run-2.yaml": Self.run("run-2")])
        try fleet.settle()
        #expect(try values(fleet) == ["value2", "value2", "value2"])

        // Rollback to snapshot 0.
        try fleet.commit(["team/run-3.yaml": Self.run("run-3", index: "0")])
        try fleet.tick()
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        try approve(fleet, "run-3-before-canary")
        try fleet.settle()
        #expect(try values(fleet) == ["value1", "value1", "value1"])
        #expect(try succeeded(fleet, "run-3"))
        // Fleet objects in the selected namespace are never shipped to members.
        let shipped = try fleet.files(under: "deploy")
        #expect(!shipped.contains { $0.contains("stagedupdate") || $0.contains("resourceplacement") })
    }

    @Test("a ResourcePlacement that selects a Namespace or a cluster-scoped kind is refused",
          arguments: [
              ("{group: \"\", version: v1, kind: Namespace, name: test-namespace}", "Namespace"),
              ("{group: rbac.authorization.k8s.io, version: v1, kind: ClusterRole, name: viewer}",
               "ClusterRole"),
          ])
    func resourcePlacementScope(selector: String, kind: String) throws {
        let fleet = try FleetFixture()
        var files = Self.members.merging(Self.fleet) { a, _ in a }
        files["team/rp.yaml"] = Self.resourcePlacement(selector: selector)
        files["workloads/viewer.yaml"] = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: viewer
            """
        files["team/run-1.yaml"] = Self.run("run-1")
        try fleet.commit(files)
        try fleet.settle()
        let run = try #require(try fleet.run("run-1", namespace: "test-namespace"))
        let initialized = try #require(run.status.conditions[.initialized])
        #expect(initialized.status == .false)
        #expect(initialized.message.contains(kind), "message: \(initialized.message)")
        #expect(try values(fleet) == [nil, nil, nil])
    }
}
