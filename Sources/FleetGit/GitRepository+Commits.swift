import Foundation
internal import CLibGit2

/// Who made a commit and when; times are whole seconds, as git stores them.
package struct Signature: Sendable, Hashable {
    /// The person's name.
    package var name: String
    /// The person's e-mail address.
    package var email: String
    /// The moment, truncated to whole seconds.
    package var time: Date
    /// The time zone offset recorded with the time, in minutes east of UTC.
    package var timeZoneOffsetMinutes: Int

    /// Makes a signature; `time` is truncated to whole seconds so a written commit reads back
    /// equal.
    package init(name: String, email: String, time: Date, timeZoneOffsetMinutes: Int = 0) {
        self.name = name
        self.email = email
        self.time = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
    }

    init(_ signature: UnsafePointer<git_signature>) {
        self.init(
            name: signature.pointee.name.map { String(cString: $0) } ?? "",
            email: signature.pointee.email.map { String(cString: $0) } ?? "",
            time: Date(timeIntervalSince1970: TimeInterval(signature.pointee.when.time)),
            timeZoneOffsetMinutes: Int(signature.pointee.when.offset))
    }
}

/// A commit copied out of the repository.
package struct Commit: Sendable, Hashable {
    /// The commit's own id.
    package var id: ObjectID
    /// The root tree.
    package var tree: ObjectID
    /// Parents in order; the first is the branch the commit was made on.
    package var parents: [ObjectID]
    /// Who wrote the change.
    package var author: Signature
    /// Who made the commit.
    package var committer: Signature
    /// The full message, exactly as stored.
    package var message: String
}

/// `stop` is not an ancestor of `head`: the branch was rewritten (force-pushed) or the two
/// commits are unrelated, so there is no list of new commits between them.
package struct UnrelatedHistoryError: Error, Sendable, CustomStringConvertible {
    /// The commit the walk started from.
    package var head: ObjectID
    /// The commit expected to be in head's history.
    package var stop: ObjectID

    /// One sentence naming both commits.
    package var description: String {
        "commit '\(stop.short)' is not an ancestor of '\(head.short)': the branch history "
            + "was rewritten or the commits are unrelated"
    }
}

extension GitRepository {
    /// Reads commit `id` (git_commit_lookup) into a Swift value.
    package func commit(_ id: ObjectID) throws -> Commit {
        try locked {
            try withCommit(id) { commit in
                guard let author = git_commit_author(commit),
                    let committer = git_commit_committer(commit)
                else {
                    throw GitError(
                        code: .generic, message: "the commit has no author or committer",
                        function: "git_commit_author", context: "reading commit '\(id.short)'")
                }
                let parents = try (0..<git_commit_parentcount(commit)).map {
                    try objectID(git_commit_parent_id(commit, $0), "git_commit_parent_id")
                }
                return Commit(
                    id: id, tree: try objectID(git_commit_tree_id(commit), "git_commit_tree_id"),
                    parents: parents, author: Signature(author),
                    committer: Signature(committer),
                    message: git_commit_message(commit).map { String(cString: $0) } ?? "")
            }
        }
    }

    /// The root tree of commit `id`.
    package func treeOfCommit(_ id: ObjectID) throws -> ObjectID {
        try locked {
            try withCommit(id) { try objectID(git_commit_tree_id($0), "git_commit_tree_id") }
        }
    }

    /// Writes a commit object (git_commit_create) and returns its id; updates no reference.
    /// The message is stored exactly as given.
    package func createCommit(
        tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
        message: String
    ) throws -> ObjectID {
        try locked {
            let context = "writing a commit of tree '\(tree.short)'"
            var parentCommits = try lookUpParents(parents)
            defer { parentCommits.forEach { git_commit_free($0) } }
            return try withSignature(author, context: context) { authorSignature in
                try withSignature(committer, context: context) { committerSignature in
                    try withTree(tree) { treeObject in
                        var result = git_oid()
                        try check(
                            git_commit_create(
                                &result, handle, nil, authorSignature, committerSignature, nil,
                                message, treeObject, parentCommits.count, &parentCommits),
                            "git_commit_create", context)
                        return ObjectID(result)
                    }
                }
            }
        }
    }

    /// The commits on head's first-parent line that `stop` does not already contain, oldest
    /// first (a revwalk with git_revwalk_simplify_first_parent, hiding `stop`).
    ///
    /// Normally that is the first-parent chain from head back to `stop`, excluded. When
    /// someone merged with their own commit as first parent, `stop` sits on a second parent
    /// and the walk ends at the first commit already in stop's history instead. Throws
    /// `UnrelatedHistoryError` when `stop` is not an ancestor of head (history rewritten);
    /// `stop == head` gives an empty list; a nil `stop` walks to the root.
    package func firstParentHistory(
        from head: ObjectID, until stop: ObjectID?
    ) throws -> [ObjectID] {
        try locked {
            if let stop {
                if stop == head { return [] }
                guard try isDescendant(head, of: stop) else {
                    throw UnrelatedHistoryError(head: head, stop: stop)
                }
            }
            let context = "walking history from '\(head.short)'"
            return try scoped(
                "git_revwalk_new", context,
                acquire: { git_revwalk_new($0, handle) },
                release: { git_revwalk_free($0) }
            ) { walk in
                try check(
                    git_revwalk_sorting(
                        walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue),
                    "git_revwalk_sorting", context)
                try check(
                    git_revwalk_simplify_first_parent(walk), "git_revwalk_simplify_first_parent",
                    context)
                var headOID = head.oid
                try check(git_revwalk_push(walk, &headOID), "git_revwalk_push", context)
                if let stop {
                    var stopOID = stop.oid
                    try check(git_revwalk_hide(walk, &stopOID), "git_revwalk_hide", context)
                }
                return try drain(walk, context: context)
            }
        }
    }

    /// Whether `commit` has `ancestor` in its history (git_graph_descendant_of). A commit is
    /// not its own descendant: equal ids give false.
    package func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws -> Bool {
        try locked {
            var commitOID = commit.oid
            var ancestorOID = ancestor.oid
            let result = git_graph_descendant_of(handle, &commitOID, &ancestorOID)
            try check(
                result, "git_graph_descendant_of",
                "checking whether '\(commit.short)' descends from '\(ancestor.short)'")
            return result == 1
        }
    }

    // MARK: - Blobs

    /// The content of blob `id` (git_blob_lookup).
    package func blob(_ id: ObjectID) throws -> [UInt8] {
        try locked {
            var oid = id.oid
            return try scoped(
                "git_blob_lookup", "reading blob '\(id.short)'",
                acquire: { git_blob_lookup($0, handle, &oid) },
                release: { git_blob_free($0) }
            ) { blob in
                let size = Int(git_blob_rawsize(blob))
                guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
                return Array(UnsafeRawBufferPointer(start: content, count: size))
            }
        }
    }

    /// Stores `bytes` as a blob (git_blob_create_from_buffer) and returns its id.
    package func writeBlob(_ bytes: [UInt8]) throws -> ObjectID {
        try locked {
            var result = git_oid()
            // libgit2 wants a real pointer even for zero bytes, which an empty array lacks.
            let content = bytes.isEmpty ? [0] : bytes
            try content.withUnsafeBytes { buffer in
                try check(
                    git_blob_create_from_buffer(
                        &result, handle, buffer.baseAddress, bytes.count),
                    "git_blob_create_from_buffer", "writing a blob of \(bytes.count) bytes")
            }
            return ObjectID(result)
        }
    }

    /// The id `bytes` would have as a blob, without storing anything (git_odb_hash).
    package func blobID(of bytes: [UInt8]) throws -> ObjectID {
        var result = git_oid()
        let content = bytes.isEmpty ? [0] : bytes
        try content.withUnsafeBytes { buffer in
            try check(git_odb_hash(&result, buffer.baseAddress, bytes.count, GIT_OBJECT_BLOB),
                      "git_odb_hash", "hashing a blob of \(bytes.count) bytes")
        }
        return ObjectID(result)
    }

    /// A libgit2 signature of `signature`, alive for the length of `body`.
    func withSignature<T>(
        _ signature: Signature, context: String,
        _ body: (UnsafeMutablePointer<git_signature>) throws -> T
    ) throws -> T {
        var pointer: UnsafeMutablePointer<git_signature>?
        try check(
            git_signature_new(
                &pointer, signature.name, signature.email,
                git_time_t(signature.time.timeIntervalSince1970),
                Int32(clamping: signature.timeZoneOffsetMinutes)),
            "git_signature_new", context)
        guard let pointer else {
            throw GitError(
                code: .generic, message: "libgit2 returned no signature",
                function: "git_signature_new", context: context)
        }
        defer { git_signature_free(pointer) }
        return try body(pointer)
    }

    /// Looks up the parent commits of a commit being written; the caller frees them.
    func lookUpParents(_ parents: [ObjectID]) throws -> [OpaquePointer?] {
        var commits: [OpaquePointer?] = []
        do {
            for parent in parents {
                var oid = parent.oid
                var commit: OpaquePointer?
                try check(
                    git_commit_lookup(&commit, handle, &oid), "git_commit_lookup",
                    "reading parent commit '\(parent.short)'")
                commits.append(commit)
            }
        } catch {
            commits.forEach { git_commit_free($0) }
            throw error
        }
        return commits
    }

    /// Every commit a prepared revision walk yields, in its order.
    func drain(_ walk: OpaquePointer, context: String) throws -> [ObjectID] {
        var commits: [ObjectID] = []
        var next = git_oid()
        while true {
            let result = git_revwalk_next(&next, walk)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_revwalk_next", context)
            commits.append(ObjectID(next))
        }
        return commits
    }
}
