internal import CLibGit2

/// Objects written in memory and stored as one pack: a tick writes hundreds of small blobs and
/// trees, and one file per object (git's loose objects) costs far more than the writing.
///
/// Owns the in-memory backend (git_mempack) added to the repository's object database; the
/// database frees the backend with the repository, so this holds no pointer of its own to free.
final class WriteBatch {
    let backend: UnsafeMutablePointer<git_odb_backend>

    init(backend: UnsafeMutablePointer<git_odb_backend>) {
        self.backend = backend
    }
}

/// The pack `flushWrites` stored last: what `tip` adds to `parent`. A push to a repository on
/// this machine whose branch is at `parent` stores the same pack there instead of letting
/// libgit2 find the objects again.
final class FlushedPack {
    let tip: ObjectID
    /// The tip's only parent; nil for a root or a merge, whose pack no push reuses.
    let parent: ObjectID?
    let pack: PackBuffer

    init(tip: ObjectID, parent: ObjectID?, pack: PackBuffer) {
        self.tip = tip
        self.parent = parent
        self.pack = pack
    }
}

/// A pack built in memory; owns its buffer.
final class PackBuffer {
    var buffer = git_buf()

    deinit {
        git_buf_dispose(&buffer)
    }
}

extension GitRepository {
    /// From now on, objects this repository writes stay in memory until `flushWrites` stores
    /// them as one pack; reads see them meanwhile (git_mempack_new, git_odb_add_backend).
    package func batchWrites() throws {
        try locked {
            guard writeBatch == nil else { return }
            var backend: UnsafeMutablePointer<git_odb_backend>?
            try check(git_mempack_new(&backend), "git_mempack_new", "batching object writes")
            guard let backend else { return }
            do {
                try withObjectDatabase { odb in
                    // Above the loose and packed backends, so writes land in memory first.
                    try check(git_odb_add_backend(odb, backend, 999), "git_odb_add_backend",
                              "batching object writes")
                }
            } catch {
                backend.pointee.free?(backend)
                throw error
            }
            writeBatch = WriteBatch(backend: backend)
        }
    }

    /// Stores what `tip` adds to its parents as one pack and index in the object database,
    /// then empties the memory store. Objects written but not reachable from `tip` (a redone
    /// plan's leftovers) are dropped.
    ///
    /// libgit2's own git_mempack_dump packs each queued commit with its whole tree, which
    /// stored the entire repository again on every tick. Its git_packbuilder_insert_walk
    /// packs only new objects but first marks every object of the parents' trees as old,
    /// a walk of the whole repository. A commit with one parent is compared with it folder by
    /// folder instead, skipping equal folders, so the cost follows the change.
    package func flushWrites(tip: ObjectID) throws {
        try locked {
            guard let batch = writeBatch else { return }
            let context = "packing the objects of commit '\(tip.short)'"
            let tipCommit = try commit(tip)
            let parents = tipCommit.parents
            let parent = parents.count == 1 ? parents[0] : nil
            let pack = try buildPack(context: context) { builder in
                if let parent {
                    try insert(tip, into: builder, context: context)
                    try insertNewObjects(
                        tipCommit.tree, comparedWith: try commit(parent).tree,
                        into: builder, context: context)
                } else {
                    try insertWalk(tip, hiding: parents, into: builder, context: context)
                }
            }
            try storePack(pack.buffer)
            try check(git_mempack_reset(batch.backend), "git_mempack_reset",
                      "emptying the memory store")
            flushedPack = FlushedPack(tip: tip, parent: parent, pack: pack)
        }
    }

    /// A pack of `commits`, each with at most one parent, and of what each one's tree adds
    /// to its parent's tree (compared as `flushWrites` does). The receiver must hold every
    /// object of a parent that is not itself among `commits`.
    func pack(_ commits: [Commit], context: String) throws -> PackBuffer {
        try locked {
            try buildPack(context: context) { builder in
                for commit in commits {
                    try insert(commit.id, into: builder, context: context)
                    let parentTree = try commit.parents.first.map { try treeOfCommit($0) }
                    try insertNewObjects(
                        commit.tree, comparedWith: parentTree, into: builder, context: context)
                }
            }
        }
    }

    /// Runs `body` with a new pack builder and returns the pack it writes.
    private func buildPack(
        context: String, _ body: (OpaquePointer) throws -> Void
    ) throws -> PackBuffer {
        let pack = PackBuffer()
        try scoped(
            "git_packbuilder_new", context,
            acquire: { git_packbuilder_new($0, handle) },
            release: { git_packbuilder_free($0) }
        ) { builder in
            _ = git_packbuilder_set_threads(builder, 1)
            try body(builder)
            try check(git_packbuilder_write_buf(&pack.buffer, builder),
                      "git_packbuilder_write_buf", context)
        }
        return pack
    }

    /// Adds folder `new` and everything under it that is not at the same path with the same
    /// id in `old` (the same folder in the parent's tree). An object the parent holds at
    /// another path is packed again: that costs bytes, never a missing object.
    private func insertNewObjects(
        _ new: ObjectID, comparedWith old: ObjectID?, into builder: OpaquePointer,
        context: String
    ) throws {
        guard new != old else { return }
        try insert(new, into: builder, context: context)
        // Entries of the old tree are found by name (libgit2 searches its sorted entries), so
        // neither tree is copied into a dictionary: the deploy folder has one per member.
        try withTree(new) { newTree in
            try withOptionalTree(old) { oldTree in
                for index in 0..<git_tree_entrycount(newTree) {
                    guard let entry = git_tree_entry_byindex(newTree, index),
                          let name = git_tree_entry_name(entry) else { continue }
                    let mode = git_tree_entry_filemode(entry)
                    // Submodule entries name commits of other repositories, not ours to pack.
                    guard mode != GIT_FILEMODE_COMMIT else { continue }
                    let was = oldTree.flatMap { git_tree_entry_byname($0, name) }
                    // Equal ids of different types (a submodule link naming what is now a
                    // blob here) do not mean the object is already stored.
                    if let was,
                       git_tree_entry_type(was) == git_tree_entry_type(entry),
                       git_oid_equal(git_tree_entry_id(was), git_tree_entry_id(entry)) == 1 {
                        continue
                    }
                    let id = try objectID(git_tree_entry_id(entry), "git_tree_entry_id")
                    if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                        let wasTree = was.map { git_tree_entry_type($0) == GIT_OBJECT_TREE }
                        let oldID = wasTree == true
                            ? try objectID(git_tree_entry_id(was), "git_tree_entry_id") : nil
                        try insertNewObjects(id, comparedWith: oldID, into: builder,
                                             context: context)
                    } else {
                        try insert(id, into: builder, context: context)
                    }
                }
            }
        }
    }

    /// Adds one object; libgit2 skips one it already holds.
    private func insert(_ id: ObjectID, into builder: OpaquePointer, context: String) throws {
        var oid = id.oid
        try check(git_packbuilder_insert(builder, &oid, nil), "git_packbuilder_insert", context)
    }

    /// Adds what `tip` adds to all of `parents`, with libgit2's walk (a merge).
    private func insertWalk(
        _ tip: ObjectID, hiding parents: [ObjectID], into builder: OpaquePointer, context: String
    ) throws {
        try scoped(
            "git_revwalk_new", context,
            acquire: { git_revwalk_new($0, handle) },
            release: { git_revwalk_free($0) }
        ) { walk in
            var tipOID = tip.oid
            try check(git_revwalk_push(walk, &tipOID), "git_revwalk_push", context)
            for parent in parents {
                var parentOID = parent.oid
                try check(git_revwalk_hide(walk, &parentOID), "git_revwalk_hide", context)
            }
            try check(git_packbuilder_insert_walk(builder, walk),
                      "git_packbuilder_insert_walk", context)
        }
    }

    /// Indexes a pack into this repository's object database.
    func storePack(_ buffer: git_buf) throws {
        // A pack with no objects is a 12-byte header and a 20-byte checksum.
        guard buffer.size > 32, let data = buffer.ptr else { return }
        try withObjectDatabase { odb in
            var writer: UnsafeMutablePointer<git_odb_writepack>?
            try check(git_odb_write_pack(&writer, odb, nil, nil), "git_odb_write_pack",
                      "storing written objects as a pack")
            guard let writer else { return }
            defer { writer.pointee.free?(writer) }
            var stats = git_indexer_progress()
            if let append = writer.pointee.append {
                try check(append(writer, data, buffer.size, &stats),
                          "git_odb_writepack append", "storing written objects as a pack")
            }
            if let commit = writer.pointee.commit {
                try check(commit(writer, &stats), "git_odb_writepack commit",
                          "storing written objects as a pack")
            }
        }
    }

    /// Makes packs this repository builds (the flushed batch, pushes) store whole objects
    /// instead of searching for deltas. The search compares each object with ten others and
    /// cost a fifth of a sync tick's CPU; a server's own repacking finds the deltas later.
    ///
    /// libgit2 1.5 has no setting for this by name: it takes its big-file threshold, above
    /// which objects are never deltified, from `pack.deltaCacheSize`. A libgit2 that reads
    /// the threshold from its proper key again only brings the delta search back.
    package func packWithoutDeltaSearch() throws {
        try locked {
            try scoped(
                "git_repository_config", "opening the configuration",
                acquire: { git_repository_config($0, handle) },
                release: { git_config_free($0) }
            ) { config in
                var current: Int64 = 0
                if git_config_get_int64(&current, config, "pack.deltaCacheSize") == 0,
                   current == 1 { return }
                try check(git_config_set_int64(config, "pack.deltaCacheSize", 1),
                          "git_config_set_int64", "setting pack.deltaCacheSize")
            }
        }
    }

    func withObjectDatabase<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try scoped(
            "git_repository_odb", "opening the object database",
            acquire: { git_repository_odb($0, handle) },
            release: { git_odb_free($0) }, body)
    }
}
