internal import CLibGit2

/// What to put at one path of a tree.
package enum TreeEdit: Sendable, Hashable {
    /// A file with this blob id and mode (replacing whatever was at the path).
    case blob(ObjectID, FileMode = .blob)
    /// An existing tree as the folder at the path (replacing whatever was there). Edits at
    /// deeper paths in the same call apply on top of it.
    case tree(ObjectID)
    /// Nothing: removes the file or the whole folder; deleting a missing path is not an error.
    /// Edits at deeper paths in the same call apply to a fresh, empty folder.
    case delete
}

extension GitRepository {
    /// Applies `edits`, keyed by slash-separated path, to tree `base` (nil: the empty tree)
    /// and returns the new root tree id.
    ///
    /// Only folders on an edited path are rewritten (one git_treebuilder each, bottom up);
    /// every other subtree keeps its id. Folders left empty disappear. A path may not run
    /// through a file of the base tree: delete that file in the same call first. Bad paths
    /// (empty, leading or trailing slash, empty, `.`, `..` or `.git` components) throw
    /// `.invalid` before anything is written.
    package func editTree(base: ObjectID?, edits: [String: TreeEdit]) throws -> ObjectID {
        let root = try EditNode(edits)
        return try locked {
            if root.children.isEmpty, let base { return base }
            return try build(root, base: base, path: "").id
        }
    }

    /// Writes a tree holding exactly `files` (editTree on the empty tree).
    package func writeTree(files: [String: TreeEdit]) throws -> ObjectID {
        try editTree(base: nil, edits: files)
    }

    /// Builds one folder: starts from `base`'s entries, applies the edits of `node`'s children
    /// (recursing into edited subfolders first) and writes it; an empty result is reported so
    /// the parent drops the entry.
    private func build(
        _ node: EditNode, base: ObjectID?, path: String
    ) throws -> (id: ObjectID, isEmpty: Bool) {
        let context = "writing folder '\(path.isEmpty ? "/" : path)'"
        return try withOptionalTree(base) { baseTree in
            try scoped(
                "git_treebuilder_new", context,
                acquire: { git_treebuilder_new($0, handle, baseTree) },
                release: { git_treebuilder_free($0) }
            ) { builder in
                for name in node.children.keys.sorted() {
                    guard let child = node.children[name] else { continue }
                    let childPath = path.isEmpty ? name : path + "/" + name
                    let result = try childResult(child, name: name, path: childPath, in: builder)
                    switch result {
                    case .set(let id, let mode):
                        var oid = id.oid
                        try check(
                            git_treebuilder_insert(nil, builder, name, &oid, git_filemode_t(mode)),
                            "git_treebuilder_insert", "setting '\(childPath)' to '\(id.short)'")
                    case .remove:
                        if git_treebuilder_get(builder, name) != nil {
                            try check(
                                git_treebuilder_remove(builder, name), "git_treebuilder_remove",
                                "removing '\(childPath)'")
                        }
                    }
                }
                var written = git_oid()
                try check(
                    git_treebuilder_write(&written, builder), "git_treebuilder_write", context)
                return (ObjectID(written), git_treebuilder_entrycount(builder) == 0)
            }
        }
    }

    private enum EntryResult {
        case set(ObjectID, mode: UInt32)
        case remove
    }

    private func childResult(
        _ child: EditNode, name: String, path: String, in builder: OpaquePointer
    ) throws -> EntryResult {
        let treeMode = UInt32(GIT_FILEMODE_TREE.rawValue)
        if child.children.isEmpty {
            switch child.edit {
            case .blob(let id, let mode)?:
                return .set(id, mode: mode.rawMode)
            case .tree(let id)?:
                let isEmpty = try withTree(id) { git_tree_entrycount($0) == 0 }
                return isEmpty ? .remove : .set(id, mode: treeMode)
            case .delete?, nil:
                return .remove
            }
        }
        let childBase: ObjectID?
        switch child.edit {
        case .tree(let id)?:
            childBase = id
        case .delete?:
            childBase = nil
        case .blob?:
            // EditNode refuses this shape; kept as an error rather than a trap.
            throw TreeEditPathError.fileWithChildren(path).gitError
        case nil:
            childBase = try existingFolder(named: name, path: path, in: builder)
        }
        let built = try build(child, base: childBase, path: path)
        return built.isEmpty ? .remove : .set(built.id, mode: treeMode)
    }

    private func existingFolder(
        named name: String, path: String, in builder: OpaquePointer
    ) throws -> ObjectID? {
        guard let entry = git_treebuilder_get(builder, name) else { return nil }
        guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
            throw TreeEditPathError.throughFile(path).gitError
        }
        return try objectID(git_tree_entry_id(entry), "git_tree_entry_id")
    }
}

/// The edits of one folder, as a tree of path components.
private final class EditNode {
    var edit: TreeEdit?
    var children: [String: EditNode] = [:]

    init() {}

    /// Parses and validates every path, refusing a file that also has edits inside it.
    convenience init(_ edits: [String: TreeEdit]) throws {
        self.init()
        for (path, edit) in edits {
            var node = self
            for component in try Self.components(of: path) {
                if let next = node.children[component] {
                    node = next
                } else {
                    let next = EditNode()
                    node.children[component] = next
                    node = next
                }
            }
            node.edit = edit
        }
        try checkNoFileHasChildren(path: "")
    }

    private func checkNoFileHasChildren(path: String) throws {
        for (name, child) in children {
            let childPath = path.isEmpty ? name : path + "/" + name
            if case .blob? = child.edit, !child.children.isEmpty {
                throw TreeEditPathError.fileWithChildren(childPath).gitError
            }
            try child.checkNoFileHasChildren(path: childPath)
        }
    }

    static func components(of path: String) throws -> [String] {
        guard !path.isEmpty else { throw TreeEditPathError.badPath(path, "it is empty").gitError }
        guard !path.hasPrefix("/") else {
            throw TreeEditPathError.badPath(path, "it starts with '/'").gitError
        }
        guard !path.hasSuffix("/") else {
            throw TreeEditPathError.badPath(path, "it ends with '/'").gitError
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
            .map(String.init)
        for component in components {
            if component.isEmpty {
                throw TreeEditPathError.badPath(path, "it has an empty component").gitError
            }
            if component == "." || component == ".." {
                throw TreeEditPathError.badPath(path, "it has a '\(component)' component").gitError
            }
            if component.lowercased() == ".git" {
                throw TreeEditPathError.badPath(path, "git does not allow a '.git' entry").gitError
            }
            if component.utf8.contains(0) {
                throw TreeEditPathError.badPath(path, "it contains a NUL byte").gitError
            }
        }
        return components
    }
}

/// The ways a tree edit's paths can be wrong, worded in one place.
private enum TreeEditPathError {
    case badPath(String, String)
    case fileWithChildren(String)
    case throughFile(String)

    var gitError: GitError {
        let message: String
        switch self {
        case .badPath(let path, let reason):
            message = "'\(path)' is not a valid tree path: \(reason)"
        case .fileWithChildren(let path):
            message = "'\(path)' is set to a file while other edits put entries inside it"
        case .throughFile(let path):
            message = "'\(path)' is a file in the base tree, so nothing can be put inside it; "
                + "delete it in the same edit first"
        }
        return GitError(
            code: .invalid, message: message, function: "editTree", context: "editing a tree")
    }
}
