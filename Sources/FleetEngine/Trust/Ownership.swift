import FleetAPI
import FleetGit
import FleetYAML
import Foundation

/// The trust model of one tick (docs/trust.md): what people changed in gitfleet's output
/// folders since gitfleet's newest own commit (the baseline), what of it stands, and whether
/// new approvals come from allowed approvers.
///
/// Inside `status/` people may change two things only: an `Approved` condition of an approval
/// request gitfleet created, and `spec.state` of a run gitfleet created per commit. Anything
/// else under `status/` or `deploy/` is refused: the tick plans from gitfleet's version, writes
/// it back, keeps the allowed part of the file, and reports the edit. The check compares the
/// baseline's tree with head's, so an edit that a later commit undid leaves nothing to refuse.
struct TrustCheck {
    let repository: GitRepository
    let paths: RepositoryPaths
    let head: ObjectID
    let headTree: ObjectID
    let now: Date
    /// gitfleet's newest own commit that head contains; nil before gitfleet's first commit.
    let baseline: ObjectID?
    let baselineTree: ObjectID?
    /// Commits head has and the baseline does not: what people pushed since.
    let range: Set<ObjectID>
    /// Files under `status/` and `deploy/` that differ from the baseline to head.
    let outputChanges: [TreeChange]
    let verifier: SignatureVerifier

    /// The approval rules in force once this tick's commits are judged.
    var policy: ApproverPolicy = .open
    /// Lines for the commit message: refusals, and changes of the rules.
    private(set) var events: [String] = []
    /// What was refused, for `status/sync.yaml`.
    private(set) var refusedLines: [String] = []
    /// Status files to write back from the final state, whatever the planner did to them.
    var rewrite: Set<String> = []
    /// Approval requests whose spec was forged, with gitfleet's version (nil: gitfleet has
    /// none). The runs see the forged spec, so a run that expects another fails as in KubeFleet;
    /// the files get gitfleet's spec back once the runs advanced.
    var forged: [ObjectKey: ApprovalRequest?] = [:]
    /// Refused edits, by the object whose status reports them.
    var reports: [ReportSubject: [String]] = [:]
    /// Requests whose approval was refused this tick; an edit report joins that condition.
    var refusedApprovals: Set<ObjectKey> = []
    /// Deploy folders (`deploy/<member>`) or loose files to take back from the baseline.
    var deployUnits: Set<String> = []

    /// Whose status carries a refused edit's report.
    enum ReportSubject: Hashable {
        case placement(ObjectKey)
        case run(ObjectKey)
        case approvalRequest(ObjectKey)
    }

    /// At most this many refusals are listed in a commit message and in `status/sync.yaml`;
    /// a push that rewrites thousands of files still makes a short report.
    static let maxListed = 100

    init(
        repository: GitRepository, head: ObjectID, headTree: ObjectID, paths: RepositoryPaths,
        settings: TrustSettings, now: Date
    ) throws {
        self.repository = repository
        self.head = head
        self.headTree = headTree
        self.paths = paths
        self.now = now
        self.verifier = SignatureVerifier(repository: repository, settings: settings)
        let baseline = try Self.newestOwnCommit(repository: repository, head: head)
        self.baseline = baseline
        self.baselineTree = try baseline.map { try repository.treeOfCommit($0) }
        if baseline == head {
            range = []
            outputChanges = []
        } else {
            range = Set(try repository.commits(from: head, excluding: baseline))
            outputChanges = try repository.diff(from: baselineTree, to: headTree).filter {
                let owner = paths.owner(of: $0.path)
                return owner == .status || owner == .deploy
            }
        }
    }

    /// True when the commit message carries gitfleet's trailer.
    static func isOwn(_ commit: Commit) -> Bool {
        CommitInput.carriesOwnTrailer(commit.message)
    }

    /// gitfleet's newest own commit in head's history. The search follows every parent but
    /// stops at own commits, so it costs what was pushed since gitfleet's last commit; when a
    /// merge brings in gitfleet's commits beside older ones, the one that descends from the
    /// others wins.
    static func newestOwnCommit(repository: GitRepository, head: ObjectID) throws -> ObjectID? {
        var queue = [head]
        var next = 0
        var seen: Set<ObjectID> = []
        var found: [ObjectID] = []
        while next < queue.count {
            let id = queue[next]
            next += 1
            guard seen.insert(id).inserted else { continue }
            let commit = try repository.commit(id)
            if isOwn(commit) {
                found.append(id)
            } else {
                queue += commit.parents
            }
        }
        for candidate in found where try found.allSatisfy({
            try $0 == candidate || repository.isDescendant(candidate, of: $0)
        }) {
            return candidate
        }
        return found.first
    }

    // MARK: - The status gitfleet plans from

    /// The status of head with every refused edit replaced by gitfleet's version, the allowed
    /// part of each file kept, and approvals that fail the rules taken out.
    mutating func trustedStatus(_ loaded: FleetState, syncState: SyncState) throws -> FleetState {
        try settlePolicy(syncState: syncState)
        var state = loaded
        var tampered: Set<String> = []
        var approvals: [ObjectKey: String] = [:]
        for change in outputChanges {
            guard paths.owner(of: change.path) == .status else {
                deployUnits.insert(deployUnit(of: change.path))
                try refuse(change.path, subject: nil)
                continue
            }
            if change.path != paths.syncStatePath { rewrite.insert(change.path) }
            switch try classify(change) {
            case let .allowed(approvalChanged):
                if let key = approvalChanged { approvals[key] = change.path }
            case .refused:
                tampered.insert(change.path)
            }
        }
        try takeBaselineVersions(of: tampered, into: &state)
        for path in tampered.sorted() {
            try keepAllowedPart(of: path, in: &state, approvals: &approvals)
            try refuse(path, subject: try subject(of: path))
        }
        for key in approvals.keys.sorted() {
            guard let path = approvals[key] else { continue }
            try authorizeApproval(key, path: path, in: &state)
        }
        return state
    }

    private enum Verdict {
        /// Within what people may change; carries the request's key when its approval changed.
        case allowed(approvalChanged: ObjectKey?)
        case refused
    }

    /// Whether one changed status file stays within what people may change.
    private func classify(_ change: TreeChange) throws -> Verdict {
        guard change.path != paths.syncStatePath,
              let (kind, key) = StatusPath.parse(change.path, root: paths.config.statusFolder),
              change.kind == .modified, change.mode == .blob, change.oldMode == .blob,
              let oldBlob = change.oldBlob, let newBlob = change.newBlob,
              let old = Self.singleDocument(try repository.blob(oldBlob), path: change.path),
              let new = Self.singleDocument(try repository.blob(newBlob), path: change.path)
        else { return .refused }
        switch kind {
        case .clusterApprovalRequest, .approvalRequest:
            guard Self.canonical(Self.withoutApproved(old))
                    == Self.canonical(Self.withoutApproved(new)),
                  case let .approvalRequest(request)? = Self.object(new, path: change.path),
                  request.key == key
            else { return .refused }
            let changed = Self.approvedItem(old).map(Self.canonical)
                != Self.approvedItem(new).map(Self.canonical)
            return .allowed(approvalChanged: changed ? key : nil)
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            guard case let .updateRun(before)? = Self.object(old, path: change.path),
                  case .perCommit = before.origin,
                  Self.canonical(Self.withoutState(old)) == Self.canonical(Self.withoutState(new)),
                  case let .updateRun(after)? = Self.object(new, path: change.path),
                  after.key == key, after.origin == before.origin
            else { return .refused }
            return .allowed(approvalChanged: nil)
        case .memberCluster, .clusterResourcePlacement, .resourcePlacement,
             .clusterStagedUpdateStrategy, .stagedUpdateStrategy, .clusterResourceSnapshot,
             .resourceSnapshot, .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot,
             .clusterResourceBinding, .resourceBinding, .clusterResourceOverride,
             .resourceOverride, .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot:
            return .refused
        }
    }

    /// Replaces what refused files hold with the baseline's objects. A refused file may claim
    /// another file's object (a hand-written file naming gitfleet's snapshot), so every object
    /// it names is read again from its own file.
    private mutating func takeBaselineVersions(
        of tampered: Set<String>, into state: inout FleetState
    ) throws {
        let reader = TreeReader(repository: repository)
        var reread = tampered
        for path in tampered {
            guard let bytes = try reader.bytes(in: headTree, path: path) else { continue }
            for object in Self.objects(in: bytes, path: path) {
                Self.remove(object, from: &state)
                reread.insert(try paths.statusPath(kind: object.kind, key: object.key))
            }
        }
        for path in reread.sorted() where path != paths.syncStatePath {
            rewrite.insert(path)
            guard let tree = tampered.contains(path) ? baselineTree : headTree,
                  let bytes = try reader.bytes(in: tree, path: path) else { continue }
            for object in Self.objects(in: bytes, path: path)
            where (try? paths.statusPath(kind: object.kind, key: object.key)) == path {
                StatusStore.insert(object, into: &state)
            }
        }
    }

    /// Puts back the parts of a refused file that people may change: the `Approved` condition
    /// (still subject to the approver rules) and a run per commit's `spec.state`. A request
    /// whose spec names another run or stage is forged: the runs see it and fail as in
    /// KubeFleet; one that gitfleet never created counts only that way, never as approved.
    private mutating func keepAllowedPart(
        of path: String, in state: inout FleetState, approvals: inout [ObjectKey: String]
    ) throws {
        guard let (_, key) = StatusPath.parse(path, root: paths.config.statusFolder) else { return }
        let reader = TreeReader(repository: repository)
        let original = try baselineTree.flatMap { try reader.bytes(in: $0, path: path) }
            .flatMap { Self.singleDocument($0, path: path) }.flatMap { Self.object($0, path: path) }
        let edited = try reader.bytes(in: headTree, path: path)
            .flatMap { Self.singleDocument($0, path: path) }.flatMap { Self.object($0, path: path) }
        switch (original, edited) {
        case let (.approvalRequest(gitfleets)?, .approvalRequest(edit)?) where edit.key == key:
            if edit.parentStageRollout != gitfleets.parentStageRollout
                || edit.targetStage != gitfleets.targetStage {
                var request = gitfleets
                request.parentStageRollout = edit.parentStageRollout
                request.targetStage = edit.targetStage
                state.approvalRequests[key] = request
                forged[key] = .some(gitfleets)
            } else if edit.conditions[.approved] != gitfleets.conditions[.approved],
                      var request = state.approvalRequests[key] {
                request.conditions.items.removeAll { $0.type == .approved }
                if let approved = edit.conditions[.approved] {
                    request.conditions.items.append(approved)
                }
                state.approvalRequests[key] = request
                approvals[key] = path
            }
        case let (nil, .approvalRequest(edit)?) where edit.key == key && !Self.namedAfterSpec(edit):
            var request = edit
            request.conditions = Conditions()
            state.approvalRequests[key] = request
            forged[key] = .some(nil)
        case let (.updateRun(gitfleets)?, .updateRun(edit)?) where edit.key == key:
            guard case .perCommit = gitfleets.origin else { return }
            state.updateRuns[key]?.spec.state = edit.spec.state
        default:
            return
        }
    }

    /// A request named `<run>-before-<stage>` or `<run>-after-<stage>` after its own spec is one
    /// a run would treat as its own: written by hand, it is dropped so the run creates
    /// gitfleet's. Any other name can only make a run that looks it up fail.
    private static func namedAfterSpec(_ request: ApprovalRequest) -> Bool {
        [ApprovalRequest.TaskType.beforeStage, .afterStage].contains {
            ApprovalRequest.name(run: request.parentStageRollout, stage: request.targetStage,
                                 task: $0) == request.meta.name
        }
    }

    /// The object whose status reports an edit of `path`: gitfleet's run or approval request
    /// in it, or the placement of its snapshot or placement status. A file gitfleet never wrote
    /// concerns no object; `status/sync.yaml` and the commit message report it.
    private func subject(of path: String) throws -> ReportSubject? {
        let reader = TreeReader(repository: repository)
        guard let bytes = try baselineTree.flatMap({ try reader.bytes(in: $0, path: path) }),
              let object = Self.objects(in: bytes, path: path).first else { return nil }
        switch object {
        case let .updateRun(run): return .run(run.key)
        case let .approvalRequest(request): return .approvalRequest(request.key)
        case let .resourceSnapshot(snapshot):
            return .placement(ObjectKey(namespace: snapshot.meta.namespace,
                                        name: snapshot.placementName))
        case let .policySnapshot(snapshot):
            return .placement(ObjectKey(namespace: snapshot.meta.namespace,
                                        name: snapshot.placementName))
        case let .placementStatus(placementStatus): return .placement(placementStatus.placementKey)
        case .memberCluster, .placement, .strategy, .override: return nil
        }
    }

    /// Records a refused edit, naming the commit that made the file what it is in head.
    private mutating func refuse(_ path: String, subject: ReportSubject?) throws {
        guard refusedLines.count < Self.maxListed else {
            if refusedLines.count == Self.maxListed {
                note("more refused edits are not listed", refused: true)
            }
            return
        }
        let entry = { (tree: ObjectID) throws -> TreeFile? in
            try repository.entry(in: tree, path: path)
        }
        let had = try baselineTree.flatMap { try repository.entry(in: $0, path: path) } != nil
        let action = had ? "restored gitfleet's version" : "removed"
        var line = "refused edit of '\(path)'"
        if let commit = try introducer(of: entry) {
            let author = try repository.commit(commit).author.email
            line += " in commit \(commit.short) by '\(author)'"
        }
        line += ": \(action)"
        note(line, refused: true)
        if let subject { reports[subject, default: []].append(line) }
    }

    mutating func note(_ line: String, refused: Bool) {
        events.append(line)
        if refused { refusedLines.append(line) }
    }

    /// `deploy/<member>` for a file in a member's folder, else the path itself.
    private func deployUnit(of path: String) -> String {
        let parts = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count >= 3 ? "\(parts[0])/\(parts[1])" : path
    }

    // MARK: - Finding who changed something

    /// The commit that brought `value` as head has it: follow head back through parents that
    /// have the same value, to the commit where it differs from every parent. Nil when the
    /// value is the baseline's (nothing new), or when head has no such commit.
    func introducer<Value: Equatable>(of value: (ObjectID) throws -> Value) throws -> ObjectID? {
        var current = head
        while true {
            let commit = try repository.commit(current)
            let mine = try value(commit.tree)
            var same: ObjectID?
            for parent in commit.parents
            where try value(try repository.treeOfCommit(parent)) == mine {
                same = parent
                break
            }
            guard let same else { return current }
            if same == baseline { return nil }
            // The value came from a commit gitfleet already judged: whoever merged it brought it.
            guard range.contains(same) else { return current }
            current = same
        }
    }

    // MARK: - YAML helpers

    static func singleDocument(_ bytes: [UInt8], path: String) -> YAMLNode? {
        guard let documents = try? YAMLParser.parse(bytes, file: path), documents.count == 1 else {
            return nil
        }
        return documents.first
    }

    static func object(_ node: YAMLNode, path: String) -> FleetObject? {
        FleetDecoder.decode(node, file: path, source: .status).fleetObject
    }

    static func objects(in bytes: [UInt8], path: String) -> [FleetObject] {
        FleetDecoder.decodeFile(path: path, bytes: bytes, source: .status)
            .documents.compactMap(\.fleetObject)
    }

    static func canonical(_ node: YAMLNode) -> String {
        CanonicalJSON.encode(node)
    }

    static func approvedItem(_ node: YAMLNode) -> YAMLNode? {
        node["status"]?["conditions"]?.items?.first {
            $0["type"]?.scalar?.text == ApprovalRequestConditionType.approved.rawValue
        }
    }

    /// The document without its `Approved` condition, and without a `conditions` list or
    /// `status` that only held it, so adding one to a fresh request compares equal.
    static func withoutApproved(_ node: YAMLNode) -> YAMLNode {
        guard var status = node["status"], let conditions = status["conditions"]?.items else {
            return node
        }
        var copy = node
        let others = conditions.filter {
            $0["type"]?.scalar?.text != ApprovalRequestConditionType.approved.rawValue
        }
        status.set("conditions", others.isEmpty ? nil : .sequence(others))
        copy.set("status", status.pairs?.isEmpty == true ? nil : status)
        return copy
    }

    static func withoutState(_ node: YAMLNode) -> YAMLNode {
        guard var spec = node["spec"] else { return node }
        var copy = node
        spec.set("state", nil)
        copy.set("spec", spec)
        return copy
    }

    static func remove(_ object: FleetObject, from state: inout FleetState) {
        switch object {
        case let .updateRun(run): state.updateRuns[run.key] = nil
        case let .approvalRequest(request): state.approvalRequests[request.key] = nil
        case let .resourceSnapshot(snapshot): state.resourceSnapshots[snapshot.meta.key] = nil
        case let .policySnapshot(snapshot): state.policySnapshots[snapshot.meta.key] = nil
        case let .placementStatus(placementStatus):
            state.placementStatuses[placementStatus.placementKey] = nil
        case .memberCluster, .placement, .strategy, .override:
            break
        }
    }
}
