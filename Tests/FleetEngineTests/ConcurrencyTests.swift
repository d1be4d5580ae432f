import FleetAPI
import FleetEngine
import Foundation
import Testing

/// People push while ticks run, and several gitfleet processes tick the same repository: no
/// commit is ever lost and no run advances twice for one event.
@Suite("concurrent writers")
struct ConcurrencyTests {
    func setUp() throws -> FleetFixture {
        let fleet = try FleetFixture()
        try fleet.commitFolder(Manifests.exampleRepo)
        try fleet.tick()
        return fleet
    }

    @Test("a commit pushed while a tick runs is kept, and the tick is redone on top of it")
    func pushDuringTick() throws {
        let fleet = try setUp()
        var pushed: [String] = []
        for round in 0..<8 {
            // Each round has something for the tick to write: a new run to initialize.
            try fleet.commit(["runs/run-\(round).yaml":
                Manifests.clusterRun("run-\(round)", state: "Initialize")])
            let report = try fleet.tick(beforePush: {
                if pushed.count <= round {
                    let id = try fleet.commit(["docs/race-\(round).md": "raced\n"],
                                              message: "Race \(round)")
                    pushed.append(id.sha)
                }
            })
            #expect(report.attempts == 2, "the first push is refused, the redo lands")
            #expect(try fleet.run("run-\(round)")?.status.conditions.isTrue(.initialized) == true)
        }
        let messages = try fleet.log()
        for round in 0..<8 {
            #expect(messages.contains("Race \(round)\n"), "round \(round) was lost")
            #expect(try fleet.file("docs/race-\(round).md") == "raced\n")
        }
    }

    @Test("a run started while someone pushes starts each member once")
    func runAdvancesOnce() throws {
        let fleet = try setUp()
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        var raced = false
        try fleet.tick(beforePush: {
            guard !raced else { return }
            raced = true
            try fleet.commit(["docs/readme.md": "hello\n"], message: "Unrelated change")
        })
        let started = try fleet.log().filter { $0.contains("member 'member2' started") }
        #expect(started.count == 1)
        #expect(try fleet.file("docs/readme.md") == "hello\n")
        #expect(try fleet.configMapValue(member: "member2", namespace: "test-namespace",
                                         name: "test-cm") == "value1")
    }

    @Test("two machines with their own caches tick in turn and agree")
    func twoMachines() throws {
        let fleet = try setUp()
        let other = fleet.root + "/other-cache"
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        let second = SyncEngine(
            configuration: SyncConfiguration(remote: fleet.remote, cacheDirectory: other),
            logger: .disabled())
        // The second machine's whole tick lands while the first is about to push.
        var secondTicked = false
        try fleet.tick(beforePush: {
            if !secondTicked {
                secondTicked = true
                _ = try second.tick(now: fleet.now)
            }
        })
        _ = try second.tick(now: fleet.now)
        try fleet.tick()
        let messages = try fleet.log()
        #expect(messages.filter { $0.contains("member 'member2' started") }.count == 1)
        #expect(messages.filter { $0.contains("snapshot 0") }.count <= 1)
        #expect(try fleet.file("status/clusterresourcesnapshots/example-placement-1-snapshot.yaml")
            == nil, "one content, one snapshot")
    }

    @Test("an idle tick makes no commit")
    func idleTick() throws {
        let fleet = try setUp()
        let before = try fleet.commitCount()
        let report = try fleet.tick()
        #expect(report.commit == nil)
        #expect(try fleet.commitCount() == before)
    }
}
