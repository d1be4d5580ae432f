import Foundation
import Testing
import FleetGit

/// Fetches from a repository on this machine copy each new commit's changes themselves; the
/// cases they do not cover go to libgit2, and either way the cache ends up complete.
@Suite struct LocalFetchTests {
    static let trackMain = ["+refs/heads/main:refs/remotes/origin/main"]

    /// A remote with a history of three commits touching nested folders, and a cache that
    /// has fetched the first.
    private func fixture(_ sandbox: Sandbox) throws -> (
        remote: GitRepository, cache: GitRepository, commits: [ObjectID]
    ) {
        let (remote, first) = try sandbox.remoteWithCommit(
            files: ["a/x.yaml": "1\n", "a/b/y.yaml": "1\n", "c/z.yaml": "1\n"])
        let cache = try GitRepository.create(path: sandbox.path("cache.git"), bare: true)
        try cache.fetch(url: remote.path, refspecs: Self.trackMain)
        let second = try remote.commitEdits(
            ["a/b/y.yaml": "2\n", "d/new.yaml": "2\n"], parent: first, message: "second")
        let third = try remote.commitEdits(
            ["c/z.yaml": nil, "a/x.yaml": "3\n"], parent: second, message: "third")
        try remote.updateReference("refs/heads/main", to: third, expected: first, message: "m")
        return (remote, cache, [first, second, third])
    }

    /// Every object reachable from the cache's references is there (git fsck).
    private func expectComplete(_ cache: GitRepository) throws {
        try gitCLI(["fsck", "--connectivity-only", "--no-dangling"], in: cache.path)
    }

    @Test func linearHistoryIsCopiedByTheShortcut() throws {
        let sandbox = try Sandbox()
        let (remote, cache, commits) = try fixture(sandbox)
        #expect(try cache.fetchLocally(from: remote.path, refspecs: Self.trackMain,
                                       context: "test"))
        #expect(try cache.reference("refs/remotes/origin/main") == commits[2])
        let tree = try cache.treeOfCommit(commits[2])
        #expect(try cache.text(in: tree, at: "a/x.yaml") == "3\n")
        #expect(try cache.text(in: tree, at: "a/b/y.yaml") == "2\n")
        #expect(try cache.text(in: tree, at: "c/z.yaml") == nil)
        #expect(try cache.text(in: cache.treeOfCommit(commits[1]), at: "d/new.yaml") == "2\n")
        try expectComplete(cache)
        // Nothing new: the reference stays and nothing is written.
        #expect(try cache.fetchLocally(from: remote.path, refspecs: Self.trackMain,
                                       context: "test"))
        #expect(try cache.reference("refs/remotes/origin/main") == commits[2])
    }

    @Test func intoAnEmptyRepositoryTheWholeHistoryComes() throws {
        let sandbox = try Sandbox()
        let (remote, _, commits) = try fixture(sandbox)
        let fresh = try GitRepository.create(path: sandbox.path("fresh.git"), bare: true)
        try fresh.fetch(url: "file://" + remote.path, refspecs: Self.trackMain)
        #expect(try fresh.reference("refs/remotes/origin/main") == commits[2])
        #expect(try fresh.commit(commits[0]).message == "initial")
        try expectComplete(fresh)
    }

    @Test func aMergeGoesToLibgit2() throws {
        let sandbox = try Sandbox()
        let (remote, cache, commits) = try fixture(sandbox)
        let side = try remote.commitEdits(["side.yaml": "s\n"], parent: commits[0], message: "s")
        let mergeTree = try remote.editTree(
            base: remote.treeOfCommit(commits[2]),
            edits: ["side.yaml": .blob(try remote.writeBlob(Array("s\n".utf8)))])
        let merge = try remote.createCommit(
            tree: mergeTree, parents: [commits[2], side], author: alice, committer: alice,
            message: "merge")
        try remote.updateReference("refs/heads/main", to: merge, expected: commits[2],
                                   message: "m")
        #expect(try !cache.fetchLocally(from: remote.path, refspecs: Self.trackMain,
                                        context: "test"))
        #expect(try cache.reference("refs/remotes/origin/main") != merge)
        try cache.fetch(url: remote.path, refspecs: Self.trackMain)
        #expect(try cache.reference("refs/remotes/origin/main") == merge)
        try expectComplete(cache)
    }

    @Test func aSubmoduleLinkTurnedFileStillBringsTheBlob() throws {
        // A submodule link may name any id, here the id of a blob the cache never got; the
        // file that replaces the link with that blob must still be fetched.
        let sandbox = try Sandbox()
        let (remote, cache, commits) = try fixture(sandbox)
        let blob = try remote.writeBlob(Array("hidden\n".utf8))
        let linked = try remote.createCommit(
            tree: try remote.editTree(base: remote.treeOfCommit(commits[2]),
                                      edits: ["x": .blob(blob, .submodule)]),
            parents: [commits[2]], author: alice, committer: alice, message: "link")
        let file = try remote.createCommit(
            tree: try remote.editTree(base: remote.treeOfCommit(linked),
                                      edits: ["x": .blob(blob)]),
            parents: [linked], author: alice, committer: alice, message: "file")
        try remote.updateReference("refs/heads/main", to: file, expected: commits[2],
                                   message: "m")
        #expect(try cache.fetchLocally(from: remote.path, refspecs: Self.trackMain,
                                       context: "test"))
        #expect(try cache.text(in: cache.treeOfCommit(file), at: "x") == "hidden\n")
    }

    @Test(arguments: [
        ["refs/heads/main:refs/remotes/origin/main"],
        ["+refs/heads/*:refs/remotes/origin/*"],
        ["+refs/heads/missing:refs/remotes/origin/missing"],
    ])
    func otherRefspecsGoToLibgit2(_ refspecs: [String]) throws {
        let sandbox = try Sandbox()
        let (remote, cache, _) = try fixture(sandbox)
        let before = try cache.reference("refs/remotes/origin/main")
        #expect(try !cache.fetchLocally(from: remote.path, refspecs: refspecs, context: "test"))
        #expect(try cache.reference("refs/remotes/origin/main") == before)
    }
}
