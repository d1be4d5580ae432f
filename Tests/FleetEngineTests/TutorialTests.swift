import FleetAPI
import FleetEngine
import Foundation
import Testing

/// The KubeFleet staged-update tutorial, driven through real git: a bare remote, a person who
/// commits and pushes, and `sync` ticks with a test clock.
@Suite("tutorial, end to end")
struct TutorialTests {
    let approvals = "status/clusterapprovalrequests"

    func value(_ fleet: FleetFixture, _ member: String) throws -> String? {
        try fleet.configMapValue(member: member, namespace: "test-namespace", name: "test-cm")
    }

    func values(_ fleet: FleetFixture) throws -> [String?] {
        try ["member1", "member2", "member3"].map { try value(fleet, $0) }
    }

    func condition(_ run: UpdateRun?, _ type: UpdateRunConditionType) -> String? {
        run?.status.conditions[type].map { "\($0.status.rawValue)/\($0.reason)" }
    }

    func approve(_ fleet: FleetFixture, _ request: String) throws {
        let path = "\(approvals)/\(request).yaml"
        let text = try #require(try fleet.file(path), "no approval request \(request)")
        try fleet.commit([path: try Manifests.approved(text)], message: "Approve \(request)")
    }

    @Test("initial rollout, a change, stop and resume, and rollback")
    func tutorial() throws {
        let fleet = try FleetFixture()
        try fleet.commitFolder(Manifests.exampleRepo)
        try fleet.tick()
        #expect(try fleet.files(under: "deploy").isEmpty)
        #expect(try fleet.file("status/clusterschedulingpolicysnapshots/example-placement-0.yaml")
            != nil)

        // The first run snapshots the commit that added it and starts the staging stage.
        try fleet.commit(["runs/example-run.yaml": Manifests.clusterRun("example-run")])
        try fleet.tick()
        #expect(try fleet.file("status/clusterresourcesnapshots/example-placement-0-snapshot.yaml")
            != nil)
        #expect(condition(try fleet.run("example-run"), .initialized)
            == "True/UpdateRunInitializedSuccessfully")
        #expect(try values(fleet) == [nil, "value1", nil])

        // member2's update is confirmed by its push; then the one-minute wait.
        try fleet.tick()
        #expect(condition(try fleet.run("example-run"), .progressing) == "False/UpdateRunWaiting")
        fleet.advance(seconds: 30)
        try fleet.tick()
        #expect(try fleet.file("\(approvals)/example-run-before-canary.yaml") == nil)
        fleet.advance(seconds: 31)
        try fleet.tick()
        #expect(try fleet.file("\(approvals)/example-run-before-canary.yaml") != nil)
        #expect(try values(fleet) == [nil, "value1", nil])

        try approve(fleet, "example-run-before-canary")
        try fleet.tick()
        #expect(try values(fleet) == [nil, "value1", "value1"], "member3 (order 1) goes first")
        try fleet.tick()
        #expect(try values(fleet) == ["value1", "value1", "value1"])
        try fleet.tick()
        #expect(condition(try fleet.run("example-run"), .succeeded) == "True/UpdateRunSucceeded")

        // value1 becomes value2; a run in Initialize takes snapshot 1 and touches nothing.
        try fleet.commit(["workloads/test-cm.yaml":
            Manifests.configMap("test-cm", namespace: "test-namespace", value: "value2")])
        try fleet.tick()
        #expect(try fleet.file("status/clusterresourcesnapshots/example-placement-1-snapshot.yaml")
            == nil, "an External placement gets a snapshot only when a run asks")
        try fleet.commit(["runs/example-run-2.yaml":
            Manifests.clusterRun("example-run-2", state: "Initialize")])
        try fleet.tick()
        #expect(try fleet.file("status/clusterresourcesnapshots/example-placement-1-snapshot.yaml")
            != nil)
        let initialized = try fleet.run("example-run-2")
        #expect(condition(initialized, .initialized) == "True/UpdateRunInitializedSuccessfully")
        #expect(initialized?.status.resourceSnapshotIndexUsed == "1")
        #expect(condition(initialized, .progressing) == nil)
        #expect(try values(fleet) == ["value1", "value1", "value1"])

        try fleet.commit(["runs/example-run-2.yaml": Manifests.clusterRun("example-run-2")])
        try fleet.tick()
        #expect(try values(fleet) == ["value1", "value2", "value1"], "member2 first")
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        try approve(fleet, "example-run-2-before-canary")
        try fleet.tick()
        #expect(try values(fleet) == ["value1", "value2", "value2"], "then member3")

        // Stop while member3 is in flight: it finishes, member1 is not started.
        try fleet.commit(["runs/example-run-2.yaml":
            Manifests.clusterRun("example-run-2", state: "Stop")])
        try fleet.tick()
        try fleet.tick()
        #expect(condition(try fleet.run("example-run-2"), .progressing) == "False/UpdateRunStopped")
        #expect(try values(fleet) == ["value1", "value2", "value2"])

        try fleet.commit(["runs/example-run-2.yaml": Manifests.clusterRun("example-run-2")])
        try fleet.tick()
        #expect(try values(fleet) == ["value2", "value2", "value2"], "then member1")
        try fleet.tick()
        #expect(condition(try fleet.run("example-run-2"), .succeeded) == "True/UpdateRunSucceeded")

        // Rollback: a run of snapshot 0 brings value1 back everywhere, in the same order.
        try fleet.commit(["runs/example-run-3.yaml":
            Manifests.clusterRun("example-run-3", index: "0")])
        try fleet.tick()
        #expect(try values(fleet) == ["value2", "value1", "value2"])
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        try approve(fleet, "example-run-3-before-canary")
        try fleet.tick()
        try fleet.tick()
        try fleet.tick()
        #expect(try values(fleet) == ["value1", "value1", "value1"])
        #expect(condition(try fleet.run("example-run-3"), .succeeded) == "True/UpdateRunSucceeded")
    }
}
