import FleetAPI
import FleetYAML
import FleetEngine
import Foundation
import Testing

/// How the repository's content moves the fleet: broken files, invalid objects, deletions.
@Suite("hub input")
struct HubInputTests {
    func exampleFleet() throws -> FleetFixture {
        let fleet = try FleetFixture()
        try fleet.commitFolder(Manifests.exampleRepo)
        try fleet.tick()
        return fleet
    }

    /// The example fleet with run `run` started: member2, in the staging stage, updated.
    func runStarted() throws -> FleetFixture {
        let fleet = try exampleFleet()
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        try fleet.tick()
        return fleet
    }

    /// `run` past the staging wait, waiting for the canary stage's approval.
    func runWaitingForCanary() throws -> FleetFixture {
        let fleet = try runStarted()
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        return fleet
    }

    func value(_ fleet: FleetFixture, _ member: String) throws -> String? {
        try fleet.configMapValue(member: member, namespace: "test-namespace", name: "test-cm")
    }

    @Test("a run committed with its placement initializes in the same tick")
    func runWithPlacement() throws {
        let fleet = try FleetFixture()
        try fleet.commitFolder(Manifests.exampleRepo)
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        try fleet.tick()
        #expect(try fleet.run("run")?.status.conditions.isTrue(.initialized) == true)
        #expect(try value(fleet, "member2") == "value1")
    }

    @Test("a file that does not parse holds new snapshots; runs in flight go on; a fix resumes")
    func unparseableFileHoldsSnapshots() throws {
        let fleet = try runStarted()
        try fleet.commit([
            "workloads/test-cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: [oops\n",
            "runs/run-2.yaml": Manifests.clusterRun("run-2", state: "Initialize"),
        ])
        let held = try fleet.tick()
        #expect(held.held.first?.description.contains("workloads/test-cm.yaml") == true)
        #expect(try fleet.log().first?.contains("held until these files parse") == true)
        #expect(try fleet.file("status/sync.yaml")?.contains("workloads/test-cm.yaml:") == true,
                "the problem is in a status file, with its line")
        #expect(try fleet.run("run")?.status.stagesStatus.first?.clusters.first?.conditions
            .isTrue(.succeeded) == true, "the run under way kept advancing")
        #expect(try fleet.run("run-2") == nil, "no new run starts while a file is broken")
        #expect(try fleet.file("status/clusterresourcesnapshots/example-placement-1-snapshot.yaml")
            == nil)

        try fleet.commit(["workloads/test-cm.yaml":
            Manifests.configMap("test-cm", namespace: "test-namespace", value: "value2")])
        try fleet.tick()
        let run2 = try #require(try fleet.run("run-2"))
        #expect(run2.status.resourceSnapshotIndexUsed == "1",
                "the fixed content makes the next snapshot")
    }

    @Test("an invalid strategy fails only its own run; another placement still rolls out")
    func invalidStrategyIsIsolated() throws {
        let fleet = try exampleFleet()
        try fleet.commit([
            "strategies/broken.yaml": """
                apiVersion: placement.kubernetes-fleet.io/v1beta1
                kind: ClusterStagedUpdateStrategy
                metadata:
                  name: broken
                spec:
                  stages:
                  - name: prod-east
                    maxConcurrency: 0
                """,
            "runs/broken.yaml": Manifests.clusterRun("broken-run", strategy: "broken"),
            "runs/good.yaml": Manifests.clusterRun("good-run"),
        ])
        let report = try fleet.tick()
        #expect(report.commit != nil, "the tick still commits")
        #expect(report.diagnostics.contains { $0.description.contains("strategies/broken.yaml:") })
        let broken = try #require(try fleet.run("broken-run"))
        #expect(broken.status.conditions[.initialized]?.message
            .contains("referenced updateStrategy not found") == true)
        #expect(try fleet.run("good-run")?.status.conditions.isTrue(.initialized) == true)
        #expect(try value(fleet, "member2") == "value1")
    }

    @Test("deleting a run removes its approval requests and leaves members as they are")
    func deleteRun() throws {
        let fleet = try runWaitingForCanary()
        let request = "status/clusterapprovalrequests/run-before-canary.yaml"
        #expect(try fleet.file(request) != nil)
        try fleet.commit(["runs/run.yaml": nil])
        try fleet.tick()
        #expect(try fleet.file(request) == nil)
        #expect(try fleet.run("run") == nil)
        #expect(try value(fleet, "member2") == "value1")
    }

    @Test("a typo in a placement keeps its last valid version; it never reads as a deletion")
    func invalidPlacementIsNotDeleted() throws {
        let fleet = try runStarted()
        let text = try #require(try fleet.file("placements/example-placement.yaml"))
        try fleet.commit(["placements/example-placement.yaml":
            text.replacingOccurrences(of: "  strategy:", with: "  stratgy:")])
        let report = try fleet.tick()
        #expect(report.diagnostics.contains { $0.description.contains("unknown field 'spec.stratgy'") })
        #expect(try value(fleet, "member2") == "value1", "members keep what they run")
        #expect(try fleet.file("status/clusterresourceplacements/example-placement.yaml") != nil)
        #expect(try fleet.run("run")?.status.conditions[.succeeded]?.status != .false)
    }

    @Test("a workload that cannot be decoded holds new snapshots, as a broken file does")
    func invalidWorkloadHoldsSnapshots() throws {
        let fleet = try runStarted()
        try fleet.commit([
            "workloads/test-cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-cm\n",
            "runs/run-2.yaml": Manifests.clusterRun("run-2", state: "Initialize"),
        ])
        let report = try fleet.tick()
        #expect(report.held.first?.description.contains("workloads/test-cm.yaml") == true)
        #expect(try fleet.run("run-2") == nil, "no snapshot without test-cm is taken")
        #expect(try value(fleet, "member2") == "value1")
    }

    @Test("a misspelt metadata field of a fleet object is reported")
    func metadataTypo() throws {
        let fleet = try exampleFleet()
        let text = try #require(try fleet.file("members/member2.yaml"))
        try fleet.commit(["members/member2.yaml":
            text.replacingOccurrences(of: "  labels:", with: "  lables:")])
        let report = try fleet.tick()
        #expect(report.diagnostics.contains { $0.description.contains("metadata.lables") })
    }

    @Test("deleting a placement removes its resources from every member")
    func deletePlacement() throws {
        let fleet = try runStarted()
        #expect(try value(fleet, "member2") == "value1")
        try fleet.commit(["placements/example-placement.yaml": nil])
        try fleet.tick()
        #expect(try fleet.files(under: "deploy").isEmpty)
        #expect(try fleet.file("status/clusterresourceplacements/example-placement.yaml") == nil)
    }

    @Test("edge 46: a member that leaves is unbound; the next run deletes its binding")
    func memberLeaves() throws {
        let fleet = try runWaitingForCanary()
        try fleet.commit(["members/member1.yaml": nil])
        try fleet.tick()
        #expect(try fleet.run("run")?.status.conditions[.succeeded]?.status == .false,
                "membership drift fails the run under way")
        try fleet.commit(["runs/run-2.yaml": Manifests.clusterRun("run-2")])
        try fleet.tick()
        let run2 = try #require(try fleet.run("run-2"))
        #expect(run2.status.deletionStageStatus?.clusters.map(\.clusterName) == ["member1"])
    }
}

/// Names come from people's files; no name can steer a write outside its folder.
@Suite("hostile names")
struct HostileNameTests {
    @Test("rendered paths never leave deploy/<member>/", arguments: [
        ("v1", "ConfigMap", "../../../status/x"),
        ("../../..", "Thing", "x"),
        ("a/../../b/v1", "Kind", ".."),
        ("v1", ".git", "config"),
    ])
    func renderedPathsStayInside(apiVersion: String, kind: String, name: String) throws {
        let node = YAMLNode.mapping([
            ("apiVersion", .string(apiVersion)), ("kind", .string(kind)),
            ("metadata", .mapping([("name", .string(name)), ("namespace", .string("app"))])),
        ])
        let path = try #require(DeployLayout.relativePath(of: node))
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        #expect(components.count == 2, "\(path)")
        #expect(!components.contains { $0 == ".." || $0 == "." || $0.isEmpty || $0 == ".git" })
    }
}
