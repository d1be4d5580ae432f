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

    /// Writes `bytes` to `path` of the work tree and stages it (git_index_add_bypath), so the
    /// work tree, the index and the next commit agree, as after `git add`.
    package func stageFile(_ path: String, bytes: [UInt8]) throws {
        guard let root = workingDirectory else {
            throw GitError(
                code: .bareRepository, message: "a bare repository has no work tree",
                function: "stageFile", context: "staging '\(path)'")
        }
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
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
                          "staging '\(path)'")
                try check(git_index_write(index), "git_index_write", "writing the index")
            }
        }
    }

    /// Commits the index on top of HEAD's branch and moves the branch, refusing if the
    /// branch moved meanwhile. Returns the new commit.
    package func commitIndex(message: String, signature: Signature) throws -> ObjectID {
        let tree: ObjectID = try locked {
            try scoped(
                "git_repository_index", "opening the index",
                acquire: { git_repository_index($0, handle) },
                release: { git_index_free($0) }
            ) { index in
                var oid = git_oid()
                try check(git_index_write_tree(&oid, index), "git_index_write_tree",
                          "writing the index as a tree")
                return ObjectID(oid)
            }
        }
        guard let branch = try headReferenceName() else {
            throw GitError(
                code: .unbornBranch, message: "HEAD does not name a branch",
                function: "commitIndex", context: "committing")
        }
        let parent = try reference(branch)
        let commit = try createCommit(
            tree: tree, parents: parent.map { [$0] } ?? [], author: signature,
            committer: signature, message: message)
        try updateReference(branch, to: commit, expected: parent, message: "gitfleet: commit")
        return commit
    }
}
