import FleetYAML

/// Everything one commit's files say: the fleet state, the workload resources placements can
/// select, and what is wrong with them.
///
/// Callers pass manifest files only: `*.yaml`/`*.yml` files outside `deploy/`, `reports/` and
/// paths ignored by `gitfleet.yaml` (the root `gitfleet.yaml` itself is skipped here too).
/// Files under `statusRoot` are read as gitfleet's own status files, all others as user input.
package struct ManifestSet: Sendable {
    /// Fleet objects, people's and gitfleet's, valid ones only.
    package var state = FleetState()
    /// In file order (files sorted by path, documents in file order).
    package var workloads: [WorkloadResource] = []
    /// Objects that parse but are invalid, duplicated or misplaced; sorted.
    package var diagnostics: [Diagnostic] = []
    /// Files that do not parse, one diagnostic each; sorted. While there is one, nobody can
    /// tell what the commit's placements would select.
    package var parseErrors: [Diagnostic] = []
    /// Objects whose kind and name could be read but which are invalid and left out of
    /// `state`/`workloads`; the engine may keep their previous version.
    package var invalidObjects: Set<ObjectRef> = []
    /// Status of runs that people committed (origin `file:`) and that no user file defines any
    /// more: the run was deleted.
    package var orphanedRuns: [ObjectKey: UpdateRun] = [:]
    /// The scope table used, with the kinds the repository's CRDs declare.
    package var scopes = KindScopes()

    /// An empty set.
    package init() {}

    /// The config file at the root, never a manifest.
    package static let configFile = "gitfleet.yaml"

    /// Parses and decodes `files`; `statusRoot` nil reads every file as user input.
    package static func load(
        files: [(path: String, bytes: [UInt8])], statusRoot: String? = StatusPath.defaultRoot
    ) -> ManifestSet {
        var parseErrors: [Diagnostic] = []
        var parsed: [(path: String, documents: [YAMLNode])] = []
        for file in files.sorted(by: { $0.path < $1.path }) where file.path != configFile {
            do {
                parsed.append((file.path, try YAMLParser.parse(file.bytes, file: file.path)))
            } catch {
                parseErrors.append(Diagnostic(error.message, at: error.location))
            }
        }
        var set = load(parsed: parsed, statusRoot: statusRoot)
        set.parseErrors = ManifestValidator.ordered(parseErrors)
        return set
    }

    /// Decodes already parsed files (for callers that cache parsing by blob).
    package static func load(
        parsed: [(path: String, documents: [YAMLNode])],
        statusRoot: String? = StatusPath.defaultRoot
    ) -> ManifestSet {
        let files = parsed.sorted { $0.path < $1.path }
        let isStatus: (String) -> Bool = { path in
            statusRoot.map { path.hasPrefix($0 + "/") } ?? false
        }
        var set = ManifestSet()
        var diagnostics: [Diagnostic] = []
        let crds = files.filter { !isStatus($0.path) }.flatMap { file in
            file.documents.filter(KindScopes.isCustomResourceDefinition).map { ($0, file.path) }
        }
        (set.scopes, diagnostics) = KindScopes.declaring(crds)
        var assembler = Assembler()
        // Status files first, so gitfleet's record is in place when user files are merged in.
        for status in [true, false] {
            for file in files where isStatus(file.path) == status {
                for document in file.documents {
                    let decoded = FleetDecoder.decode(
                        document, file: file.path, source: status ? .status : .repository,
                        scopes: set.scopes)
                    diagnostics += decoded.diagnostics
                    if decoded.content == nil, let ref = decoded.ref {
                        set.invalidObjects.insert(ref)
                    }
                    assembler.add(decoded, file: file.path, fromStatus: status)
                }
            }
        }
        diagnostics += assembler.diagnostics
        set.state = assembler.state
        set.workloads = assembler.workloads
        set.orphanedRuns = assembler.orphanedRuns()
        set.state.updateRuns = assembler.mergedRuns()
        set.diagnostics = ManifestValidator.ordered(diagnostics)
        return set
    }
}

/// Puts decoded documents into a `FleetState`, reporting duplicates and misplaced objects.
private struct Assembler {
    var state = FleetState()
    var workloads: [WorkloadResource] = []
    var diagnostics: [Diagnostic] = []
    /// Where each object was first seen, separately for status and user files (a person's
    /// run legitimately appears in both).
    private var seenInStatus: [ObjectRef: String] = [:]
    private var seenInRepository: [ObjectRef: String] = [:]
    private var statusRuns: [ObjectKey: UpdateRun] = [:]
    private var userRuns: [ObjectKey: UpdateRun] = [:]

    mutating func add(_ decoded: DecodedDocument, file: String, fromStatus: Bool) {
        guard let content = decoded.content, let ref = decoded.ref else { return }
        let here = decoded.location.map(String.init(describing:)) ?? file
        if let earlier = fromStatus ? seenInStatus[ref] : seenInRepository[ref] {
            report("'\(ref)' is also defined at \(earlier)", decoded, ref)
            return
        }
        if fromStatus { seenInStatus[ref] = here } else { seenInRepository[ref] = here }
        switch content {
        case let .workload(workload):
            if fromStatus { return misplaced(ref.groupKind.kind, decoded, ref) }
            workloads.append(workload)
        case let .fleet(object):
            fromStatus ? addStatus(object, decoded, ref) : addUser(object, decoded, ref)
        }
    }

    private mutating func addUser(_ object: FleetObject, _ decoded: DecodedDocument, _ ref: ObjectRef) {
        switch object {
        case let .memberCluster(member): state.members[member.name] = member
        case let .placement(placement): state.placements[placement.key] = placement
        case let .strategy(strategy): state.strategies[strategy.key] = strategy
        case let .updateRun(run):
            if let recorded = statusRuns[run.key], case let .perCommit(commit) = recorded.origin {
                report("'\(ref)' is also the name of the run gitfleet created for commit "
                    + "'\(commit)', choose another name", decoded, ref)
                return
            }
            // A person's run: its status lives under status/, never in their file.
            var run = run
            run.status = statusRuns[run.key]?.status ?? UpdateRunStatus()
            userRuns[run.key] = run
        case let .approvalRequest(request):
            if state.approvalRequests[request.key] != nil {
                report("'\(ref)' is also kept by gitfleet under status/", decoded, ref)
                return
            }
            state.approvalRequests[request.key] = request
        case .override:
            // Overrides are validated only: gitfleet does not apply them.
            break
        case .resourceSnapshot, .policySnapshot, .placementStatus:
            // The decoder reads these only from status files.
            break
        }
    }

    private mutating func addStatus(_ object: FleetObject, _ decoded: DecodedDocument, _ ref: ObjectRef) {
        switch object {
        case let .updateRun(run): statusRuns[run.key] = run
        case let .approvalRequest(request): state.approvalRequests[request.key] = request
        case let .resourceSnapshot(snapshot): state.resourceSnapshots[snapshot.meta.key] = snapshot
        case let .policySnapshot(snapshot): state.policySnapshots[snapshot.meta.key] = snapshot
        case let .placementStatus(status): state.placementStatuses[status.placementKey] = status
        case .memberCluster, .placement, .strategy, .override:
            misplaced(ref.groupKind.kind, decoded, ref)
        }
    }

    private mutating func misplaced(_ kind: String, _ decoded: DecodedDocument, _ ref: ObjectRef) {
        report("gitfleet does not keep '\(kind)' objects under status/", decoded, ref)
    }

    private mutating func report(_ message: String, _ decoded: DecodedDocument, _ ref: ObjectRef) {
        diagnostics.append(Diagnostic(message, at: decoded.location, object: ref.description))
    }

    /// People's runs with their recorded status, plus the runs gitfleet created per commit.
    func mergedRuns() -> [ObjectKey: UpdateRun] {
        var runs = userRuns
        for (key, run) in statusRuns where runs[key] == nil {
            if case .perCommit = run.origin { runs[key] = run }
        }
        return runs
    }

    func orphanedRuns() -> [ObjectKey: UpdateRun] {
        statusRuns.filter { key, run in
            if case .committed = run.origin { return userRuns[key] == nil }
            return false
        }
    }
}
