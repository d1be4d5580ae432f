import FleetAPI
import FleetEngine
import FleetGit
import Foundation
import Testing

/// A tick can die at any point: the remote stays valid and the next tick converges to the
/// state an uninterrupted run reaches.
@Suite("crash safety")
struct CrashSafetyTests {
    struct Crash: Error {}

    /// The tutorial's first run, one person's commit per step; `tick` runs each tick.
    func scenario(_ fleet: FleetFixture, tick: (FleetFixture) throws -> Void) throws {
        try fleet.commitFolder(Manifests.exampleRepo)
        try tick(fleet)
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        for _ in 0..<3 { try tick(fleet) }
        fleet.advance(seconds: 61)
        for _ in 0..<2 { try tick(fleet) }
        let path = "status/clusterapprovalrequests/run-before-canary.yaml"
        if let text = try fleet.file(path) {
            try fleet.commit([path: try Manifests.approved(text)], message: "Approve")
        }
        for _ in 0..<4 { try tick(fleet) }
    }

    func head(_ fleet: FleetFixture) throws -> ObjectID? {
        try fleet.fetchHead()
    }

    @Test("a tick stopped at any step converges to the uninterrupted result",
          arguments: [SyncStep.planned, .committed, .pushed])
    func crashAtStep(step: SyncStep) throws {
        let reference = try FleetFixture()
        try scenario(reference) { try $0.tick() }

        let crashing = try FleetFixture()
        try scenario(crashing) { fleet in
            // Every tick dies at `step` once; a fresh process then runs the tick again.
            _ = try? fleet.tick { if "\($0)" == "\(step)" { throw Crash() } }
            try fleet.tick()
        }
        #expect(try head(crashing) == head(reference),
                "same commits, same trees, same ids: the crashes left no trace")
        #expect(try crashing.run("run")?.status.conditions.isTrue(.succeeded) == true)
    }

    @Test("a long-running engine that reuses what it decoded agrees with fresh processes")
    func decodedStateIsOnlyAnAccelerator() throws {
        let reference = try FleetFixture()
        try scenario(reference) { try $0.tick() }
        let loop = try FleetFixture()
        loop.keepOneEngine()
        try scenario(loop) { try $0.tick() }
        #expect(try head(loop) == head(reference))
    }

    @Test("deleting the cache folder between ticks changes no result")
    func cacheFolderIsOnlyAnAccelerator() throws {
        let reference = try FleetFixture()
        try scenario(reference) { try $0.tick() }
        let cold = try FleetFixture()
        try scenario(cold) { fleet in
            try? FileManager.default.removeItem(atPath: fleet.cache)
            try fleet.tick()
        }
        #expect(try head(cold) == head(reference))
    }

    @Test("a damaged cache clone is detected and rebuilt", arguments: ["HEAD", "objects"])
    func damagedCache(part: String) throws {
        let fleet = try FleetFixture()
        try fleet.commitFolder(Manifests.exampleRepo)
        try fleet.tick()
        let repo = fleet.cache + "/repo.git"
        if part == "HEAD" {
            try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: repo + "/HEAD"))
        } else {
            try FileManager.default.removeItem(atPath: repo + "/objects")
            try FileManager.default.createDirectory(
                atPath: repo + "/objects", withIntermediateDirectories: true)
        }
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        try fleet.tick()
        #expect(try fleet.run("run")?.status.conditions.isTrue(.initialized) == true)
    }

    @Test("a cache clone with too many packs is fetched anew, by a loop too")
    func tooManyPacks() throws {
        let fleet = try FleetFixture()
        fleet.maxCachePacks = 2
        fleet.keepOneEngine()
        try fleet.commitFolder(Manifests.exampleRepo)
        try fleet.tick()
        let packs = fleet.cache + "/repo.git/objects/pack"
        func count() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: packs)
                .filter { $0.hasSuffix(".pack") }.count
        }
        // A tick adds up to two packs (the fetch and its own commit) after the check.
        var counts: [Int] = []
        for index in 0..<5 {
            try fleet.commit(["runs/run-\(index).yaml":
                Manifests.clusterRun("run-\(index)", state: "Initialize")])
            try fleet.tick()
            counts.append(try count())
        }
        #expect(counts.allSatisfy { $0 <= 4 }, "\(counts)")
        #expect(zip(counts, counts.dropFirst()).contains { $1 < $0 }, "\(counts)")
        #expect(try fleet.run("run-4")?.status.conditions.isTrue(.initialized) == true)
    }

    @Test("sync processes killed at random moments never damage the remote")
    func killedProcesses() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("gitfleet").path
        let candidates = [binary, FileManager.default.currentDirectoryPath + "/.build/debug/gitfleet"]
        guard let gitfleet = candidates.first(where: FileManager.default.isExecutableFile) else {
            Issue.record("the gitfleet binary is not built next to the tests: \(candidates)")
            return
        }
        let fleet = try FleetFixture()
        try fleet.commitFolder(Manifests.exampleRepo)
        var generator = SplitMix(seed: 7)
        for round in 0..<12 {
            try fleet.commit(["runs/run-\(round).yaml":
                Manifests.clusterRun("run-\(round)", state: "Initialize")])
            let process = Process()
            process.executableURL = URL(fileURLWithPath: gitfleet)
            process.arguments = ["sync", "--repo", fleet.remote, "--cache", fleet.cache, "--once",
                                 "-q"]
            process.environment = ["HOME": fleet.root, "PATH": "/usr/bin:/bin"]
            try process.run()
            usleep(UInt32(generator.next() % 120_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Killed while moving the branch, a process leaves the branch's lock file behind,
            // as git does; the branch itself is old or new, never half-written. Removing the
            // lock is the recovery an operator makes (docs/sync.md, "Running it").
            try? FileManager.default.removeItem(atPath: fleet.remote + "/refs/heads/main.lock")
            try fleet.tick()
            #expect(try fleet.run("run-\(round)")?.status.conditions.isTrue(.initialized) == true)
        }
        #expect(try fleet.tick().commit == nil, "converged: nothing left to do")
    }
}

/// A tiny deterministic generator, so the kill moments are the same on every run.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
