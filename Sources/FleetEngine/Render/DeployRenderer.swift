import FleetAPI
import FleetGit
import FleetYAML

/// Renders `deploy/<member>/`: exactly the union of the resources of the snapshots bound to
/// that member, one file per resource.
///
/// Members bound to the same snapshot share one git tree for it, so updating K members writes
/// K tree entries and the `deploy/` tree, never the resources again. Members whose bindings did
/// not change are not touched at all.
struct DeployRenderer {
    let repository: GitRepository
    let paths: RepositoryPaths
    private var snapshotTrees: [ObjectKey: ObjectID] = [:]
    private var renderedSnapshots: [ObjectKey: [String: RenderedFile]] = [:]
    private var writtenSnapshots: [ObjectKey: [String: ObjectID]] = [:]
    private var mergedTrees: [[ObjectKey]: ObjectID] = [:]
    /// Members left unrendered because a binding names a missing snapshot, with its names.
    private(set) var missing: [String: [String]] = [:]

    init(repository: GitRepository, paths: RepositoryPaths) {
        self.repository = repository
        self.paths = paths
    }

    /// Tree edits for the member folders whose bound snapshots changed.
    mutating func edits(
        old: FleetState, new: FleetState
    ) throws -> [String: TreeEdit] {
        var bound = BoundSnapshots()
        let before = bound.members(in: old)
        let after = bound.members(in: new)
        var edits: [String: TreeEdit] = [:]
        for member in Set(before.keys).union(after.keys).sorted() {
            guard after[member] != before[member] else { continue }
            let wanted = bound.keys(after[member])
            let folder = paths.deployFolder(member: member)
            let available = wanted.filter { new.resourceSnapshots[$0] != nil }.sorted()
            // A binding that names a snapshot gitfleet does not have must never empty the
            // member's folder: leave it as it is until the binding is right again.
            guard available.count == wanted.count else {
                missing[member] = wanted.subtracting(available).map(\.description).sorted()
                continue
            }
            if available.isEmpty {
                edits[folder] = .delete
            } else if available.count == 1 {
                edits[folder] = .tree(try tree(for: available[0], in: new))
            } else {
                edits[folder] = .tree(try mergedTree(available, in: new))
            }
        }
        return edits
    }

    /// Members whose folders only a render from every binding may edit: two of their
    /// snapshots render the same file (the first placement by name keeps it), or a binding
    /// names a snapshot gitfleet does not have (the folder is left as it is).
    func membersNeedingFullRender(in state: FleetState) -> Set<String> {
        var bound = BoundSnapshots()
        var verdicts: [Int: Bool] = [:]
        var result: Set<String> = []
        for (member, snapshots) in bound.members(in: state) {
            if verdicts[snapshots] == nil {
                let sorted = bound.keys(snapshots).sorted()
                var paths: Set<String> = []
                var count = 0
                var missing = false
                for key in sorted {
                    guard let snapshot = state.resourceSnapshots[key] else {
                        missing = true
                        break
                    }
                    let files = Set(snapshot.selectedResources.compactMap(
                        DeployLayout.relativePath(of:)))
                    count += files.count
                    paths.formUnion(files)
                }
                verdicts[snapshots] = missing || paths.count != count
            }
            if verdicts[snapshots] == true { result.insert(member) }
        }
        return result
    }

    /// Tree edits, file by file, for a tick that read only some placements: each member
    /// folder changes by what those placements' bindings changed, and keeps every other
    /// placement's files.
    ///
    /// Full rendering settles two placements selecting one object by placement name; file by
    /// file cannot. So a member in `fullRenderOnly` (see `membersNeedingFullRender`), a file
    /// this tick would add where one exists, or one that is not what the old bindings
    /// rendered, throws `RenderScopeError`, and the tick reads everything instead.
    mutating func editsWithin(
        old: FleetState, new: FleetState, headTree: ObjectID, fullRenderOnly: Set<String>
    ) throws -> [String: TreeEdit] {
        var bound = BoundSnapshots()
        let before = bound.members(in: old)
        let after = bound.members(in: new)
        var edits: [String: TreeEdit] = [:]
        for member in Set(before.keys).union(after.keys).sorted() {
            guard after[member] != before[member] else { continue }
            let wanted = bound.keys(after[member])
            let had = bound.keys(before[member])
            guard !fullRenderOnly.contains(member) else { throw RenderScopeError() }
            let folder = paths.deployFolder(member: member)
            let available = wanted.filter { new.resourceSnapshots[$0] != nil }.sorted()
            guard available.count == wanted.count else {
                missing[member] = wanted.subtracting(available).map(\.description).sorted()
                continue
            }
            var rendered: [String: RenderedFile] = [:]
            for key in had.sorted() {
                guard old.resourceSnapshots[key] != nil else { throw RenderScopeError() }
                for (path, file) in try renderedFiles(key, in: old) where rendered[path] == nil {
                    rendered[path] = file
                }
            }
            var files: [String: RenderedFile] = [:]
            for key in available {
                for (path, file) in try renderedFiles(key, in: new) where files[path] == nil {
                    files[path] = file
                }
            }
            for path in Set(rendered.keys).union(files.keys).sorted() {
                let blob = files[path].map(\.blob)
                guard blob != rendered[path]?.blob else { continue }
                let current = try repository.entry(in: headTree, path: folder + "/" + path)
                guard current?.mode != .symlink, current?.blob == rendered[path]?.blob else {
                    throw RenderScopeError()
                }
                if let file = files[path] {
                    edits[folder + "/" + path] = .blob(try repository.writeBlob(file.bytes), .blob)
                } else {
                    edits[folder + "/" + path] = .delete
                }
            }
        }
        return edits
    }

    /// One rendered resource: its bytes and their blob id.
    private struct RenderedFile {
        var bytes: [UInt8]
        var blob: ObjectID
    }

    /// A snapshot's resources never change once it is taken, so each is rendered once however
    /// many members it reaches.
    private mutating func renderedFiles(
        _ key: ObjectKey, in state: FleetState
    ) throws -> [String: RenderedFile] {
        if let cached = renderedSnapshots[key] { return cached }
        guard let snapshot = state.resourceSnapshots[key] else { return [:] }
        var files: [String: RenderedFile] = [:]
        for resource in snapshot.selectedResources {
            guard let path = DeployLayout.relativePath(of: resource) else { continue }
            let bytes = Array(try YAMLWriter.write(resource).utf8)
            files[path] = RenderedFile(bytes: bytes, blob: try repository.blobID(of: bytes))
        }
        renderedSnapshots[key] = files
        return files
    }

    private mutating func tree(for key: ObjectKey, in state: FleetState) throws -> ObjectID {
        if let cached = snapshotTrees[key] { return cached }
        var files: [String: TreeEdit] = [:]
        for (path, blob) in try snapshotBlobs(key, in: state) {
            files[path] = .blob(blob, .blob)
        }
        let tree = try repository.writeTree(files: files)
        snapshotTrees[key] = tree
        return tree
    }

    /// Several placements on one member: their files side by side. Two placements selecting
    /// the same object would collide; the first placement by name keeps the file. Members
    /// bound to the same snapshots share the tree, and each snapshot is written once.
    private mutating func mergedTree(_ keys: [ObjectKey], in state: FleetState) throws -> ObjectID {
        if let cached = mergedTrees[keys] { return cached }
        var files: [String: TreeEdit] = [:]
        for key in keys {
            for (path, blob) in try snapshotBlobs(key, in: state) where files[path] == nil {
                files[path] = .blob(blob, .blob)
            }
        }
        let tree = try repository.writeTree(files: files)
        mergedTrees[keys] = tree
        return tree
    }

    private mutating func snapshotBlobs(
        _ key: ObjectKey, in state: FleetState
    ) throws -> [String: ObjectID] {
        if let cached = writtenSnapshots[key] { return cached }
        var blobs: [String: ObjectID] = [:]
        for (path, bytes) in try snapshotFiles(key, in: state) {
            blobs[path] = try repository.writeBlob(bytes)
        }
        writtenSnapshots[key] = blobs
        return blobs
    }

    private func snapshotFiles(_ key: ObjectKey, in state: FleetState) throws -> [String: [UInt8]] {
        guard let snapshot = state.resourceSnapshots[key] else { return [:] }
        return try DeployLayout.files(of: snapshot)
    }
}

/// A member folder holds files the placements a tick read cannot account for.
struct RenderScopeError: Error {}
