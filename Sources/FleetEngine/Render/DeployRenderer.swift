import FleetAPI
import FleetGit

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
    /// Members left unrendered because a binding names a missing snapshot, with its names.
    private(set) var missing: [String: [String]] = [:]

    init(repository: GitRepository, paths: RepositoryPaths) {
        self.repository = repository
        self.paths = paths
    }

    /// The snapshots each member should run, from the bindings in `state`. A binding that is
    /// Unscheduled keeps its resources on the member until a run deletes it, as in KubeFleet.
    static func boundSnapshots(in state: FleetState) -> [String: Set<ObjectKey>] {
        var result: [String: Set<ObjectKey>] = [:]
        for placementStatus in state.placementStatuses.values {
            for binding in placementStatus.bindings where binding.state != .scheduled {
                guard let name = binding.resourceSnapshotName else { continue }
                result[binding.targetCluster, default: []].insert(
                    ObjectKey(namespace: binding.meta.namespace, name: name))
            }
        }
        return result
    }

    /// Tree edits for the member folders whose bound snapshots changed.
    mutating func edits(
        old: FleetState, new: FleetState
    ) throws -> [String: TreeEdit] {
        let before = Self.boundSnapshots(in: old)
        let after = Self.boundSnapshots(in: new)
        var edits: [String: TreeEdit] = [:]
        for member in Set(before.keys).union(after.keys).sorted() {
            let wanted = after[member] ?? []
            guard wanted != before[member] ?? [] else { continue }
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

    private mutating func tree(for key: ObjectKey, in state: FleetState) throws -> ObjectID {
        if let cached = snapshotTrees[key] { return cached }
        var files: [String: TreeEdit] = [:]
        for (path, bytes) in try snapshotFiles(key, in: state) {
            files[path] = .blob(try repository.writeBlob(bytes), .blob)
        }
        let tree = try repository.writeTree(files: files)
        snapshotTrees[key] = tree
        return tree
    }

    /// Several placements on one member: their files side by side. Two placements selecting
    /// the same object would collide; the first placement by name keeps the file.
    private mutating func mergedTree(_ keys: [ObjectKey], in state: FleetState) throws -> ObjectID {
        var files: [String: TreeEdit] = [:]
        for key in keys {
            for (path, bytes) in try snapshotFiles(key, in: state) where files[path] == nil {
                files[path] = .blob(try repository.writeBlob(bytes), .blob)
            }
        }
        return try repository.writeTree(files: files)
    }

    private func snapshotFiles(_ key: ObjectKey, in state: FleetState) throws -> [String: [UInt8]] {
        guard let snapshot = state.resourceSnapshots[key] else { return [:] }
        return try DeployLayout.files(of: snapshot)
    }
}
