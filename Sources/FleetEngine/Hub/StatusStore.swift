import FleetAPI
import FleetGit
import FleetYAML

/// gitfleet's own objects under `status/`: loading them from a tree, and turning a changed
/// `FleetState` into tree edits that touch only the files whose objects changed.
enum StatusStore {
    struct Loaded {
        var state: FleetState
        /// Files that could not be read back, by path; they are rewritten from what gitfleet
        /// knows.
        var problemsByPath: [String: [Diagnostic]]
        /// The `status/` subtree this was read from.
        var tree: ObjectID?
        /// Runs with a status file that a scoped load left unread (nil: nothing was left).
        var unreadRuns: Set<ObjectKey>?

        var problems: [Diagnostic] {
            problemsByPath.keys.sorted().flatMap { problemsByPath[$0] ?? [] }
        }
    }

    /// Reads the status objects of `tree`. With `cached` status of an earlier tree, only the
    /// files that differ between the two are decoded.
    ///
    /// With `only`, the files of the placements in its scope are read and no others; the
    /// result holds every object of those placements and nothing of the rest.
    static func load(
        reader: TreeReader, tree: ObjectID, paths: RepositoryPaths, cached: Loaded? = nil,
        only attribution: StatusAttribution? = nil
    ) throws -> Loaded {
        let repository = reader.repository
        let folder = paths.config.statusFolder
        let statusTree = try repository.subtree(in: tree, path: folder)
        if attribution == nil, let cached, cached.tree == statusTree { return cached }
        guard let statusTree else {
            return Loaded(state: FleetState(), problemsByPath: [:], tree: nil,
                          unreadRuns: attribution.map { _ in [] })
        }
        var loaded = Loaded(state: FleetState(), problemsByPath: [:], tree: statusTree)
        var changed: [(path: String, blob: ObjectID?)] = []
        if let attribution {
            let files = try repository.files(in: statusTree)
            let selection = select(files, folder: folder, attribution: attribution)
            changed = selection.files
            loaded.unreadRuns = selection.unreadRuns
        } else if let cached {
            loaded.state = cached.state
            loaded.problemsByPath = cached.problemsByPath
            for change in try repository.diff(from: cached.tree, to: statusTree) {
                let path = folder + "/" + change.path
                if let old = change.oldBlob.map({ _ in path }) { remove(path: old, from: &loaded) }
                changed.append((path, change.mode == .symlink ? nil : change.newBlob))
            }
        } else {
            for file in try repository.files(in: statusTree) {
                changed.append((folder + "/" + file.path, file.mode == .symlink ? nil : file.blob))
            }
        }
        let wanted = changed.compactMap { path, blob -> (path: String, blob: ObjectID)? in
            guard let blob, path.hasSuffix(".yaml"), path != paths.syncStatePath else {
                return nil
            }
            return (path, blob)
        }
        // Decoded on every core a batch at a time, then inserted in order; the batches bound
        // how many files' bytes and parsed documents are held at once (a policy snapshot of
        // the large fleet is 400 KB of YAML).
        let batchSize = 128
        for start in stride(from: 0, to: wanted.count, by: batchSize) {
            let batch = try wanted[start..<min(start + batchSize, wanted.count)].map {
                (path: $0.path, bytes: try repository.blob($0.blob))
            }
            let decodedFiles = concurrentMap(batch) {
                (path: $0.path,
                 decoded: FleetDecoder.decodeFile(path: $0.path, bytes: $0.bytes, source: .status))
            }
            for (path, decoded) in decodedFiles {
                var problems: [Diagnostic] = decoded.parseError.map { [$0] } ?? []
                for document in decoded.documents {
                    problems += document.diagnostics
                    guard let object = document.fleetObject else { continue }
                    insert(object, into: &loaded.state)
                }
                loaded.problemsByPath[path] = problems.isEmpty ? nil : problems
            }
        }
        return loaded
    }

    /// The files of the placements in scope, and the runs left out.
    private static func select(
        _ files: [TreeFile], folder: String, attribution: StatusAttribution
    ) -> (files: [(path: String, blob: ObjectID?)], unreadRuns: Set<ObjectKey>) {
        var selected: [(path: String, blob: ObjectID?)] = []
        var requests: [(path: String, blob: ObjectID?, key: ObjectKey)] = []
        var runs: Set<ObjectKey> = []
        var unreadRuns: Set<ObjectKey> = []
        for file in files {
            let path = folder + "/" + file.path
            let blob = file.mode == .symlink ? nil : file.blob
            guard let (kind, key) = StatusPath.parse(path, root: folder) else { continue }
            let wanted: Bool
            switch kind {
            case .clusterResourcePlacement, .resourcePlacement:
                wanted = attribution.placementStatus(key)
            case .clusterResourceSnapshot, .resourceSnapshot:
                wanted = attribution.resourceSnapshot(key)
            case .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
                wanted = attribution.policySnapshot(key)
            case .clusterStagedUpdateRun, .stagedUpdateRun:
                wanted = attribution.run(key)
                if wanted { runs.insert(key) } else { unreadRuns.insert(key) }
            case .clusterApprovalRequest, .approvalRequest:
                requests.append((path, blob, key))
                continue
            case .memberCluster, .clusterStagedUpdateStrategy, .stagedUpdateStrategy,
                 .clusterResourceBinding, .resourceBinding, .clusterResourceOverride,
                 .resourceOverride, .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot:
                wanted = false
            }
            if wanted { selected.append((path, blob)) }
        }
        for request in requests
        where StatusAttribution.approvalRequest(request.key, runs: runs) {
            selected.append((request.path, request.blob))
        }
        return (selected, unreadRuns)
    }

    /// Forgets the object a status file held, before its new content (if any) is read.
    private static func remove(path: String, from loaded: inout Loaded) {
        loaded.problemsByPath[path] = nil
        let folder = String(path.prefix { $0 != "/" })
        guard let (kind, key) = StatusPath.parse(path, root: folder) else { return }
        switch kind {
        case .clusterStagedUpdateRun, .stagedUpdateRun: loaded.state.updateRuns[key] = nil
        case .clusterApprovalRequest, .approvalRequest: loaded.state.approvalRequests[key] = nil
        case .clusterResourceSnapshot, .resourceSnapshot: loaded.state.resourceSnapshots[key] = nil
        case .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
            loaded.state.policySnapshots[key] = nil
        case .clusterResourcePlacement, .resourcePlacement:
            loaded.state.placementStatuses[key] = nil
        case .memberCluster, .clusterStagedUpdateStrategy, .stagedUpdateStrategy,
             .clusterResourceBinding, .resourceBinding, .clusterResourceOverride,
             .resourceOverride, .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot:
            break
        }
    }

    static func insert(_ object: FleetObject, into state: inout FleetState) {
        switch object {
        case let .updateRun(run): state.updateRuns[run.key] = run
        case let .approvalRequest(request): state.approvalRequests[request.key] = request
        case let .resourceSnapshot(snapshot): state.resourceSnapshots[snapshot.meta.key] = snapshot
        case let .policySnapshot(snapshot): state.policySnapshots[snapshot.meta.key] = snapshot
        case let .placementStatus(placementStatus):
            state.placementStatuses[placementStatus.placementKey] = placementStatus
        case .memberCluster, .placement, .strategy, .override:
            break
        }
    }

    /// Hands `write` each status file to write (nil: delete) for every object added, changed
    /// or removed, one at a time: a tick that moves every placement rewrites hundreds of
    /// megabytes of bindings, and holding them all at once would double its peak memory.
    static func writeChangedFiles(
        from loaded: Loaded, to new: FleetState, paths: RepositoryPaths,
        write: (String, [UInt8]?) throws -> Void
    ) throws {
        let old = loaded.state
        func diff<Key: Hashable, Value>(
            _ old: [Key: Value], _ new: [Key: Value], path: (Key, Value) throws -> String,
            changed: (Value, Value) -> Bool, object: (Value) -> FleetObject
        ) throws {
            for (key, value) in new {
                if let previous = old[key], !changed(previous, value) { continue }
                let node = FleetEncoder.encode(object(value), layout: .statusFile)
                try write(try path(key, value), try YAMLWriter.bytes(node))
            }
            for (key, value) in old where new[key] == nil {
                try write(try path(key, value), nil)
            }
        }
        try diff(old.updateRuns, new.updateRuns,
                 path: { key, run in try paths.statusPath(kind: run.kind, key: key) },
                 changed: { $0 != $1 }, object: { .updateRun($0) })
        try diff(old.approvalRequests, new.approvalRequests,
                 path: { key, request in try paths.statusPath(kind: request.kind, key: key) },
                 changed: { $0 != $1 }, object: { .approvalRequest($0) })
        try diff(old.resourceSnapshots, new.resourceSnapshots,
                 path: { key, snapshot in try paths.statusPath(kind: snapshot.kind, key: key) },
                 changed: { $0 != $1 }, object: { .resourceSnapshot($0) })
        try diff(old.policySnapshots, new.policySnapshots,
                 path: { key, snapshot in try paths.statusPath(kind: snapshot.kind, key: key) },
                 changed: { $0 != $1 }, object: { .policySnapshot($0) })
        try diff(old.placementStatuses, new.placementStatuses,
                 path: { key, value in try paths.statusPath(kind: .placement(value.scope), key: key) },
                 changed: { $0 != $1 }, object: { .placementStatus($0) })
    }
}
