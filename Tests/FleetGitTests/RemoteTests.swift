import Foundation
import Testing
import FleetGit

@Suite struct RemoteTests {
    static let trackMain = ["+refs/heads/main:refs/remotes/origin/main"]
    static let pushMain = ["refs/heads/main:refs/heads/main"]

    @Test(arguments: [false, true])
    func cloneAndFetchFollowRemote(overFileURL: Bool) throws {
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        let url = overFileURL ? "file://" + remote.path : remote.path
        let clone = try GitRepository.clone(url: url, to: sandbox.path("clone.git"), bare: true)
        #expect(clone.isBare)
        #expect(try clone.reference("HEAD") == first)

        let second = try remote.commitEdits(["new.txt": "2"], parent: first, message: "second")
        try remote.updateReference("refs/heads/main", to: second, expected: first, message: "m")
        try clone.fetch(url: url, refspecs: Self.trackMain)
        #expect(try clone.reference("refs/remotes/origin/main") == second)
        #expect(try clone.commit(second).message == "second")
        #expect(try clone.text(in: clone.treeOfCommit(second), at: "new.txt") == "2")
    }

    @Test func nonBareCloneChecksOutFiles() throws {
        let sandbox = try Sandbox()
        let (remote, _) = try sandbox.remoteWithCommit(files: ["dir/a.txt": "a\n"])
        let clone = try GitRepository.clone(url: remote.path, to: sandbox.path("work"), bare: false)
        #expect(!clone.isBare)
        let workTree = try #require(clone.workingDirectory)
        #expect(try String(contentsOfFile: workTree + "/dir/a.txt", encoding: .utf8) == "a\n")
    }

    @Test func fetchIntoNewRepositoryNeedsNoClone() throws {
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        let cache = try GitRepository.create(path: sandbox.path("cache.git"), bare: true)
        try cache.fetch(url: "file://" + remote.path, refspecs: Self.trackMain)
        #expect(try cache.reference("refs/remotes/origin/main") == first)
        #expect(try cache.reference("refs/tags/none") == nil)
    }

    @Test func fetchWithoutRefspecsOrFromNowhereFails() throws {
        let sandbox = try Sandbox()
        let cache = try GitRepository.create(path: sandbox.path("cache.git"), bare: true)
        let noSpecs = try #require(gitError { try cache.fetch(url: sandbox.root, refspecs: []) })
        #expect(noSpecs.code == .invalid)
        let missing = try #require(gitError {
            try cache.fetch(url: sandbox.path("nowhere"), refspecs: Self.trackMain)
        })
        #expect(missing.function == "git_remote_fetch")
        #expect(missing.description.hasPrefix("fetching from '\(sandbox.path("nowhere"))' failed"))
        #expect(!missing.message.isEmpty)
    }

    @Test(arguments: [false, true])
    func fastForwardPushUpdatesRemote(overFileURL: Bool) throws {
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        let url = overFileURL ? "file://" + remote.path : remote.path
        let clone = try GitRepository.clone(url: url, to: sandbox.path("clone.git"), bare: true)
        let next = try clone.commitEdits(["status/x.yaml": "s"], parent: first, message: "tick")
        try clone.updateReference("refs/heads/main", to: next, expected: first, message: "tick")
        try clone.push(url: url, refspecs: Self.pushMain)
        #expect(try remote.reference("refs/heads/main") == next)
        let log = try gitCLI(["-C", remote.path, "log", "--format=%H %s", "main"], in: sandbox.root)
        #expect(log == "\(next.sha) tick\n\(first.sha) initial")
        let staging = try gitCLI(["-C", remote.path, "for-each-ref", "refs/gitfleet"], in: sandbox.root)
        #expect(staging.isEmpty)
    }

    @Test(arguments: [false, true])
    func pushAfterRemoteMovedIsRefused(overFileURL: Bool) throws {
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        let url = overFileURL ? "file://" + remote.path : remote.path
        let winner = try GitRepository.clone(url: url, to: sandbox.path("winner.git"), bare: true)
        let loser = try GitRepository.clone(url: url, to: sandbox.path("loser.git"), bare: true)

        let theirs = try winner.commitEdits(["a": "winner"], parent: first, message: "winner")
        try winner.updateReference("refs/heads/main", to: theirs, expected: first, message: "w")
        try winner.push(url: url, refspecs: Self.pushMain)

        let ours = try loser.commitEdits(["a": "loser"], parent: first, message: "loser")
        try loser.updateReference("refs/heads/main", to: ours, expected: first, message: "l")
        let error = try #require(gitError { try loser.push(url: url, refspecs: Self.pushMain) })
        #expect(error.code == .nonFastForward)
        #expect(error.message.contains("'refs/heads/main' is at '\(theirs.short)'"))
        #expect(try remote.reference("refs/heads/main") == theirs)
        #expect(try gitCLI(["-C", remote.path, "rev-parse", "main"], in: sandbox.root) == theirs.sha)
        let staging = try gitCLI(["-C", remote.path, "for-each-ref", "refs/gitfleet"], in: sandbox.root)
        #expect(staging.isEmpty)

        // After fetching, the loser's commit is still not a fast-forward: refused again.
        try loser.fetch(url: url, refspecs: Self.trackMain)
        let again = try #require(gitError { try loser.push(url: url, refspecs: Self.pushMain) })
        #expect(again.code == .nonFastForward)
        #expect(try remote.reference("refs/heads/main") == theirs)
    }

    @Test(arguments: ["+refs/heads/main:refs/heads/main", ":refs/heads/main", "refs/heads/main:main"])
    func forcingOrDeletingRefspecsAreRefused(_ refspec: String) throws {
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        let clone = try GitRepository.clone(url: remote.path, to: sandbox.path("c.git"), bare: true)
        let error = try #require(gitError { try clone.push(url: remote.path, refspecs: [refspec]) })
        #expect(error.code == .invalidSpec)
        #expect(error.message.contains("'\(refspec)'"))
        #expect(try remote.reference("refs/heads/main") == first)
    }
}
