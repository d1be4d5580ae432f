import Foundation
import Testing
import FleetGit

@Suite("batched writes")
struct WriteBatchTests {
    /// The pack files in a repository's object folder.
    func packs(_ repository: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: repository + "/objects/pack")
            .filter { $0.hasSuffix(".pack") }
    }

    @Test("a flushed commit is stored as one pack of the objects it adds, and nothing else")
    func flushStoresWhatTheCommitAdds() throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("cache.git")
        let repository = try GitRepository.create(path: path, bare: true)
        var files: [String: String] = [:]
        for index in 0..<50 { files["big/file-\(index).txt"] = "content \(index)\n" }
        let first = try repository.commitFiles(files, parents: [], message: "first")
        try repository.batchWrites()
        try repository.packWithoutDeltaSearch()

        let second = try repository.commitEdits(
            ["big/file-7.txt": "changed\n", "new.txt": "new\n"], parent: first, message: "second")
        let unused = try repository.writeBlob(Array("never committed\n".utf8))
        try repository.flushWrites(tip: second)
        #expect(try packs(path).count == 1)

        // Everything the second commit reaches is readable from disk, in a new handle.
        let reopened = try GitRepository.open(path: path)
        let tree = try reopened.treeOfCommit(second)
        let changed = try #require(try reopened.entry(in: tree, path: "big/file-7.txt"))
        #expect(try reopened.blob(changed.blob) == Array("changed\n".utf8))
        #expect(try reopened.files(in: tree).count == 51)
        #expect((try? reopened.blob(unused)) == nil, "an object no commit reaches is dropped")

        // The pack holds the commit, its root and `big` trees and the two new blobs; the 49
        // unchanged files stay where they were (loose, from before the batch).
        let packed = try #require(try packs(path).first)
        let size = try #require(try FileManager.default
            .attributesOfItem(atPath: path + "/objects/pack/" + packed)[.size] as? Int)
        #expect(size < 2_000, "pack of \(size) bytes holds more than the new objects")
    }

    /// A hub with nested folders, a cache cloned from it that batches its writes, and a tick
    /// on the cache that edits, adds, deletes and moves files (the moved file's blob stays).
    func flushedTick(
        in sandbox: Sandbox, url: (String) -> String
    ) throws -> (remote: GitRepository, cache: GitRepository, base: ObjectID, tick: ObjectID) {
        var files: [String: String] = ["README.md": "hello\n"]
        for member in 0..<20 {
            for index in 0..<5 {
                files["deploy/m\(member)/v1/cm-\(index).yaml"] = "member \(member) file \(index)\n"
            }
        }
        let (remote, base) = try sandbox.remoteWithCommit(files: files)
        let cache = try GitRepository.clone(
            url: url(remote.path), to: sandbox.path("cache.git"), bare: true)
        try cache.batchWrites()
        try cache.packWithoutDeltaSearch()
        let tick = try cache.commitEdits([
            "deploy/m3/v1/cm-0.yaml": "changed\n",
            "deploy/m20/v1/cm-0.yaml": "member 4 file 0\n",
            "deploy/m5/v1/cm-1.yaml": nil,
            "deploy/m6/moved.yaml": "member 6 file 2\n",
            "deploy/m6/v1/cm-2.yaml": nil,
            "status/sync.yaml": "lastProcessedCommit: x\n",
        ], parent: base, message: "tick")
        try cache.flushWrites(tip: tick)
        try cache.updateReference("refs/heads/main", to: tick, expected: base, message: "tick")
        return (remote, cache, base, tick)
    }

    @Test("a flushed commit pushed to a repository on this machine arrives whole",
          arguments: [false, true])
    func flushedPackPush(overFileURL: Bool) throws {
        let sandbox = try Sandbox()
        let url = { (path: String) in overFileURL ? "file://" + path : path }
        let (remote, cache, _, tick) = try flushedTick(in: sandbox, url: url)
        try cache.push(url: url(remote.path), refspecs: ["refs/heads/main:refs/heads/main"])

        #expect(try remote.reference("refs/heads/main") == tick)
        // git's own check that every object the branch reaches is there.
        try gitCLI(["-C", remote.path, "fsck", "--strict", "--no-dangling"], in: sandbox.root)
        let reopened = try GitRepository.open(path: remote.path)
        let tree = try reopened.treeOfCommit(tick)
        #expect(try reopened.text(in: tree, at: "deploy/m3/v1/cm-0.yaml") == "changed\n")
        #expect(try reopened.text(in: tree, at: "deploy/m6/moved.yaml") == "member 6 file 2\n")
        #expect(try reopened.files(in: tree).count == 102)
        let staging = try gitCLI(
            ["-C", remote.path, "for-each-ref", "refs/gitfleet"], in: sandbox.root)
        #expect(staging.isEmpty)
        // Only what the tick added went over: the very pack the cache stored, and small.
        let pushed = try packs(remote.path)
        #expect(pushed.count == 1)
        #expect(try Set(pushed).isSubset(of: packs(cache.path)))
        let size = try #require(try FileManager.default
            .attributesOfItem(atPath: remote.path + "/objects/pack/" + pushed[0])[.size] as? Int)
        #expect(size < 2_500, "pack of \(size) bytes holds more than the new objects")
    }

    @Test("a flushed commit whose branch moved meanwhile is refused, and the branch stays")
    func flushedPackPushAfterRemoteMoved() throws {
        let sandbox = try Sandbox()
        let (remote, cache, base, _) = try flushedTick(in: sandbox, url: { $0 })
        let theirs = try remote.commitEdits(["README.md": "theirs\n"], parent: base, message: "x")
        try remote.updateReference("refs/heads/main", to: theirs, expected: base, message: "x")

        let error = try #require(gitError {
            try cache.push(url: remote.path, refspecs: ["refs/heads/main:refs/heads/main"])
        })
        #expect(error.code == .nonFastForward)
        #expect(try remote.reference("refs/heads/main") == theirs)
        try gitCLI(["-C", remote.path, "fsck", "--strict", "--no-dangling"], in: sandbox.root)
    }

    @Test("a cache ahead of the remote by more than the flushed commit pushes everything")
    func pushOfSeveralCommits() throws {
        let sandbox = try Sandbox()
        let (remote, cache, _, tick) = try flushedTick(in: sandbox, url: { $0 })
        let next = try cache.commitEdits(
            ["deploy/m9/new.yaml": "new\n"], parent: tick, message: "n")
        try cache.flushWrites(tip: next)
        try cache.updateReference("refs/heads/main", to: next, expected: tick, message: "n")

        try cache.push(url: remote.path, refspecs: ["refs/heads/main:refs/heads/main"])
        #expect(try remote.reference("refs/heads/main") == next)
        try gitCLI(["-C", remote.path, "fsck", "--strict", "--no-dangling"], in: sandbox.root)
        let tree = try GitRepository.open(path: remote.path).treeOfCommit(next)
        #expect(try remote.text(in: tree, at: "deploy/m3/v1/cm-0.yaml") == "changed\n")
    }
}
