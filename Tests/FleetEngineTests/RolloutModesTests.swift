import FleetAPI
import FleetEngine
import Foundation
import Testing

/// RollingUpdate placements, runs per commit, and member availability reports.
@Suite("rollout modes")
struct RolloutModesTests {
    static func members(_ count: Int, availability: String? = nil) -> [String: String?] {
        var files: [String: String?] = [:]
        for index in 1...count {
            let annotation = availability.map {
                "\n  annotations:\n    gitfleet.io/availability: \($0)"
            } ?? ""
            files["members/m\(index).yaml"] = """
                apiVersion: cluster.kubernetes-fleet.io/v1beta1
                kind: MemberCluster
                metadata:
                  name: m\(index)\(annotation)
                  labels:
                    environment: prod
                    order: "\(index)"

                """
        }
        return files
    }

    static let namespace = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: app

        """

    static func placement(strategy: String, runsPerCommit: Bool = true) -> String {
        let annotations = runsPerCommit
            ? "\n  annotations:\n    gitfleet.io/staged-update-strategy: prod" : ""
        return """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterResourcePlacement
        metadata:
          name: app\(annotations)
        spec:
          resourceSelectors:
          - {group: "", version: v1, kind: Namespace, name: app}
          strategy:
        \(strategy)

        """
    }

    static let strategy = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateStrategy
        metadata:
          name: prod
        spec:
          stages:
          - name: prod
            labelSelector: {matchLabels: {environment: prod}}
            sortingLabelKey: order
            maxConcurrency: 2

        """

    func value(_ fleet: FleetFixture, _ member: String) throws -> String? {
        try fleet.configMapValue(member: member, namespace: "app", name: "config")
    }

    func values(_ fleet: FleetFixture, count: Int) throws -> [String?] {
        try (1...count).map { try value(fleet, "m\($0)") }
    }

    @Test("a RollingUpdate placement with 8 members and maxUnavailable 25% updates 2 at a time")
    func rollingUpdate() throws {
        let fleet = try FleetFixture()
        var files = Self.members(8)
        files["app/namespace.yaml"] = Self.namespace
        files["app/config.yaml"] = Manifests.configMap("config", namespace: "app", value: "v1")
        files["app/placement.yaml"] = Self.placement(
            strategy: "    type: RollingUpdate\n    rollingUpdate: {maxUnavailable: 25%}",
            runsPerCommit: false)
        try fleet.commit(files)
        try fleet.settle()
        #expect(try values(fleet, count: 8) == Array(repeating: "v1", count: 8))

        try fleet.commit(["app/config.yaml":
            Manifests.configMap("config", namespace: "app", value: "v2")])
        var seen: [Int] = []
        for _ in 0..<10 {
            try fleet.tick()
            let updated = try values(fleet, count: 8).filter { $0 == "v2" }.count
            if seen.last != updated { seen.append(updated) }
            if updated == 8 { break }
        }
        #expect(seen == [2, 4, 6, 8])
        #expect(try values(fleet, count: 8).prefix(2) == ["v2", "v2"], "member name order")
    }

    @Test("an annotated External placement gets one run per changing commit, one at a time")
    func runsPerCommit() throws {
        let fleet = try FleetFixture()
        var files = Self.members(4)
        files["app/namespace.yaml"] = Self.namespace
        files["app/config.yaml"] = Manifests.configMap("config", namespace: "app", value: "v1")
        files["app/placement.yaml"] = Self.placement(strategy: "    type: External")
        files["strategies/prod.yaml"] = Self.strategy
        try fleet.commit(files)
        try fleet.tick()
        #expect(try fleet.run("app-run-0") != nil)
        #expect(try values(fleet, count: 4) == ["v1", "v1", nil, nil])

        // Two commits land while run 0 is active: both get snapshots, only the newest a run.
        try fleet.commit(["app/config.yaml":
            Manifests.configMap("config", namespace: "app", value: "v2")])
        try fleet.commit(["app/config.yaml":
            Manifests.configMap("config", namespace: "app", value: "v3")])
        try fleet.settle()
        #expect(try fleet.file("status/clusterresourcesnapshots/app-1-snapshot.yaml") != nil)
        #expect(try fleet.run("app-run-1") == nil, "snapshot 1 is skipped")
        let latest = try #require(try fleet.run("app-run-2"))
        #expect(latest.meta.annotations["gitfleet.io/skipped-snapshots"] == "1")
        #expect(latest.status.conditions.isTrue(.succeeded))
        #expect(try values(fleet, count: 4) == Array(repeating: "v3", count: 4))

        // A formatting-only change makes no snapshot and no run.
        try fleet.commit(["app/config.yaml": """
            # the same ConfigMap, written differently
            kind: ConfigMap
            apiVersion: "v1"
            data: {key: 'v3'}
            metadata: {namespace: app, name: config}
            """])
        try fleet.settle()
        #expect(try fleet.file("status/clusterresourcesnapshots/app-3-snapshot.yaml") == nil)
        #expect(try fleet.run("app-run-3") == nil)
    }

    @Test("a member with reported availability holds its stage until it reports the right snapshot")
    func reportedAvailability() throws {
        let fleet = try FleetFixture()
        var files = Self.members(2, availability: "reported")
        files["app/namespace.yaml"] = Self.namespace
        files["app/config.yaml"] = Manifests.configMap("config", namespace: "app", value: "v1")
        files["app/placement.yaml"] = Self.placement(strategy: "    type: External")
        files["strategies/prod.yaml"] = Self.strategy.replacingOccurrences(
            of: "maxConcurrency: 2", with: "maxConcurrency: 1")
        try fleet.commit(files)
        try fleet.settle()
        #expect(try values(fleet, count: 2) == ["v1", nil], "m1 waits for its report")

        // A report of another snapshot does not release m1.
        try fleet.commit(["reports/m1.yaml": Self.report("m1", snapshot: "app-7-snapshot")])
        try fleet.settle()
        #expect(try values(fleet, count: 2) == ["v1", nil])

        try fleet.commit(["reports/m1.yaml": Self.report("m1", snapshot: "app-0-snapshot")])
        try fleet.tick()
        #expect(try values(fleet, count: 2) == ["v1", "v1"], "m1 reported; m2 starts")

        // Roll back to snapshot 0 later: m1's old report for snapshot 0 must not count again.
        try fleet.commit(["reports/m2.yaml": Self.report("m2", snapshot: "app-0-snapshot")])
        try fleet.settle()
        #expect(try fleet.run("app-run-0")?.status.conditions.isTrue(.succeeded) == true)
        try fleet.commit(["app/config.yaml":
            Manifests.configMap("config", namespace: "app", value: "v2")])
        try fleet.settle()
        #expect(try values(fleet, count: 2) == ["v2", "v1"])
        try fleet.commit(["runs/back.yaml": Manifests.clusterRun(
            "back", placement: "app", strategy: "prod", index: "0")])
        try fleet.settle()
        let back = try #require(try fleet.run("back"))
        #expect(back.status.conditions.isTrue(.initialized))
        #expect(try values(fleet, count: 2) == ["v1", "v1"], "m1 rendered back to snapshot 0")
        #expect(back.status.stagesStatus.first?.clusters.first?.conditions
            .isTrue(.succeeded) != true, "the stale report for snapshot 0 does not count")

        // A fresh report of snapshot 0, committed after the rollback rendered it, releases m1.
        try fleet.commit(["reports/m1.yaml": Self.report("m1", snapshot: "app-0-snapshot")
            + "# reported again after the rollback\n"])
        try fleet.settle()
        #expect(try fleet.run("back")?.status.conditions.isTrue(.succeeded) == true)
    }

    static func report(_ member: String, snapshot: String) -> String {
        """
        apiVersion: gitfleet.io/v1alpha1
        kind: MemberReport
        member: \(member)
        placements:
        - placement: app
          snapshot: \(snapshot)
          applied: true
          available: true

        """
    }
}

