import Foundation
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

    /// The files that differ from tree `old` to tree `new`, folders expanded, no rename
    /// detection, sorted by path. A nil `old` is the empty tree.
    ///
    /// Folders with the same id on both sides are skipped without being read, so the cost
    /// follows the change, not the tree: libgit2's git_diff_tree_to_tree reads every file of
    /// both trees, which on a fleet repository means every rendered member folder.
    ///
    /// `skipping` is asked about each folder (by full path) before it is compared; the
    /// changes inside a folder it refuses are left out.
    package func diff(
        from old: ObjectID?, to new: ObjectID, skipping: (String) -> Bool = { _ in false }
    ) throws -> [TreeChange] {
        try locked {
            var changes: [TreeChange] = []
            try collectChanges(old, new, base: "", skipping: skipping, into: &changes)
            return changes.sorted { $0.path < $1.path }
        }
    }

    private func collectChanges(
        _ old: ObjectID?, _ new: ObjectID?, base: String, skipping: (String) -> Bool,
        into changes: inout [TreeChange]
    ) throws {
        guard old != new else { return }
        let before = try old.map(treeEntries) ?? [:]
        let after = try new.map(treeEntries) ?? [:]
        for name in Set(before.keys).union(after.keys) {
            let path = base + String(decoding: name, as: UTF8.self)
            let was = before[name]
            let now = after[name]
            guard was?.id != now?.id || was?.mode != now?.mode else { continue }
            let wasTree = was?.isTree == true
            let nowTree = now?.isTree == true
            if wasTree || nowTree, !skipping(path) {
                try collectChanges(
                    wasTree ? was?.id : nil, nowTree ? now?.id : nil, base: path + "/",
                    skipping: skipping, into: &changes)
            }
            let oldFile = wasTree ? nil : was
            let newFile = nowTree ? nil : now
            switch (oldFile, newFile) {
            case let (nil, file?):
                changes.append(TreeChange(
                    path: path, kind: .added, oldBlob: nil, newBlob: file.id,
                    mode: FileMode(rawMode: file.mode), oldMode: nil))
            case let (file?, nil):
                changes.append(TreeChange(
                    path: path, kind: .deleted, oldBlob: file.id, newBlob: nil,
                    mode: FileMode(rawMode: file.mode), oldMode: FileMode(rawMode: file.mode)))
            case let (oldFile?, newFile?):
                let oldMode = FileMode(rawMode: oldFile.mode)
                let newMode = FileMode(rawMode: newFile.mode)
                // An executable bit is a modification; a file becoming a link is not.
                let sameKind = oldMode == newMode
                    || Set([oldMode, newMode]) == Set([FileMode.blob, .executable])
                changes.append(TreeChange(
                    path: path, kind: sameKind ? .modified : .typeChanged, oldBlob: oldFile.id,
                    newBlob: newFile.id, mode: newMode, oldMode: oldMode))
            case (nil, nil):
                break
            }
        }
    }

    /// One tree's entries by name, as bytes: two names Swift's strings would compare equal
    /// (composed and decomposed accents) are two entries to git.
    func treeEntries(
        _ tree: ObjectID
    ) throws -> [[UInt8]: (id: ObjectID, isTree: Bool, mode: UInt32)] {
        try withTree(tree) { object in
            var entries: [[UInt8]: (id: ObjectID, isTree: Bool, mode: UInt32)] = [:]
            for index in 0..<git_tree_entrycount(object) {
                guard let entry = git_tree_entry_byindex(object, index),
                      let name = git_tree_entry_name(entry)
                else { continue }
                let bytes = UnsafeRawBufferPointer(start: name, count: strlen(name))
                entries[Array(bytes)] = (
                    try objectID(git_tree_entry_id(entry), "git_tree_entry_id"),
                    git_tree_entry_type(entry) == GIT_OBJECT_TREE,
                    git_tree_entry_filemode(entry).rawValue)
            }
            return entries
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

}
