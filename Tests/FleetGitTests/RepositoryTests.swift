import Foundation
import Testing
import FleetGit

@Suite struct RepositoryTests {
    @Test func createdRepositoryReopens() throws {
        let sandbox = try Sandbox()
        let bare = try GitRepository.create(path: sandbox.path("a/b/bare.git"), bare: true)
        #expect(bare.isBare)
        #expect(bare.workingDirectory == nil)
        let work = try GitRepository.create(path: sandbox.path("work"), bare: false)
        #expect(!work.isBare)
        #expect(work.path.hasSuffix("/work/.git"))
        let reopened = try GitRepository.open(path: sandbox.path("a/b/bare.git"))
        #expect(reopened.isBare)
        #expect(try reopened.headReferenceName() == "refs/heads/main")
        #expect(try reopened.reference("HEAD") == nil)
    }

    @Test func openErrorCarriesLibgit2Text() throws {
        let sandbox = try Sandbox()
        let missing = sandbox.path("missing")
        let error = try #require(gitError { _ = try GitRepository.open(path: missing) })
        #expect(error.code == .notFound)
        #expect(error.function == "git_repository_open")
        #expect(error.errorClass != .none)
        #expect(!error.message.isEmpty)
        #expect(error.message != "libgit2 gave no details")
        #expect(error.description.contains(error.message))
        #expect(error.description.hasPrefix("opening repository '\(missing)' failed in git_repository_open: "))
        #expect(!error.description.hasSuffix("."))
    }

    @Test(arguments: [[UInt8](), Array("hello\n".utf8), [0, 255, 10, 0, 13]])
    func blobRoundTrips(_ bytes: [UInt8]) throws {
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        let id = try repo.writeBlob(bytes)
        #expect(try repo.blob(id) == bytes)
        #expect(try repo.writeBlob(bytes) == id)
    }

    @Test func emptyBlobHasGitsWellKnownID() throws {
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        #expect(try repo.writeBlob([]).sha == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
    }

    @Test func commitReadsBackAsWritten() throws {
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        let first = try repo.commitFiles(["a.txt": "one"], parents: [], message: "first\n")
        let bob = Signature(
            name: "Bob", email: "bob@example.com",
            time: Date(timeIntervalSince1970: 1_700_000_100.75), timeZoneOffsetMinutes: -300)
        let tree = try repo.treeOfCommit(first)
        let second = try repo.createCommit(
            tree: tree, parents: [first], author: alice, committer: bob, message: "second\n\nbody")
        let commit = try repo.commit(second)
        #expect(commit.id == second)
        #expect(commit.tree == tree)
        #expect(commit.parents == [first])
        #expect(commit.author == alice)
        #expect(commit.committer == bob)
        #expect(commit.committer.time == Date(timeIntervalSince1970: 1_700_000_100))
        #expect(commit.message == "second\n\nbody")
        #expect(try repo.commit(first).parents.isEmpty)
        // createCommit moves no reference.
        #expect(try repo.reference("refs/heads/main") == nil)
    }

    @Test func missingCommitIsNotFound() throws {
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        let bogus = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        let error = try #require(gitError { _ = try repo.commit(bogus) })
        #expect(error.code == .notFound)
        #expect(error.description.contains("'abababababab'"))
    }

    @Test func referenceResolvesSymbolicHead() throws {
        let sandbox = try Sandbox()
        let (remote, head) = try sandbox.remoteWithCommit()
        #expect(try remote.reference("refs/heads/main") == head)
        #expect(try remote.reference("HEAD") == head)
        #expect(try remote.reference("refs/heads/other") == nil)
        try remote.setHead("refs/heads/other")
        #expect(try remote.reference("HEAD") == nil)
        #expect(try remote.headReferenceName() == "refs/heads/other")
    }

    @Test func compareAndSwapMovesReference() throws {
        let sandbox = try Sandbox()
        let (repo, first) = try sandbox.remoteWithCommit()
        let second = try repo.commitEdits(["b.txt": "two"], parent: first, message: "second")
        try repo.updateReference("refs/heads/main", to: second, expected: first, message: "advance")
        #expect(try repo.reference("refs/heads/main") == second)
    }

    @Test func compareAndSwapThatLosesLeavesReference() throws {
        let sandbox = try Sandbox()
        let (repo, first) = try sandbox.remoteWithCommit()
        let second = try repo.commitEdits(["b.txt": "two"], parent: first, message: "second")
        let third = try repo.commitEdits(["c.txt": "three"], parent: first, message: "third")
        try repo.updateReference("refs/heads/main", to: second, expected: first, message: "winner")

        let lost = try #require(gitError {
            try repo.updateReference("refs/heads/main", to: third, expected: first, message: "loser")
        })
        #expect(lost.code == .modified)
        #expect(lost.function == "git_reference_create_matching")
        #expect(try repo.reference("refs/heads/main") == second)

        let exists = try #require(gitError {
            try repo.updateReference("refs/heads/main", to: third, expected: nil, message: "new")
        })
        #expect(exists.code == .exists)
        #expect(try repo.reference("refs/heads/main") == second)
    }

    @Test func compareAndSwapOnDeletedReferenceIsModified() throws {
        let sandbox = try Sandbox()
        let (repo, first) = try sandbox.remoteWithCommit()
        try repo.updateReference("refs/heads/temp", to: first, expected: nil, message: "temp")
        try repo.deleteReference("refs/heads/temp", expected: first)
        #expect(try repo.reference("refs/heads/temp") == nil)
        let error = try #require(gitError {
            try repo.updateReference("refs/heads/temp", to: first, expected: first, message: "x")
        })
        #expect(error.code == .modified)
        #expect(try repo.reference("refs/heads/temp") == nil)
    }

    @Test func symbolicReferenceIsNotOverwritten() throws {
        let sandbox = try Sandbox()
        let (repo, first) = try sandbox.remoteWithCommit()
        let error = try #require(gitError {
            try repo.updateReference("HEAD", to: first, expected: first, message: "x")
        })
        #expect(error.code == .invalidSpec)
        #expect(try repo.headReferenceName() == "refs/heads/main")
    }

    @Test func ownershipRefusalIsExplained() throws {
        guard getuid() == 0 else { return }  // only root can hand a folder to another user
        let sandbox = try Sandbox()
        let path = sandbox.path("foreign.git")
        _ = try GitRepository.create(path: path, bare: true)
        #expect(chown(path, 4242, 4242) == 0)
        let error = try #require(gitError { _ = try GitRepository.open(path: path) })
        #expect(error.description.contains("belongs to another user"))
        try GitLibrary.setOwnerValidation(false)
        defer { try? GitLibrary.setOwnerValidation(true) }
        #expect(try GitRepository.open(path: path).isBare)
    }
}
