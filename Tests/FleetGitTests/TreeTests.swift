import Foundation
import Testing
import FleetGit

@Suite struct TreeTests {
    private func repository(_ sandbox: Sandbox) throws -> GitRepository {
        try GitRepository.create(path: sandbox.path("r.git"), bare: true)
    }

    private func blob(_ repo: GitRepository, _ text: String) throws -> TreeEdit {
        .blob(try repo.writeBlob(Array(text.utf8)))
    }

    @Test func filesListsEveryFileRecursively() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let tool = try repo.writeBlob(Array("#!/bin/sh\n".utf8))
        let tree = try repo.writeTree(files: [
            "README.md": try blob(repo, "r"), "apps/web/deploy.yaml": try blob(repo, "w"),
            "apps/api.yaml": try blob(repo, "a"), "bin/tool": .blob(tool, .executable),
        ])
        let files = try repo.files(in: tree)
        #expect(files.map(\.path) == ["README.md", "apps/api.yaml", "apps/web/deploy.yaml", "bin/tool"])
        #expect(files.last == TreeFile(path: "bin/tool", blob: tool, mode: .executable))
        #expect(try repo.files(in: tree, under: "apps").map(\.path) == ["apps/api.yaml", "apps/web/deploy.yaml"])
        #expect(try repo.files(in: tree, under: "apps/web/").map(\.path) == ["apps/web/deploy.yaml"])
        #expect(try repo.files(in: tree, under: "missing").isEmpty)
        #expect(try repo.files(in: tree, under: "README.md").isEmpty)
    }

    @Test func entryAndSubtreeLookups() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let tree = try repo.writeTree(files: ["a/b/c.txt": try blob(repo, "c")])
        let file = try #require(try repo.entry(in: tree, path: "a/b/c.txt"))
        #expect(file.mode == .blob)
        #expect(try repo.blob(file.blob) == Array("c".utf8))
        #expect(try repo.entry(in: tree, path: "a/b") == nil)
        #expect(try repo.entry(in: tree, path: "a/x.txt") == nil)
        let folder = try #require(try repo.subtree(in: tree, path: "a/b"))
        #expect(try repo.files(in: folder).map(\.path) == ["c.txt"])
        #expect(try repo.subtree(in: tree, path: "a/b/c.txt") == nil)
        #expect(try repo.subtree(in: tree, path: "") == tree)
    }

    @Test func diffReportsAddModifyDeleteInNestedFolders() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let old = try repo.writeTree(files: [
            "keep.txt": try blob(repo, "k"), "dir/sub/change.txt": try blob(repo, "1"),
            "dir/gone.txt": try blob(repo, "g"), "same/x": try blob(repo, "x"),
        ])
        let new = try repo.editTree(base: old, edits: [
            "dir/sub/change.txt": try blob(repo, "2"), "dir/gone.txt": .delete,
            "dir/sub/deeper/new.txt": try blob(repo, "n"),
        ])
        let changes = try repo.diff(from: old, to: new)
        #expect(changes.map(\.path) == ["dir/gone.txt", "dir/sub/change.txt", "dir/sub/deeper/new.txt"])
        #expect(changes.map(\.kind) == [.deleted, .modified, .added])
        let oldChange = try #require(try repo.entry(in: old, path: "dir/sub/change.txt"))
        let newChange = try #require(try repo.entry(in: new, path: "dir/sub/change.txt"))
        #expect(changes[1] == TreeChange(
            path: "dir/sub/change.txt", kind: .modified, oldBlob: oldChange.blob,
            newBlob: newChange.blob, mode: .blob, oldMode: .blob))
        #expect(changes[0].newBlob == nil && changes[0].oldBlob != nil)
        #expect(changes[2].oldBlob == nil && changes[2].oldMode == nil)
        #expect(try repo.diff(from: new, to: new).isEmpty)
    }

    @Test func diffFromNothingAddsEverything() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let tree = try repo.writeTree(files: ["a": try blob(repo, "a"), "b/c": try blob(repo, "c")])
        let changes = try repo.diff(from: nil, to: tree)
        #expect(changes.map(\.path) == ["a", "b/c"])
        #expect(changes.allSatisfy { $0.kind == .added })
    }

    @Test func diffReportsTypeAndModeChanges() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let target = try repo.writeBlob(Array("target".utf8))
        let old = try repo.writeTree(files: ["link": .blob(target), "run": .blob(target)])
        let new = try repo.editTree(base: old, edits: [
            "link": .blob(target, .symlink), "run": .blob(target, .executable),
        ])
        let changes = try repo.diff(from: old, to: new)
        #expect(changes.map(\.kind) == [.typeChanged, .modified])
        #expect(changes.map(\.mode) == [.symlink, .executable])
        #expect(changes.map(\.oldMode) == [.blob, .blob])
    }

    @Test func diffFollowsAFileThatBecomesAFolder() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let old = try repo.writeTree(files: [
            "x": try blob(repo, "file"), "y/inner.txt": try blob(repo, "i"),
            "z/deep/a.txt": try blob(repo, "a"),
        ])
        let new = try repo.writeTree(files: [
            "x/now.txt": try blob(repo, "n"), "y": try blob(repo, "file now"),
            "z/deep/a.txt": try blob(repo, "a"),
        ])
        let changes = try repo.diff(from: old, to: new)
        #expect(changes.map(\.path) == ["x", "x/now.txt", "y", "y/inner.txt"])
        #expect(changes.map(\.kind) == [.deleted, .added, .added, .deleted])
        #expect(try repo.diff(from: new, to: old).map(\.kind) == [.added, .deleted, .deleted, .added])
    }

    @Test func editTreeReusesUntouchedSubtrees() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let base = try repo.writeTree(files: [
            "deploy/m1/app.yaml": try blob(repo, "1"), "deploy/m2/app.yaml": try blob(repo, "2"),
            "status/run.yaml": try blob(repo, "s"),
        ])
        let edited = try repo.editTree(base: base, edits: ["deploy/m1/app.yaml": try blob(repo, "1b")])
        #expect(try repo.subtree(in: edited, path: "deploy/m2") == repo.subtree(in: base, path: "deploy/m2"))
        #expect(try repo.subtree(in: edited, path: "status") == repo.subtree(in: base, path: "status"))
        #expect(try repo.subtree(in: edited, path: "deploy/m1") != repo.subtree(in: base, path: "deploy/m1"))
        #expect(try repo.text(in: edited, at: "deploy/m1/app.yaml") == "1b")
        #expect(try repo.editTree(base: base, edits: [:]) == base)
    }

    @Test func editTreeDropsEmptiedFolders() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let base = try repo.writeTree(files: [
            "deploy/m1/only.yaml": try blob(repo, "1"), "deploy/m2/app.yaml": try blob(repo, "2"),
            "top.txt": try blob(repo, "t"),
        ])
        let edited = try repo.editTree(base: base, edits: ["deploy/m1/only.yaml": .delete])
        #expect(try repo.subtree(in: edited, path: "deploy/m1") == nil)
        #expect(try repo.files(in: edited).map(\.path) == ["deploy/m2/app.yaml", "top.txt"])

        let noDeploy = try repo.editTree(base: base, edits: ["deploy": .delete])
        #expect(try repo.files(in: noDeploy).map(\.path) == ["top.txt"])

        let empty = try repo.editTree(base: base, edits: ["deploy": .delete, "top.txt": .delete])
        #expect(try repo.files(in: empty).isEmpty)
        #expect(empty.sha == "4b825dc642cb6eb9a060e54bf8d69288fbee4904")  // git's empty tree
        #expect(try repo.editTree(base: base, edits: ["missing/file": .delete]) == base)
    }

    @Test func editTreePlacesAndReplacesWholeFolders() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let shared = try repo.writeTree(files: ["app.yaml": try blob(repo, "shared")])
        let base = try repo.writeTree(files: [
            "deploy/m1/old.yaml": try blob(repo, "old"), "deploy/m3/x.yaml": try blob(repo, "x"),
        ])
        let edited = try repo.editTree(base: base, edits: [
            "deploy/m1": .tree(shared), "deploy/m2": .tree(shared),
            "deploy/m3": .delete, "deploy/m3/fresh.yaml": try blob(repo, "fresh"),
        ])
        #expect(try repo.subtree(in: edited, path: "deploy/m1") == shared)
        #expect(try repo.subtree(in: edited, path: "deploy/m2") == shared)
        #expect(try repo.files(in: edited, under: "deploy/m3").map(\.path) == ["deploy/m3/fresh.yaml"])

        let layered = try repo.editTree(base: nil, edits: [
            "m": .tree(shared), "m/extra.yaml": try blob(repo, "e"),
        ])
        #expect(try repo.files(in: layered).map(\.path) == ["m/app.yaml", "m/extra.yaml"])
        let emptyTree = try repo.writeTree(files: [:])
        #expect(try repo.editTree(base: edited, edits: ["deploy/m1": .tree(emptyTree)])
            == repo.editTree(base: edited, edits: ["deploy/m1": .delete]))
    }

    @Test func editTreeRefusesToGoThroughFiles() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let base = try repo.writeTree(files: ["a": try blob(repo, "file")])
        let through = try #require(gitError {
            _ = try repo.editTree(base: base, edits: ["a/b": try blob(repo, "x")])
        })
        #expect(through.code == .invalid)
        #expect(through.message.contains("'a' is a file"))
        let replaced = try repo.editTree(base: base, edits: ["a": .delete, "a/b": try blob(repo, "x")])
        #expect(try repo.files(in: replaced).map(\.path) == ["a/b"])
        let conflicting = try #require(gitError {
            _ = try repo.editTree(base: nil, edits: ["a": try blob(repo, "1"), "a/b": try blob(repo, "2")])
        })
        #expect(conflicting.code == .invalid)
    }

    @Test(arguments: ["", "/abs", "trailing/", "a//b", "./a", "a/../b", "a/..", ".git/config", "x/.GIT"])
    func badPathsAreRejected(_ path: String) throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let edit = try blob(repo, "x")
        let error = try #require(gitError { _ = try repo.editTree(base: nil, edits: [path: edit]) })
        #expect(error.code == .invalid)
        #expect(error.description.contains("'\(path)' is not a valid tree path"))
    }

    @Test func missingBlobIsRefusedByLibgit2() throws {
        let sandbox = try Sandbox()
        let repo = try repository(sandbox)
        let bogus = try #require(ObjectID(hex: String(repeating: "cd", count: 20)))
        let error = try #require(gitError { _ = try repo.writeTree(files: ["a": .blob(bogus)]) })
        #expect(error.function == "git_treebuilder_insert")
        #expect(!error.message.isEmpty)
    }

    @Test func symlinksReadAsSymlinkMode() throws {
        let sandbox = try Sandbox()
        let work = sandbox.path("work")
        try gitCLI(["init", "-q", work], in: sandbox.root)
        try "data\n".write(toFile: work + "/real.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: work + "/link", withDestinationPath: "real.txt")
        try gitCLI(["add", "."], in: work)
        try gitCLI(["commit", "-q", "-m", "with link"], in: work)

        let repo = try GitRepository.open(path: work)
        let head = try #require(try repo.reference("HEAD"))
        let files = try repo.files(in: try repo.treeOfCommit(head))
        #expect(files.map(\.path) == ["link", "real.txt"])
        #expect(files.map(\.mode) == [.symlink, .blob])
        #expect(try repo.blob(files[0].blob) == Array("real.txt".utf8))

        let written = try repo.writeTree(files: ["l": .blob(files[0].blob, .symlink)])
        #expect(try repo.entry(in: written, path: "l")?.mode == .symlink)
    }
}
