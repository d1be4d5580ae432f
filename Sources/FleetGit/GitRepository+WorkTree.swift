import Foundation
internal import CLibGit2

extension GitRepository {
    /// Finds the repository containing `path`, searching parent folders as `git` does
    /// (git_repository_open_ext), so commands work from any folder of a clone.
    package static func discover(from path: String) throws -> GitRepository {
        try GitLibrary.ensureInitialized()
        return try adopt("git_repository_open_ext", "finding a git repository at '\(path)'") {
            git_repository_open_ext($0, path, 0, nil)
        }
    }

    /// The identity commits made for a person use: `user.name` and `user.email` from the
    /// repository's configuration (git_signature_default), at `time`.
    package func defaultSignature(time: Date) throws -> Signature {
        try locked {
            try scoped(
                "git_signature_default",
                "reading user.name and user.email from the git configuration",
                acquire: { pointer in
                    var signature: UnsafeMutablePointer<git_signature>?
                    let result = git_signature_default(&signature, handle)
                    pointer.pointee = signature.map { OpaquePointer($0) }
                    return result
                },
                release: { git_signature_free(UnsafeMutablePointer<git_signature>($0)) }
            ) { raw in
                let signature = Signature(UnsafePointer<git_signature>(raw))
                return Signature(name: signature.name, email: signature.email, time: time)
            }
        }
    }

    /// Commits `bytes` as `path` on top of HEAD's branch, alone: other staged or unstaged
    /// changes stay as they are, uncommitted. The work tree file and its index entry are
    /// updated to match, as after `git add` and `git commit` of that one file. Refuses when
    /// the work tree copy of `path` has changes of its own, which would be lost.
    package func commitFile(
        _ path: String, bytes: [UInt8], message: String, signature: Signature
    ) throws -> ObjectID {
        guard let root = workingDirectory else {
            throw GitError(
                code: .bareRepository, message: "a bare repository has no work tree",
                function: "commitFile", context: "committing '\(path)'")
        }
        guard let branch = try headReferenceName() else {
            throw GitError(
                code: .unbornBranch, message: "HEAD does not name a branch",
                function: "commitFile", context: "committing '\(path)'")
        }
        let parent = try reference(branch)
        let baseTree = try parent.map { try treeOfCommit($0) }
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        if let onDisk = FileManager.default.contents(atPath: url.path) {
            let committed = try baseTree.flatMap { try entry(in: $0, path: path) }
                .map { try blob($0.blob) }
            if committed != Array(onDisk) {
                throw GitError(
                    code: .conflict,
                    message: "'\(path)' has uncommitted changes; commit or discard them first",
                    function: "commitFile", context: "committing '\(path)'")
            }
        }
        let blobID = try writeBlob(bytes)
        let tree = try editTree(base: baseTree, edits: [path: .blob(blobID, .blob)])
        let commit = try createCommit(
            tree: tree, parents: parent.map { [$0] } ?? [], author: signature,
            committer: signature, message: message)
        try updateReference(branch, to: commit, expected: parent, message: "gitfleet: commit")
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
        try locked {
            try scoped(
                "git_repository_index", "opening the index",
                acquire: { git_repository_index($0, handle) },
                release: { git_index_free($0) }
            ) { index in
                try check(git_index_add_bypath(index, path), "git_index_add_bypath",
                          "updating the index entry of '\(path)'")
                try check(git_index_write(index), "git_index_write", "writing the index")
            }
        }
        return commit
    }
}
