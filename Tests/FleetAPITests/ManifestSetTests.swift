import FleetYAML
import Foundation
import Testing
@testable import FleetAPI

@Suite struct ManifestSetTests {
    static let run = runYAML(name: "example-run",
                             spec: "placementName: p\nstagedRolloutStrategyName: s\nstate: Run")

    static func statusRun(origin: String, state: String = "Run") -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateRun
        metadata:
          name: example-run
          annotations:
            gitfleet.io/origin: \(origin)
        spec:
          placementName: p
          stagedRolloutStrategyName: s
          state: \(state)
        status:
          policySnapshotIndexUsed: "0"
        """
    }

    @Test func peoplesRunTakesItsStatusFromStatusFolder() {
        let set = ManifestSet.load(files: [
            file("runs/run.yaml", Self.run),
            file("status/clusterstagedupdateruns/example-run.yaml",
                 Self.statusRun(origin: "file:runs/run.yaml", state: "Stop")),
        ])
        #expect(set.diagnostics == [])
        let run = set.state.updateRuns[ObjectKey(name: "example-run")]
        #expect(run?.origin == .committed(file: "runs/run.yaml"))
        #expect(run?.spec.state == .run)
        #expect(run?.status.policySnapshotIndexUsed == "0")
        #expect(set.orphanedRuns.isEmpty)
    }

    @Test func runPerCommitLivesInStatus() {
        let set = ManifestSet.load(files: [
            file("status/clusterstagedupdateruns/example-run.yaml",
                 Self.statusRun(origin: "commit:abc", state: "Stop")),
        ])
        let run = set.state.updateRuns[ObjectKey(name: "example-run")]
        #expect(run?.origin == .perCommit(commit: "abc"))
        #expect(run?.spec.state == .stop)
    }

    @Test func deletedRunLeavesAnOrphanedStatus() {
        let set = ManifestSet.load(files: [
            file("status/clusterstagedupdateruns/example-run.yaml",
                 Self.statusRun(origin: "file:runs/run.yaml")),
        ])
        #expect(set.state.updateRuns.isEmpty)
        #expect(set.orphanedRuns.keys.map(\.name) == ["example-run"])
    }

    @Test func runNamedLikeAPerCommitRunIsRefused() {
        let set = ManifestSet.load(files: [
            file("runs/run.yaml", Self.run),
            file("status/clusterstagedupdateruns/example-run.yaml",
                 Self.statusRun(origin: "commit:abc")),
        ])
        #expect(set.diagnostics.map(\.description) == [
            "runs/run.yaml:1: ClusterStagedUpdateRun/example-run: 'ClusterStagedUpdateRun/"
                + "example-run' is also the name of the run gitfleet created for commit 'abc', "
                + "choose another name",
        ])
        #expect(set.state.updateRuns[ObjectKey(name: "example-run")]?.origin
            == .perCommit(commit: "abc"))
    }

    @Test func userStatusIsIgnored() {
        let set = ManifestSet.load(files: [file("runs/run.yaml", Self.statusRun(origin: "commit:x"))])
        let run = set.state.updateRuns[ObjectKey(name: "example-run")]
        #expect(run?.origin == .committed(file: "runs/run.yaml"))
        #expect(run?.status == UpdateRunStatus())
    }

    @Test func duplicatesAcrossFilesAndVersions() {
        let member = { (version: String) in
            "apiVersion: cluster.kubernetes-fleet.io/\(version)\nkind: MemberCluster\n"
                + "metadata:\n  name: m1"
        }
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\n"
        let diagnostics = ManifestValidator.validate(files: [
            file("b.yaml", member("v1beta1") + "\n---\n" + cm),
            file("a.yaml", member("v1")),
            file("c.yaml", cm.replacingOccurrences(of: "v1", with: "v1")),
        ])
        #expect(diagnostics.map(\.description) == [
            "b.yaml:1: MemberCluster/m1: 'MemberCluster/m1' is also defined at a.yaml:1",
            "c.yaml:1: ConfigMap/n/c: 'ConfigMap/n/c' is also defined at b.yaml:6",
        ])
    }

    @Test func parseErrorsAndValidationSorted() {
        let diagnostics = ManifestValidator.validate(files: [
            file("z.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c"),
            file("a.yaml", "key: [unclosed\n"),
            file("m.yaml", stageYAML("maxConcurrency: 0")),
        ])
        #expect(diagnostics.map { $0.location?.file } == ["a.yaml", "m.yaml", "z.yaml"])
        #expect(diagnostics[1].description == "m.yaml:8: ClusterStagedUpdateStrategy/s: "
            + "spec.stages[0].maxConcurrency: maxConcurrency must be at least 1")
        #expect(diagnostics[2].description == "z.yaml:3: ConfigMap/c: metadata: namespaced kind "
            + "'ConfigMap' needs metadata.namespace")
    }

    @Test func loadSeparatesParseErrors() {
        let set = ManifestSet.load(files: [
            file("a.yaml", "key: [unclosed\n"),
            file("gitfleet.yaml", "branch: main\n"),
            file("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n"),
        ])
        #expect(set.parseErrors.map { $0.location?.file } == ["a.yaml"])
        #expect(set.diagnostics == [])
        #expect(set.workloads.map(\.name) == ["n"])
    }

    @Test func invalidObjectsAreListedAndLeftOut() {
        let set = ManifestSet.load(files: [file("s.yaml", stageYAML("maxConcurrency: 0"))])
        #expect(set.state.strategies.isEmpty)
        #expect(set.invalidObjects == [ObjectRef(.clusterStagedUpdateStrategy, ObjectKey(name: "s"))])
    }

    @Test func statusFolderHoldsOnlyStatusKinds() {
        let set = ManifestSet.load(files: [
            file("status/members/m.yaml",
                 "apiVersion: cluster.kubernetes-fleet.io/v1\nkind: MemberCluster\n"
                    + "metadata:\n  name: m"),
        ])
        #expect(set.state.members.isEmpty)
        #expect(set.diagnostics.map(\.message) == [
            "gitfleet does not keep 'MemberCluster' objects under status/",
        ])
    }

    @Test func crdsInTheRepositoryScopeItsWorkloads() {
        let set = ManifestSet.load(files: [
            file("crds/widget.yaml", KindScopesTests.crd()),
            file("widgets/w.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w"),
        ])
        #expect(set.diagnostics.map(\.message) == [
            "metadata: namespaced kind 'Widget' needs metadata.namespace",
        ])
        #expect(set.workloads.map(\.gvk.kind) == ["CustomResourceDefinition"])
    }

    @Test func statusFilesLoadIntoState() {
        let snapshot = ResourceSnapshot(
            meta: ObjectMeta(name: "p-0-snapshot"), placementName: "p", index: 0, isLatest: true,
            resourceHash: "ab", sourceCommit: "c", selectedResources: [])
        let status = PlacementStatus(placementKey: ObjectKey(name: "p"), bindings: [
            Binding(meta: ObjectMeta(name: "p-m1"), placementName: "p", targetCluster: "m1",
                    state: .bound, schedulingPolicySnapshotName: "p-0"),
        ])
        func text(_ object: FleetObject) -> String {
            (try? YAMLWriter.write(FleetEncoder.encode(object))) ?? ""
        }
        let set = ManifestSet.load(files: [
            file("status/clusterresourcesnapshots/p-0-snapshot.yaml", text(.resourceSnapshot(snapshot))),
            file("status/clusterresourceplacements/p.yaml", text(.placementStatus(status))),
        ])
        #expect(set.diagnostics == [])
        #expect(set.state.resourceSnapshots[ObjectKey(name: "p-0-snapshot")] == snapshot)
        #expect(set.state.bindings.map(\.targetCluster) == ["m1"])
    }
}

/// The tutorial fleet in example-repo/ must always validate clean.
@Suite struct ExampleRepoTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("example-repo")

    static func files() throws -> [(path: String, bytes: [UInt8])] {
        let manager = FileManager.default
        let paths = try #require(manager.subpaths(atPath: root.path))
        return try paths.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
            ($0, Array(try Data(contentsOf: root.appendingPathComponent($0))))
        }
    }

    @Test func validatesClean() throws {
        let files = try Self.files()
        #expect(files.count == 7)
        #expect(ManifestValidator.validate(files: files) == [])
    }

    @Test func loadsTheTutorialFleet() throws {
        let set = ManifestSet.load(files: try Self.files())
        #expect(set.state.members.keys.sorted() == ["member1", "member2", "member3"])
        #expect(set.state.members["member1"]?.meta.labels == ["environment": "canary", "order": "2"])
        #expect(set.workloads.map(\.name) == ["test-cm", "test-namespace"])
        let placement = try #require(set.state.placements[ObjectKey(name: "example-placement")])
        #expect(placement.spec.strategy.type == .external)
        #expect(placement.spec.policy?.placementType == .pickAll)
        let strategy = try #require(set.state.strategies[ObjectKey(name: "example-strategy")])
        #expect(strategy.stages.map(\.name) == ["staging", "canary"])
        #expect(strategy.stages[1].maxConcurrency == .percent(50))
        #expect(strategy.stages[1].beforeStageTasks == [StageTask(type: .approval)])
        #expect(strategy.stages[0].afterStageTasks
            == [StageTask(type: .timedWait, waitTime: WaitDuration(text: "1m", seconds: 60))])
    }

    @Test func brokenStrategyGivesFileLineDiagnostics() throws {
        var files = try Self.files()
        let index = try #require(files.firstIndex { $0.path == "strategies/example-strategy.yaml" })
        let text = String(decoding: files[index].bytes, as: UTF8.self)
            .replacingOccurrences(of: "maxConcurrency: 50%", with: "maxConcurrency: \"150%\"")
            .replacingOccurrences(of: "- name: canary", with: "- name: canary-east")
            .replacingOccurrences(of: "- type: Approval", with: "- type: TimedWait")
        files[index].bytes = Array(text.utf8)
        #expect(ManifestValidator.validate(files: files).map(\.description) == [
            "strategies/example-strategy.yaml:16: ClusterStagedUpdateStrategy/example-strategy: "
                + "spec.stages[1].name: 'canary-east' must match '^[a-z0-9]+$' "
                + "(lower-case letters and digits)",
            "strategies/example-strategy.yaml:21: ClusterStagedUpdateStrategy/example-strategy: "
                + "spec.stages[1].maxConcurrency: '150%' must be an integer, or a percentage from "
                + "1% to 100% such as '50%'",
            "strategies/example-strategy.yaml:23: ClusterStagedUpdateStrategy/example-strategy: "
                + "spec.stages[1].beforeStageTasks[0]: BeforeStageTaskType cannot be TimedWait",
        ])
    }
}
