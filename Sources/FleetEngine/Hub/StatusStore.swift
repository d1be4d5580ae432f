import FleetAPI
import FleetGit
import FleetYAML

/// gitfleet's own objects under `status/`: loading them from a tree, and turning a changed
/// `FleetState` into tree edits that touch only the files whose objects changed.
enum StatusStore {
    struct Loaded {
        var state: FleetState
        /// Files that could not be read back; they are rewritten from what gitfleet knows.
        var problems: [Diagnostic]
    }

    static func load(reader: TreeReader, tree: ObjectID, paths: RepositoryPaths) throws -> Loaded {
        var state = FleetState()
        var problems: [Diagnostic] = []
        let repository = reader.repository
        guard try repository.subtree(in: tree, path: paths.config.statusFolder) != nil else {
            return Loaded(state: state, problems: problems)
        }
        for file in try repository.files(in: tree, under: paths.config.statusFolder)
        where file.mode != .symlink && file.path.hasSuffix(".yaml")
            && file.path != paths.syncStatePath {
            let decoded = FleetDecoder.decodeFile(
                path: file.path, bytes: try repository.blob(file.blob), source: .status)
            if let parseError = decoded.parseError {
                problems.append(parseError)
                continue
            }
            for document in decoded.documents {
                problems += document.diagnostics
                guard let object = document.fleetObject else { continue }
                insert(object, into: &state)
            }
        }
        return Loaded(state: state, problems: problems)
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

    /// The status files to write (nil: delete) for every object added, changed or removed.
    static func changedFiles(
        from loaded: Loaded, to new: FleetState, paths: RepositoryPaths
    ) throws -> [String: [UInt8]?] {
        let old = loaded.state
        var files: [String: [UInt8]?] = [:]
        func diff<Key: Hashable, Value>(
            _ old: [Key: Value], _ new: [Key: Value], path: (Key, Value) -> String,
            changed: (Value, Value) -> Bool, object: (Value) -> FleetObject
        ) throws {
            for (key, value) in new {
                if let previous = old[key], !changed(previous, value) { continue }
                let node = FleetEncoder.encode(object(value))
                files[path(key, value)] = Array(try YAMLWriter.write(node).utf8)
            }
            for (key, value) in old where new[key] == nil {
                files[path(key, value)] = .some(nil)
            }
        }
        try diff(old.updateRuns, new.updateRuns,
                 path: { key, run in paths.statusPath(kind: run.kind, key: key) },
                 changed: { $0 != $1 }, object: { .updateRun($0) })
        try diff(old.approvalRequests, new.approvalRequests,
                 path: { key, request in paths.statusPath(kind: request.kind, key: key) },
                 changed: { $0 != $1 }, object: { .approvalRequest($0) })
        try diff(old.resourceSnapshots, new.resourceSnapshots,
                 path: { key, snapshot in paths.statusPath(kind: snapshot.kind, key: key) },
                 changed: { $0 != $1 }, object: { .resourceSnapshot($0) })
        try diff(old.policySnapshots, new.policySnapshots,
                 path: { key, snapshot in paths.statusPath(kind: snapshot.kind, key: key) },
                 changed: { $0 != $1 }, object: { .policySnapshot($0) })
        try diff(old.placementStatuses, new.placementStatuses,
                 path: { key, value in paths.statusPath(kind: .placement(value.scope), key: key) },
                 changed: { $0 != $1 }, object: { .placementStatus($0) })
        return files
    }
}
