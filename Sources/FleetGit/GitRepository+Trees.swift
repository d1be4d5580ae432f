internal import CLibGit2

/// The kind of a non-directory tree entry.
package enum FileMode: Sendable, Hashable, CaseIterable {
    /// A regular file (100644; the old group-writable 100664 reads as this too).
    case blob
    /// An executable file (100755).
    case executable
    /// A symbolic link whose blob holds the target path (120000).
    case symlink
    /// A submodule: the entry's id is a commit in another repository (160000).
    case submodule

    /// The git mode bits written into trees.
    package var rawMode: UInt32 {
        switch self {
        case .blob: 0o100644
        case .executable: 0o100755
        case .symlink: 0o120000
        case .submodule: 0o160000
        }
    }

    /// Classifies the mode bits of a non-directory entry. git only writes the four modes
    /// above; anything else that is not a directory reads as a regular file.
    init(rawMode: UInt32) {
        switch rawMode {
        case 0o100755: self = .executable
        case 0o120000: self = .symlink
        case 0o160000: self = .submodule
        default: self = .blob
        }
    }
}

/// A file (any non-directory entry) in a tree, with its full slash-separated path.
package struct TreeFile: Sendable, Hashable {
    /// The path from the root tree, such as `deploy/member-1/app.yaml`.
    package var path: String
    /// The blob id; for a submodule, the commit id it pins.
    package var blob: ObjectID
    /// The entry's kind.
    package var mode: FileMode

    /// Makes a tree file value.
    package init(path: String, blob: ObjectID, mode: FileMode) {
        self.path = path
        self.blob = blob
        self.mode = mode
    }
}

/// One file that differs between two trees.
package struct TreeChange: Sendable, Hashable {
    /// What happened to the file.
    package enum Kind: Sendable, Hashable {
        /// Present only in the new tree.
        case added
        /// Present in both, with different content or mode.
        case modified
        /// Present only in the old tree.
        case deleted
        /// Present in both with a different kind, such as a file that became a symlink.
        case typeChanged
    }

    /// The path from the root tree.
    package var path: String
    /// What happened.
    package var kind: Kind
    /// The id before the change; nil when added.
    package var oldBlob: ObjectID?
    /// The id after the change; nil when deleted.
    package var newBlob: ObjectID?
    /// The mode after the change, or before it for a deleted file.
    package var mode: FileMode
    /// The mode before the change; nil when added.
    package var oldMode: FileMode?

    /// Makes a change value.
    package init(
        path: String, kind: Kind, oldBlob: ObjectID?, newBlob: ObjectID?, mode: FileMode,
        oldMode: FileMode?
    ) {
        self.path = path
        self.kind = kind
        self.oldBlob = oldBlob
        self.newBlob = newBlob
        self.mode = mode
        self.oldMode = oldMode
    }
}

extension GitRepository {
    /// Every file in `tree`, recursively, in git's path order. With `prefix`, only the files
    /// inside that folder (still with full paths); a missing folder, or a prefix naming a file,
    /// gives an empty list.
    ///
    /// `skipping` is asked about each folder (by full path) before it is read; a folder it
    /// names is left out with everything in it.
    package func files(
        in tree: ObjectID, under prefix: String? = nil,
        skipping: (String) -> Bool = { _ in false }
    ) throws -> [TreeFile] {
        try locked {
            var start = tree
            var base = ""
            if let prefix, !prefix.isEmpty {
                let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
                guard let folder = try subtreeLocked(in: tree, path: trimmed) else { return [] }
                start = folder
                base = trimmed + "/"
            }
            var files: [TreeFile] = []
            try collectFiles(start, base: base, skipping: skipping, into: &files)
            return files
        }
    }

    /// The file at `path` in `tree` (git_tree_entry_bypath); nil when nothing is there or the
    /// path names a folder.
    package func entry(in tree: ObjectID, path: String) throws -> TreeFile? {
        try locked {
            try withEntry(in: tree, path: path) { entry in
                guard let entry, git_tree_entry_type(entry) != GIT_OBJECT_TREE else { return nil }
                return TreeFile(
                    path: path, blob: try objectID(git_tree_entry_id(entry), "git_tree_entry_id"),
                    mode: FileMode(rawMode: git_tree_entry_filemode(entry).rawValue))
            }
        }
    }

    /// The folder at `path` in `tree`; nil when nothing is there or the path names a file.
    /// An empty path is the tree itself.
    package func subtree(in tree: ObjectID, path: String) throws -> ObjectID? {
        try locked { try subtreeLocked(in: tree, path: path) }
    }

    /// The files that differ from tree `old` to tree `new` (git_diff_tree_to_tree), folders
    /// expanded, no rename detection, sorted by path. A nil `old` is the empty tree.
    package func diff(from old: ObjectID?, to new: ObjectID) throws -> [TreeChange] {
        try locked {
            let context = "comparing tree '\(old?.short ?? "empty")' with '\(new.short)'"
            var options = git_diff_options()
            try check(
                git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)),
                "git_diff_options_init", context)
            options.flags = GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
            return try withOptionalTree(old) { oldTree in
                try withTree(new) { newTree in
                    try scoped(
                        "git_diff_tree_to_tree", context,
                        acquire: { git_diff_tree_to_tree($0, handle, oldTree, newTree, &options) },
                        release: { git_diff_free($0) }
                    ) { diff in
                        try (0..<git_diff_num_deltas(diff)).compactMap { index in
                            guard let delta = git_diff_get_delta(diff, index) else { return nil }
                            return try Self.change(delta.pointee)
                        }
                    }
                }
            }
        }
    }

    // MARK: - Helpers

    func subtreeLocked(in tree: ObjectID, path: String) throws -> ObjectID? {
        if path.isEmpty { return tree }
        return try withEntry(in: tree, path: path) { entry in
            guard let entry, git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return nil }
            return try objectID(git_tree_entry_id(entry), "git_tree_entry_id")
        }
    }

    /// Looks up the entry at `path` (nil when missing) and frees it after `body`.
    private func withEntry<T>(
        in tree: ObjectID, path: String, _ body: (OpaquePointer?) throws -> T
    ) throws -> T {
        try withTree(tree) { root in
            var entry: OpaquePointer?
            let result = git_tree_entry_bypath(&entry, root, path)
            defer { git_tree_entry_free(entry) }
            if result == GitError.Code.notFound.rawValue {
                git_error_clear()
                return try body(nil)
            }
            try check(result, "git_tree_entry_bypath", "reading '\(path)' in tree '\(tree.short)'")
            return try body(entry)
        }
    }

    private func collectFiles(
        _ tree: ObjectID, base: String, skipping: (String) -> Bool, into files: inout [TreeFile]
    ) throws {
        // Copy the entries out before recursing so only one tree is open per level.
        let entries: [(name: String, id: ObjectID, isTree: Bool, mode: UInt32)] =
            try withTree(tree) { object in
                try (0..<git_tree_entrycount(object)).compactMap { index in
                    guard let entry = git_tree_entry_byindex(object, index),
                        let name = git_tree_entry_name(entry)
                    else { return nil }
                    return (
                        String(cString: name),
                        try objectID(git_tree_entry_id(entry), "git_tree_entry_id"),
                        git_tree_entry_type(entry) == GIT_OBJECT_TREE,
                        git_tree_entry_filemode(entry).rawValue
                    )
                }
            }
        for entry in entries {
            let path = base + entry.name
            if entry.isTree {
                guard !skipping(path) else { continue }
                try collectFiles(entry.id, base: path + "/", skipping: skipping, into: &files)
            } else {
                files.append(
                    TreeFile(path: path, blob: entry.id, mode: FileMode(rawMode: entry.mode)))
            }
        }
    }

    private static func change(_ delta: git_diff_delta) throws -> TreeChange? {
        let kind: TreeChange.Kind
        switch delta.status {
        case GIT_DELTA_ADDED: kind = .added
        case GIT_DELTA_DELETED: kind = .deleted
        case GIT_DELTA_MODIFIED: kind = .modified
        case GIT_DELTA_TYPECHANGE: kind = .typeChanged
        default: return nil  // unmodified, renamed, copied and the like: not asked for
        }
        let oldFile = delta.old_file
        let newFile = delta.new_file
        let pathPointer = kind == .deleted ? oldFile.path : newFile.path
        guard let pathPointer else {
            throw GitError(
                code: .generic, message: "libgit2 returned a change without a path",
                function: "git_diff_get_delta")
        }
        let oldMode = FileMode(rawMode: UInt32(oldFile.mode))
        let newMode = FileMode(rawMode: UInt32(newFile.mode))
        return TreeChange(
            path: String(cString: pathPointer), kind: kind,
            oldBlob: kind == .added ? nil : ObjectID(oldFile.id),
            newBlob: kind == .deleted ? nil : ObjectID(newFile.id),
            mode: kind == .deleted ? oldMode : newMode,
            oldMode: kind == .added ? nil : oldMode)
    }
}
