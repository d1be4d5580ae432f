import FleetAPI
import FleetEngine
import Foundation
import Testing

/// A tick that reads only the placements it concerns must decide exactly what a tick that
/// reads everything decides. Each scenario runs on two fleets with the same clock, one of
/// them reading everything, and after every tick both remotes must hold the same commit.
@Suite("scoped ticks")
struct ScopedTickTests {
    /// Two fleets fed the same commits and clock.
    final class Twin {
        let scoped: FleetFixture
        let reference: FleetFixture
        private(set) var ticks = 0
        /// Ticks of the scoped fleet that read only some placements.
        private(set) var scopedTicks = 0

        init(name: String = #function) throws {
            scoped = try FleetFixture(name: name)
            reference = try FleetFixture(name: name)
            reference.readEverything = true
        }

        func commit(_ files: [String: String?], message: String = "Change manifests") throws {
            try scoped.commit(files, message: message)
            try reference.commit(files, message: message)
        }

        /// One tick on each; the remotes' heads must be the same commit afterwards.
        @discardableResult
        func tick(sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
            ticks += 1
            let report = try scoped.tick()
            let made = report.commit
            if report.scope != nil { scopedTicks += 1 }
            try reference.tick()
            let left = try scoped.fetchHead()
            let right = try reference.fetchHead()
            if left != right {
                let scopedLog = try scoped.log().first ?? ""
                let referenceLog = try reference.log().first ?? ""
                Issue.record("""
                    tick \(ticks): heads differ
                    scoped: \(scopedLog)
                    reading everything: \(referenceLog)
                    """, sourceLocation: sourceLocation)
            }
            return made != nil
        }

        func settle(limit: Int = 30, sourceLocation: SourceLocation = #_sourceLocation) throws {
            for _ in 0..<limit where try !tick(sourceLocation: sourceLocation) { return }
        }

        func advance(seconds: TimeInterval) {
            scoped.advance(seconds: seconds)
            reference.advance(seconds: seconds)
        }

        func file(_ path: String) throws -> String? { try scoped.file(path) }
    }

    static func member(_ index: Int, environment: String) -> String {
        """
        apiVersion: cluster.kubernetes-fleet.io/v1beta1
        kind: MemberCluster
        metadata:
          name: m\(index)
          labels:
            environment: \(environment)
            order: "\(index)"

        """
    }

    static func namespace(_ name: String) -> String {
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(name)\n"
    }

    /// A placement of one namespace, with runs per commit or as a RollingUpdate.
    static func placement(_ name: String, namespace: String, rolling: Bool = false) -> String {
        placement(name, namespaces: [namespace], rolling: rolling)
    }

    /// A placement of some namespaces.
    static func placement(_ name: String, namespaces: [String], rolling: Bool = false) -> String {
        let annotations = rolling
            ? "" : "\n  annotations:\n    gitfleet.io/staged-update-strategy: two-stages"
        let strategy = rolling
            ? "type: RollingUpdate\n    rollingUpdate: {maxUnavailable: 1}" : "type: External"
        let selectors = namespaces.map {
            "  - {group: \"\", version: v1, kind: Namespace, name: \($0)}"
        }.joined(separator: "\n")
        return """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourcePlacement
            metadata:
              name: \(name)\(annotations)
            spec:
              resourceSelectors:
            \(selectors)
              strategy:
                \(strategy)

            """
    }

    static let strategy = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateStrategy
        metadata:
          name: two-stages
        spec:
          stages:
          - name: canary
            labelSelector: {matchLabels: {environment: canary}}
            sortingLabelKey: order
          - name: prod
            labelSelector: {matchLabels: {environment: prod}}
            sortingLabelKey: order
            maxConcurrency: 2

        """

    /// Four members, placements `a` and `b` with runs per commit, `c` as a RollingUpdate.
    static var fleet: [String: String?] {
        var files: [String: String?] = [
            "members/m1.yaml": member(1, environment: "canary"),
            "strategies/two-stages.yaml": strategy,
        ]
        for index in 2...4 { files["members/m\(index).yaml"] = member(index, environment: "prod") }
        for (name, rolling) in [("a", false), ("b", false), ("c", true)] {
            files["placements/\(name).yaml"] = placement(name, namespace: name, rolling: rolling)
            files["workloads/\(name)/namespace.yaml"] = namespace(name)
            files["workloads/\(name)/config.yaml"] =
                Manifests.configMap("config", namespace: name, value: "v1")
        }
        return files
    }

    static func change(_ placement: String, to value: String) -> [String: String?] {
        ["workloads/\(placement)/config.yaml":
            Manifests.configMap("config", namespace: placement, value: value)]
    }

    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var steps: @Sendable (Twin) throws -> Void
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "one placement changes while the others rest") { twin in
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.settle()
            try twin.commit(change("b", to: "v2"))
            try twin.tick()
            try twin.commit(change("c", to: "v2"))
            try twin.settle()
        },
        Scenario(name: "a second change lands while the first run is rolling out") { twin in
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.tick()
            try twin.commit(change("a", to: "v3"))
            try twin.tick()
            try twin.commit(change("b", to: "v3"))
            try twin.settle()
        },
        Scenario(name: "changes after finished runs, two in one tick") { twin in
            // Finished runs are not read: the next run and the snapshots it skips come from
            // their names.
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.settle()
            try twin.commit(change("a", to: "v3"))
            try twin.commit(change("a", to: "v4"))
            try twin.settle()
            try twin.commit(change("a", to: "v5"))
            try twin.settle()
        },
        Scenario(name: "members join and change labels mid-run") { twin in
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.tick()
            try twin.commit(["members/m5.yaml": member(5, environment: "prod")])
            try twin.tick()
            try twin.commit(["members/m2.yaml": member(2, environment: "canary")])
            try twin.settle()
            try twin.commit(change("b", to: "v2"))
            try twin.settle()
        },
        Scenario(name: "a placement is deleted and another added") { twin in
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.tick()
            try twin.commit(["placements/b.yaml": nil])
            try twin.tick()
            try twin.commit([
                "placements/d.yaml": placement("d", namespace: "d"),
                "workloads/d/namespace.yaml": namespace("d"),
            ])
            try twin.settle()
        },
        Scenario(name: "two placements select the same ConfigMap") { twin in
            var files = fleet
            files["placements/shared.yaml"] = """
                apiVersion: placement.kubernetes-fleet.io/v1beta1
                kind: ClusterResourcePlacement
                metadata:
                  name: shared
                  annotations:
                    gitfleet.io/staged-update-strategy: two-stages
                spec:
                  resourceSelectors:
                  - {group: "", version: v1, kind: Namespace, name: a}
                  strategy:
                    type: External

                """
            try twin.commit(files)
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.settle()
            try twin.commit(change("a", to: "v3"))
            try twin.tick()
            try twin.commit(["placements/shared.yaml": nil])
            try twin.settle()
        },
        Scenario(name: "a placement selects, then drops, what another renders") { twin in
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(["placements/b.yaml": placement("b", namespaces: ["b", "a"])])
            try twin.settle()
            try twin.commit(["placements/b.yaml": placement("b", namespace: "b")])
            try twin.settle()
        },
        Scenario(name: "a placement that left a namespace still renders it") { twin in
            var files = fleet
            files["workloads/shared/namespace.yaml"] = namespace("shared")
            files["workloads/shared/config.yaml"] =
                Manifests.configMap("cfg", namespace: "shared", value: "v1")
            files["placements/app.yaml"] = placement("app", namespaces: ["shared"])
            let zeta = placement("zeta", namespaces: ["shared"]).replacingOccurrences(
                of: "\n  annotations:\n    gitfleet.io/staged-update-strategy: two-stages", with: "")
            files["placements/zeta.yaml"] = zeta
            try twin.commit(files)
            try twin.settle()
            try twin.commit(["runs/zeta.yaml": Manifests.clusterRun(
                "zeta-run", placement: "zeta", strategy: "two-stages")])
            try twin.settle()
            // zeta now selects another namespace, with no run to move its members.
            try twin.commit(["placements/zeta.yaml": zeta.replacingOccurrences(
                of: "name: shared}", with: "name: b}")])
            try twin.settle()
            try twin.commit(["workloads/shared/config.yaml": nil])
            try twin.settle()
        },
        Scenario(name: "a refused change to a finished committed run") { twin in
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(["runs/manual.yaml": Manifests.clusterRun(
                "manual", placement: "b", strategy: "two-stages", index: "0")])
            try twin.settle()
            try twin.commit(["runs/manual.yaml": Manifests.clusterRun(
                "manual", placement: "b", strategy: "two-stages", index: "1")])
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.settle()
        },
        Scenario(name: "a committed run's file breaks and is fixed") { twin in
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(["runs/manual.yaml": Manifests.clusterRun(
                "manual", placement: "b", strategy: "two-stages")])
            try twin.settle()
            try twin.commit(["runs/manual.yaml": Manifests.clusterRun(
                "manual", placement: "b", strategy: "two-stages", state: "Sideways")])
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.settle()
            try twin.commit(["runs/manual.yaml": Manifests.clusterRun(
                "manual", placement: "b", strategy: "two-stages", state: "Stop")])
            try twin.settle()
        },
        Scenario(name: "a committed run stops, resumes and is deleted") { twin in
            try twin.commit(fleet)
            try twin.settle()
            try twin.commit(["runs/manual.yaml": Manifests.clusterRun(
                "manual", placement: "b", strategy: "two-stages", state: "Run")])
            try twin.tick()
            try twin.commit(["runs/manual.yaml": Manifests.clusterRun(
                "manual", placement: "b", strategy: "two-stages", state: "Stop")])
            try twin.tick()
            try twin.commit(change("a", to: "v2"))
            try twin.tick()
            try twin.commit(["runs/manual.yaml": Manifests.clusterRun(
                "manual", placement: "b", strategy: "two-stages", state: "Run")])
            try twin.settle()
            try twin.commit(["runs/manual.yaml": nil])
            try twin.settle()
        },
        Scenario(name: "members that report availability") { twin in
            var files = RolloutModesTests.members(2, availability: "reported")
            files["app/namespace.yaml"] = RolloutModesTests.namespace
            files["app/config.yaml"] = Manifests.configMap("config", namespace: "app", value: "v1")
            files["app/placement.yaml"] = RolloutModesTests.placement(strategy: "    type: External")
            files["strategies/prod.yaml"] = RolloutModesTests.strategy
            files.merge(fleet) { mine, _ in mine }
            try twin.commit(files)
            try twin.settle()
            try twin.commit(change("a", to: "v2"))
            try twin.tick()
            try twin.commit(["reports/m1.yaml": RolloutModesTests.report(
                "m1", snapshot: "app-0-snapshot")])
            try twin.settle()
            try twin.commit(["reports/m2.yaml": RolloutModesTests.report(
                "m2", snapshot: "app-0-snapshot")])
            try twin.settle()
            try twin.commit(["app/config.yaml":
                Manifests.configMap("config", namespace: "app", value: "v2")])
            try twin.settle()
        },
        Scenario(name: "namespaced placements and runs") { twin in
            var files: [String: String?] = NamespacedTests.members
            files.merge(NamespacedTests.fleet) { mine, _ in mine }
            try twin.commit(files)
            try twin.settle()
            try twin.commit(["team/run.yaml": NamespacedTests.run("team-run")])
            try twin.settle()
            twin.advance(seconds: 61)
            try twin.settle()
            try twin.commit(["workloads/test-cm.yaml":
                Manifests.configMap("test-cm", namespace: "test-namespace", value: "value2")])
            try twin.tick()
            try twin.commit(["team/run-2.yaml": NamespacedTests.run("team-run-2")])
            try twin.settle()
            try twin.commit(["team/run-2.yaml": NamespacedTests.run("team-run-2", state: "Stop")])
            try twin.settle()
        },
        Scenario(name: "the tutorial's timed wait and approvals") { twin in
            try twin.scoped.commitFolder(Manifests.exampleRepo)
            try twin.reference.commitFolder(Manifests.exampleRepo)
            try twin.tick()
            try twin.commit(["runs/example-run.yaml": Manifests.clusterRun("example-run")])
            try twin.settle()
            twin.advance(seconds: 61)
            try twin.settle()
            let path = "status/clusterapprovalrequests/example-run-before-canary.yaml"
            let request = try #require(try twin.file(path))
            try twin.commit([path: try Manifests.approved(request)])
            try twin.settle()
            try twin.commit(["workloads/test-cm.yaml":
                Manifests.configMap("test-cm", namespace: "test-namespace", value: "value2")])
            try twin.settle()
        },
    ]

    @Test("decides what a tick reading everything decides", arguments: scenarios)
    func sameDecisions(_ scenario: Scenario) throws {
        let twin = try Twin()
        try scenario.steps(twin)
        #expect(twin.ticks > 3)
        #expect(twin.scopedTicks > 0, "no tick read less than everything")
    }

    @Test("a tick after a change reads the changed placement and not the resting ones")
    func readsLess() throws {
        let fleet = try FleetFixture()
        try fleet.commit(Self.fleet)
        try fleet.settle()
        let state = try #require(try fleet.file("status/sync.yaml"))
        #expect(state.contains("activeRuns: []"), "a quiet fleet has no work under way")
        try fleet.commit(Self.change("a", to: "v2"))
        try fleet.tick()
        let after = try #require(try fleet.file("status/sync.yaml"))
        #expect(after.contains("- a-run-1"))
        #expect(after.contains("activePlacements:\n- a\n"))
    }
}
