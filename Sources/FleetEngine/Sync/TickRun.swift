import FleetAPI
import FleetGit
import FleetYAML
import Foundation

/// One attempt at a tick on the cache clone: read, plan, and write a commit on top of `head`.
/// Pushing is the caller's job, so a refused push can redo the attempt from a fresh fetch.
struct TickRun {
    let repository: GitRepository
    let head: ObjectID
    let now: Date
    let logger: Logger
    /// What the previous tick of this process decoded, if any.
    let cached: DecodedCache?
    /// Where signed approvals are checked (docs/trust.md).
    var trustSettings = TrustSettings()
    /// Plan from every status file, whatever the index of work under way says.
    var readEverything = false
    /// What is known of the hub's workload files without parsing them, when the caller keeps
    /// one; the tick leaves it describing the hub it read.
    var hubIndex: HubIndex?
    /// Where to read the hub index from when `hubIndex` is nil and the tick needs one; an
    /// idle tick never does.
    var hubIndexFile: String?
    /// True when the tick changed `hubIndex`.
    private(set) var hubIndexChanged = false
    /// Where the render index of gitfleet's last commit is kept, if anywhere.
    var renderIndexFile: String?
    /// The render index as of the tick's commit, or of gitfleet's last commit when it made
    /// none.
    private(set) var renderIndex: RenderIndex?
    /// The commit this attempt made, if anything changed.
    private(set) var commit: ObjectID?
    /// What to cache once the attempt's commit is published (or when it made none).
    private(set) var decoded: DecodedCache?

    init(
        repository: GitRepository, head: ObjectID, now: Date, logger: Logger,
        cached: DecodedCache? = nil
    ) throws {
        self.repository = repository
        self.head = head
        self.now = now
        self.logger = logger
        self.cached = cached
    }

    mutating func run() throws -> TickReport {
        let headTree = try repository.treeOfCommit(head)
        let reader = TreeReader(repository: repository)
        let paths = reader.paths(in: headTree)
        let trust = try TrustCheck(
            repository: repository, head: head, headTree: headTree, paths: paths,
            settings: trustSettings, now: now)

        // gitfleet's own copy: a pushed edit of status/sync.yaml cannot make a tick skip commits.
        let syncState = try reader
            .bytes(in: trust.baselineTree ?? headTree, path: paths.syncStatePath)
            .map { try SyncState.decode($0, file: paths.syncStatePath) } ?? SyncState()
        let last = syncState.lastProcessedCommit.flatMap(ObjectID.init(hex:))
        let history: [ObjectID]
        var base = last
        do {
            history = try repository.firstParentHistory(from: head, until: last)
        } catch is UnrelatedHistoryError {
            // The branch was rewritten under us: replay it all. Snapshots are content-addressed,
            // so replaying never makes a duplicate.
            logger.warning("last processed commit is gone from the branch, replaying history",
                           metadata: ["commit": "\(last?.short ?? "-")"])
            history = try repository.firstParentHistory(from: head, until: nil)
            base = nil
        }

        // Nothing but gitfleet's own commits since the last tick, and nothing the clock or a
        // pushed update can move: the tick reads no more than this.
        let commits = try history.map { try repository.commit($0) }
        if commits.allSatisfy(TrustCheck.isOwn), syncState.isIdle(at: now) {
            return TickReport(
                commit: nil, events: [], held: [], diagnostics: [],
                nextWakeup: syncState.nextWakeup, confirmableNow: false, attempts: 1)
        }

        let hub = try loadHub(at: base, cached: cached, paths: paths)
        var inputs: [CommitInput] = []
        var parentTree: ObjectID? = base.map { try? repository.treeOfCommit($0) } ?? nil
        for commit in commits {
            inputs.append(try commitInput(commit, parentTree: parentTree, paths: paths))
            parentTree = commit.tree
        }
        // A loop's warm cache makes reading everything cheap; people's edits of gitfleet's
        // files can concern any placement.
        // Which member folders only a full render may edit, as of gitfleet's last commit.
        let known = renderIndexFile.flatMap(RenderIndex.load)
            .flatMap { $0.commit == trust.baseline?.sha ? $0.members : nil }
        var reading = TickScope.Reading(scope: .everything)
        if !readEverything, cached == nil, trust.outputChanges.isEmpty,
           syncState.activeRuns != nil, known != nil {
            reading = TickScope.read(hub: hub, inputs: inputs, active: syncState.activePlacements)
        }
        var context = PlanContext(
            headTree: headTree, paths: paths, reader: reader, syncState: syncState,
            hub: try parsingDeferred(hub, for: reading), inputs: inputs,
            lastOwn: commits.last(where: TrustCheck.isOwn)?.id, fullRenderOnly: known ?? [])
        do {
            return try plan(context, scope: reading.scope, trust: trust)
        } catch is RenderScopeError {
            logger.debug("member folders hold files the tick cannot account for, reading all")
            context.hub = try parsingDeferred(
                context.hub, for: TickScope.Reading(scope: .everything))
            return try plan(context, scope: .everything, trust: trust)
        }
    }

    /// `hub` with the deferred files the tick may need parsed: all of them for a tick that
    /// reads everything; otherwise those a placement in scope may select, and those whose
    /// objects a new commit's files duplicate.
    private func parsingDeferred(_ hub: HubContent, for reading: TickScope.Reading) throws
        -> HubContent
    {
        var hub = hub
        // Chosen first and sorted after: a scoped tick wants a few of the hub's thousands.
        let chosen = hub.deferred.filter { _, file in
            guard case .placements = reading.scope else { return true }
            let selectable = file.entry.places.contains { place in
                reading.placements.contains { TickPlanner.mayAffect(place, $0) }
            }
            return selectable || !reading.newIdentities.isDisjoint(with: file.entry.identities)
        }
        var wanted: [(path: String, bytes: [UInt8])] = []
        for (path, file) in chosen.sorted(by: { $0.key < $1.key }) {
            wanted.append((path, try repository.blob(file.blob)))
        }
        for parsed in concurrentMap(wanted, { HubFile(path: $0.path, bytes: $0.bytes) }) {
            hub.apply(path: parsed.path, file: parsed)
        }
        return hub
    }

    /// What a tick plans from, once the commits are read.
    private struct PlanContext {
        var headTree: ObjectID
        var paths: RepositoryPaths
        var reader: TreeReader
        var syncState: SyncState
        var hub: HubContent
        var inputs: [CommitInput]
        var lastOwn: ObjectID?
        var fullRenderOnly: Set<String>
    }

    /// Loads the status of `scope`, plans the tick and makes its commit.
    private mutating func plan(
        _ context: PlanContext, scope: TickScope, trust: TrustCheck
    ) throws -> TickReport {
        var trust = trust
        let (headTree, paths, reader, syncState) =
            (context.headTree, context.paths, context.reader, context.syncState)
        var attribution: StatusAttribution?
        if case let .placements(keys) = scope {
            logger.debug("reading the status of some placements", metadata: [
                "placements": "\(keys.count)",
            ])
            var hub = context.hub
            let objects = hub.combined()
            let invalidRuns = objects.invalid.filter {
                $0.fleetKind == .clusterStagedUpdateRun || $0.fleetKind == .stagedUpdateRun
            }
            attribution = StatusAttribution(
                scope: keys,
                runs: (syncState.activeRuns ?? []).union(objects.runs.keys)
                    .union(invalidRuns.map(\.key)))
        }
        let statusLoad = try StatusStore.load(
            reader: reader, tree: headTree, paths: paths,
            cached: cached.map {
                StatusStore.Loaded(
                    state: $0.status, problemsByPath: $0.statusProblems,
                    tree: $0.statusTree.flatMap(ObjectID.init(hex:)))
            },
            only: attribution)
        // The planner starts from gitfleet's version of every file people may not edit; the
        // cache keeps what head's files hold.
        var trusted = statusLoad
        trusted.state = try trust.trustedStatus(statusLoad.state, syncState: syncState)
        var planner = TickPlanner(
            hub: context.hub, status: trusted.state, now: now, scope: scope,
            unreadRuns: statusLoad.unreadRuns ?? [])
        trust.events.forEach { planner.record($0) }
        let lastOwn = context.lastOwn
        planner.reports = try loadReports(
            state: trusted.state, members: planner.objects.members, headTree: headTree,
            lastOwn: lastOwn, paths: paths, reader: reader)
        planner.confirmMemberUpdates(lastOwnCommit: lastOwn?.sha)

        for input in context.inputs { planner.process(input) }
        planner.advanceRuns()
        planner.advanceRollingUpdates()
        planner.updatePlacementStatuses()
        trust.finish(&planner)

        var edits: [String: TreeEdit] = [:]
        try StatusStore.writeChangedFiles(from: trusted, to: planner.status, paths: paths) {
            path, bytes in
            edits[path] = try bytes.map { .blob(try repository.writeBlob($0), .blob) } ?? .delete
        }
        var renderer = DeployRenderer(repository: repository, paths: paths)
        let deployEdits = scope == .everything
            ? try renderer.edits(old: planner.initialStatus, new: planner.status)
            : try renderer.editsWithin(
                old: planner.initialStatus, new: planner.status, headTree: headTree,
                fullRenderOnly: context.fullRenderOnly)
        edits.merge(deployEdits) { new, _ in new }
        for (member, snapshots) in renderer.missing.sorted(by: { $0.key < $1.key }) {
            logger.warning("member not rendered: its binding names a missing snapshot", metadata: [
                "member": "\(member)", "snapshots": "\(snapshots.joined(separator: ","))",
            ])
        }
        try trust.restore(into: &edits, status: planner.status)

        // Part of the status is no base for the next tick's reading of changes.
        let whole = scope == .everything
        decoded = DecodedCache(
            statusTree: whole ? statusLoad.tree?.sha : nil,
            status: whole ? statusLoad.state : FleetState(),
            statusProblems: whole ? statusLoad.problemsByPath : [:],
            // A hub with files left unparsed is no base for a loop's next tick.
            hubCommit: planner.hub.deferred.isEmpty ? head.sha : nil, hub: planner.hub)
        var report = TickReport(
            commit: nil, events: planner.events, held: planner.held,
            diagnostics: planner.diagnostics, nextWakeup: planner.nextWakeup,
            confirmableNow: planner.hasPushedUpdatesPending, attempts: 1)
        if case let .placements(keys) = scope { report.scope = keys }
        var newState = SyncState(
            lastProcessedCommit: head.sha, heldBy: planner.held.map(\.description),
            invalidObjects: planner.diagnostics.map(\.description),
            nextWakeup: planner.nextWakeup, pendingConfirmations: planner.hasUpdatesInFlight)
        let underWay = planner.workUnderWay
        newState.activePlacements = underWay.placements
        newState.activeRuns = underWay.runs
        // Only a tick that read every binding can tell; a narrower one changes no other.
        let fullRenderOnly = scope == .everything
            ? renderer.membersNeedingFullRender(in: planner.status) : context.fullRenderOnly
        renderIndex = trust.baseline.map { RenderIndex(commit: $0.sha, members: fullRenderOnly) }
        trust.record(into: &newState, previous: syncState)
        if planner.held.isEmpty == false {
            // Held commits are not processed yet: the next tick must walk them again.
            newState.invalidObjects = syncState.invalidObjects
        }
        guard !edits.isEmpty || newState.differsBeyondPosition(from: syncState) else {
            return report
        }
        if !planner.held.isEmpty {
            newState.lastProcessedCommit = syncState.lastProcessedCommit
        }
        edits[paths.syncStatePath] = .blob(try repository.writeBlob(try newState.encode()))
        let tree = try repository.editTree(base: headTree, edits: edits)
        guard tree != headTree else { return report }
        let statusTree = try repository.subtree(in: tree, path: paths.config.statusFolder)
        if whole {
            decoded?.status = planner.status
            decoded?.statusTree = statusTree?.sha
        }
        let identity = Signature(
            name: paths.config.committerName, email: paths.config.committerEmail, time: now)
        commit = try repository.createCommit(
            tree: tree, parents: [head], author: identity, committer: identity,
            message: CommitMessage.compose(
                events: planner.events, rollouts: planner.rollouts, held: planner.held))
        report.commit = commit?.sha
        if let commit { renderIndex = RenderIndex(commit: commit.sha, members: fullRenderOnly) }
        return report
    }

    /// The hub files at `base`: from the cache when it holds that commit, from the cache
    /// plus a tree diff when it holds another, or read in full, where files the hub index
    /// describes are deferred instead of parsed.
    private mutating func loadHub(
        at base: ObjectID?, cached: DecodedCache?, paths: RepositoryPaths
    ) throws -> HubContent {
        guard let base else { return HubContent() }
        let baseTree = try repository.treeOfCommit(base)
        if let cached, let commit = cached.hubCommit.flatMap(ObjectID.init(hex:)),
           let cachedTree = try? repository.treeOfCommit(commit) {
            var hub = cached.hub
            guard commit != base else { return hub }
            for change in try repository.diff(
                from: cachedTree, to: baseTree, skipping: paths.holdsNoHubFiles) {
                let owner = paths.owner(of: change.path)
                guard owner == .hub || owner == .config else { continue }
                let bytes = try change.newBlob.flatMap {
                    change.mode == .symlink ? nil : try repository.blob($0)
                }
                if owner == .config {
                    hub.applyConfig(bytes)
                } else {
                    hub.apply(path: change.path, bytes: bytes)
                }
            }
            return hub
        }
        // The index file is read on another core while this one lists the hub's files.
        let pendingIndex = hubIndex == nil
            ? hubIndexFile.map { file in BackgroundWork { HubIndex.load(from: file) } } : nil
        var hub = HubContent()
        hub.applyConfig(try TreeReader(repository: repository)
            .bytes(in: baseTree, path: GitFleetConfig.fileName))
        let files = try repository.files(in: baseTree, skipping: paths.holdsNoHubFiles).filter {
            $0.mode != .symlink && paths.owner(of: $0.path) == .hub
        }
        if let pendingIndex { hubIndex = pendingIndex.wait() }
        guard var index = hubIndex else {
            for file in files { hub.apply(path: file.path, bytes: try repository.blob(file.blob)) }
            return hub
        }
        var deferred: [TreeFile] = []
        var members: [(file: TreeFile, member: MemberCluster)] = []
        var unknown: [(file: TreeFile, bytes: [UInt8])] = []
        for file in files {
            if index[file.blob] != nil {
                deferred.append(file)
            } else if let member = index.members[file.blob] {
                members.append((file, member))
            } else {
                unknown.append((file, try repository.blob(file.blob)))
            }
        }
        for (file, member) in members {
            hub.apply(path: file.path, file: HubFile(path: file.path, member: member))
        }
        // Files the index does not describe (placements, strategies, runs, new files) are
        // parsed on every core, then applied and indexed in tree order.
        let parsed = concurrentMap(unknown) { HubFile(path: $0.file.path, bytes: $0.bytes) }
        for ((file, _), parsed) in zip(unknown, parsed) {
            hub.apply(path: file.path, file: parsed)
            index[file.blob] = HubIndex.entry(for: parsed)
            index.setMember(HubIndex.member(of: parsed), blob: file.blob)
        }
        // Duplicates are reported from parsed files only, so every file in one stays parsed.
        var seen = hub.parsedIdentities
        var repeated: Set<String> = []
        for file in deferred {
            for identity in index[file.blob]?.identities ?? []
            where !seen.insert(identity).inserted {
                repeated.insert(identity)
            }
        }
        for file in deferred {
            guard let entry = index[file.blob] else { continue }
            if repeated.isDisjoint(with: entry.identities) {
                hub.deferFile(path: file.path, blob: file.blob, entry: entry)
            } else {
                hub.apply(path: file.path, bytes: try repository.blob(file.blob))
            }
        }
        index.retain(Set(files.map(\.blob)))
        if index != hubIndex {
            hubIndex = index
            hubIndexChanged = true
        }
        return hub
    }

    /// Reports of members whose updates wait for one. A report counts for an update only if
    /// the report file changed after the commit that rendered the update, so a report left
    /// over from an earlier rollout of the same snapshot never releases a member.
    private func loadReports(
        state: FleetState, members: [String: MemberCluster], headTree: ObjectID,
        lastOwn: ObjectID?, paths: RepositoryPaths, reader: TreeReader
    ) throws -> [String: MemberReport] {
        let reporting = members.reportingNames
        guard !reporting.isEmpty else { return [:] }
        var renderCommits: [String: Set<String>] = [:]
        for placementStatus in state.placementStatuses.values {
            for binding in placementStatus.bindings where reporting.contains(binding.targetCluster)
                && binding.state == .bound {
                guard let rendered = binding.renderedCommit ?? lastOwn?.sha else { continue }
                renderCommits[binding.targetCluster, default: []].insert(rendered)
            }
        }
        var reports: [String: MemberReport] = [:]
        for (member, commits) in renderCommits {
            let path = paths.reportPath(member: member)
            guard let current = try repository.entry(in: headTree, path: path),
                  current.mode != .symlink else { continue }
            var report: MemberReport
            do {
                report = try MemberReport.decode(try repository.blob(current.blob), file: path)
            } catch {
                logger.warning("unreadable member report", metadata: ["problem": "\(error)"])
                continue
            }
            guard report.member == member else {
                logger.warning("member report names another member", metadata: [
                    "file": "\(path)", "member": "\(report.member)",
                ])
                continue
            }
            for commit in commits {
                guard let id = ObjectID(hex: commit) else { continue }
                let then = try repository.entry(in: try repository.treeOfCommit(id), path: path)
                if then?.blob != current.blob { report.laterThan.insert(commit) }
            }
            reports[member] = report
        }
        return reports
    }

    private func commitInput(
        _ commit: Commit, parentTree: ObjectID?, paths: RepositoryPaths
    ) throws -> CommitInput {
        var hubChanges: [String: [UInt8]?] = [:]
        var configChange: [UInt8]?? = nil
        // gitfleet's own folders hold no hub files, and its commits change thousands of
        // files in them.
        for change in try repository.diff(
            from: parentTree, to: commit.tree, skipping: paths.holdsNoHubFiles) {
            let owner = paths.owner(of: change.path)
            guard owner == .hub || owner == .config else { continue }
            var bytes: [UInt8]? = nil
            // Symlinks are never followed: a link in the repository reads as a deleted file.
            if let blob = change.newBlob, change.mode != .symlink {
                bytes = try repository.blob(blob)
            }
            if owner == .config { configChange = .some(bytes) } else { hubChanges[change.path] = bytes }
        }
        return CommitInput(
            id: commit.id.sha, isOwn: TrustCheck.isOwn(commit), hubChanges: hubChanges,
            configChange: configChange, time: commit.committer.time)
    }
}

/// Reads files of a tree by path.
struct TreeReader {
    let repository: GitRepository

    func bytes(in tree: ObjectID, path: String) throws -> [UInt8]? {
        guard let entry = try repository.entry(in: tree, path: path), entry.mode != .symlink else {
            return nil
        }
        return try repository.blob(entry.blob)
    }

    /// The folders `gitfleet.yaml` of `tree` sets; a missing or unreadable file gives the
    /// defaults, and sync reports a broken one as a hub problem.
    func paths(in tree: ObjectID) -> RepositoryPaths {
        let config = (try? bytes(in: tree, path: GitFleetConfig.fileName))
            .flatMap { try? GitFleetConfig.decode($0) } ?? GitFleetConfig()
        return RepositoryPaths(config: config)
    }
}

/// The tick's commit message: a summary line, then one line per event, then the trailer that
/// marks the commit as gitfleet's own.
enum CommitMessage {
    /// Routine events past this many are counted, not listed; the log has each of them. A
    /// stage over thousands of members would otherwise make a message of hundreds of
    /// kilobytes, which `git log` shows and every later walk of the history reads again.
    static let maxRoutineEvents = 200

    static func compose(
        events: [String], rollouts: [(snapshot: String, member: String)], held: [Diagnostic]
    ) -> String {
        var lines = ["gitfleet: " + summary(events: events, rollouts: rollouts)]
        if !events.isEmpty {
            lines.append("")
            var routine = 0
            for event in events {
                if !needsAttention(event) {
                    routine += 1
                    if routine > maxRoutineEvents { continue }
                }
                lines.append("- " + event)
            }
            if routine > maxRoutineEvents {
                lines.append("- and \(routine - maxRoutineEvents) more routine events, "
                             + "each logged by `gitfleet sync -v`")
            }
        }
        if !held.isEmpty {
            lines.append("")
            lines.append("New snapshots are held until these files parse:")
            lines += held.map { "- \($0)" }
        }
        lines.append("")
        lines.append("\(CommitInput.ownTrailer) yes")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A failed run or member update, or a refused edit, needs someone; the rest is routine.
    static func needsAttention(_ event: String) -> Bool {
        contains(event, "failed: ") || contains(event, "refused")
    }

    /// A byte search: Foundation's String.contains goes through NSString, the standard
    /// library's generic search looks up type metadata at every step, and a tick that moves
    /// thousands of members asks this of every event.
    private static func contains(_ text: String, _ word: String) -> Bool {
        let haystack = Array(text.utf8)
        let needle = Array(word.utf8)
        guard let first = needle.first else { return true }
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// `roll out app-1-snapshot to member3, member1`, or the first event, kept short.
    static func summary(events: [String], rollouts: [(snapshot: String, member: String)]) -> String {
        var text: String
        if !rollouts.isEmpty {
            var order: [String] = []
            var members: [String: [String]] = [:]
            for (snapshot, member) in rollouts {
                if members[snapshot] == nil { order.append(snapshot) }
                members[snapshot, default: []].append(member)
            }
            text = order.map { snapshot in
                let names = members[snapshot] ?? []
                let shown = names.prefix(5).joined(separator: ", ")
                return "roll out \(snapshot) to \(shown)"
                    + (names.count > 5 ? " and \(names.count - 5) more" : "")
            }.joined(separator: "; ")
        } else {
            text = events.first ?? "update status"
        }
        guard text.count > 72 else { return text }
        var cut = String(text.prefix(69))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > 40 {
            cut = String(cut[..<space])
        }
        return cut + "..."
    }
}
