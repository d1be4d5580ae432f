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
}
