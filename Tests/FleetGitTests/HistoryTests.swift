import Testing
import FleetGit

@Suite struct HistoryTests {
    /// root - c1 - c2 - c3 on one line.
    private func chain(_ repo: GitRepository) throws -> [ObjectID] {
        var commits = [try repo.commitFiles(["f": "0"], parents: [], message: "root")]
        for step in 1...3 {
            let parent = try #require(commits.last)
            commits.append(try repo.commitEdits(["f": "\(step)"], parent: parent, message: "c\(step)"))
        }
        return commits
    }

    @Test func firstParentHistoryIsOldestFirstAndExcludesStop() throws {
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        let commits = try chain(repo)
        #expect(try repo.firstParentHistory(from: commits[3], until: commits[1]) == [commits[2], commits[3]])
        #expect(try repo.firstParentHistory(from: commits[3], until: nil) == commits)
        #expect(try repo.firstParentHistory(from: commits[3], until: commits[3]).isEmpty)
    }

    @Test func firstParentHistorySkipsMergedSideBranches() throws {
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        let commits = try chain(repo)
        let side = try repo.commitEdits(["side": "s"], parent: commits[1], message: "side")
        let merge = try repo.createCommit(
            tree: try repo.treeOfCommit(side), parents: [commits[3], side], author: alice,
            committer: alice, message: "merge")
        #expect(try repo.firstParentHistory(from: merge, until: commits[2]) == [commits[3], merge])
    }

    @Test func stopOnSecondParentEndsAtSharedHistory() throws {
        // Someone merged the branch tip (stop) into their own commit: stop is only reachable
        // through the merge's second parent.
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        let commits = try chain(repo)
        let theirs = try repo.commitEdits(["theirs": "t"], parent: commits[2], message: "theirs")
        let merge = try repo.createCommit(
            tree: try repo.treeOfCommit(theirs), parents: [theirs, commits[3]], author: alice,
            committer: alice, message: "merge")
        #expect(try repo.firstParentHistory(from: merge, until: commits[3]) == [theirs, merge])
    }

    @Test func rewrittenHistoryThrows() throws {
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        let commits = try chain(repo)
        let rewritten = try repo.commitEdits(["f": "other"], parent: commits[1], message: "rewrite")
        #expect(throws: UnrelatedHistoryError.self) {
            try repo.firstParentHistory(from: rewritten, until: commits[3])
        }
        let unrelated = try repo.commitFiles(["g": "x"], parents: [], message: "orphan")
        do {
            _ = try repo.firstParentHistory(from: unrelated, until: commits[0])
            Issue.record("expected UnrelatedHistoryError")
        } catch let error as UnrelatedHistoryError {
            #expect(error.description.contains("'\(commits[0].short)'"))
        }
    }

    @Test func descendantIsStrict() throws {
        let sandbox = try Sandbox()
        let repo = try GitRepository.create(path: sandbox.path("r.git"), bare: true)
        let commits = try chain(repo)
        #expect(try repo.isDescendant(commits[3], of: commits[0]))
        #expect(try !repo.isDescendant(commits[0], of: commits[3]))
        #expect(try !repo.isDescendant(commits[2], of: commits[2]))
        let orphan = try repo.commitFiles(["g": "x"], parents: [], message: "orphan")
        #expect(try !repo.isDescendant(orphan, of: commits[0]))
    }
}
