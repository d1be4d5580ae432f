import FleetAPI
import FleetPlacement
import FleetRollout
import FleetYAML
import Foundation

/// Decides everything one sync tick changes, without touching git: it takes the status gitfleet
/// wrote, the hub content of the last processed commit and the new commits, and produces the
/// new status plus what to render.
///
/// Steps (design.md section 3): for each new commit, load what changed, reschedule placements
/// whose inputs changed, take snapshots of content that changed; then advance every active run
/// once with the tick's clock.
package struct TickPlanner {
    /// Hub content at the commit being processed.
    package internal(set) var hub: HubContent
    /// The combined objects of the last commit that parsed cleanly; what runs see.
    package internal(set) var objects: HubObjects
    /// gitfleet's own objects, as they evolve during the tick.
    package internal(set) var status: FleetState
    /// The status at the start of the tick, to tell what changed.
    package let initialStatus: FleetState
    package let now: Date
    /// Member reports, by member name, for members with reported availability.
    package var reports: [String: MemberReport] = [:]

    /// Lines for the commit message and logs, in the order things happened.
    package internal(set) var events: [String] = []
    /// Files that do not parse; while any exists no snapshot is taken.
    package internal(set) var held: [Diagnostic] = []
    /// The earliest moment a run wants another tick (a timed wait ending), if any.
    package internal(set) var nextWakeup: Date?
    /// Members that got a new snapshot this tick, as (snapshot, member), in order.
    package internal(set) var rollouts: [(snapshot: String, member: String)] = []
    /// The newest commit of this tick that people made, if any.
    package internal(set) var lastPeopleCommit: String?
    /// Problems with objects that parsed, reported but not fatal to anything else.
    package internal(set) var diagnostics: [Diagnostic] = []
    /// For runs first seen in this tick that omit the index: the snapshot of the content of the
    /// commit that added them, or why there is none.
    var contentSnapshots: [ObjectKey: Result<Int, Diagnostic>] = [:]
    /// Workloads changed by commits not yet looked at (held behind a broken file, say).
    private var pendingChanges: Set<ChangedWorkload> = []
    private var pendingCRDChange = false
    /// The index of `objects.workloads`, built when a selection first needs it.
    private var workloadIndex: WorkloadIndex?
    /// Runs seen in the hub by an earlier commit of this tick or with a status file.
    var knownRuns: Set<ObjectKey>
    /// The placements this tick looks at; `status` holds everything of them and nothing of
    /// the others.
    let scope: TickScope
    /// Runs with a status file that the tick did not read, being outside its scope.
    let unreadRuns: Set<ObjectKey>

    /// A planner over `status`; with a narrower `scope`, `unreadRuns` are the runs whose
    /// status files exist but were not read.
    package init(
        hub: HubContent, status: FleetState, now: Date, scope: TickScope = .everything,
        unreadRuns: Set<ObjectKey> = []
    ) {
        var hub = hub
        self.objects = hub.combined()
        self.hub = hub
        self.status = status
        self.initialStatus = status
        self.now = now
        self.knownRuns = Set(status.updateRuns.keys).union(unreadRuns)
        self.scope = scope
        self.unreadRuns = unreadRuns
    }

    // MARK: - Commits

    /// Processes one new first-parent commit, oldest first.
    package mutating func process(_ commit: CommitInput) {
        if !commit.isOwn { lastPeopleCommit = commit.id }
        if let configChange = commit.configChange { hub.applyConfig(configChange) }
        // Files of plain workloads patch the combined view, and the index follows them, so a
        // history of small changes costs what each change touches.
        var indexEdits: [(removed: [String], added: [WorkloadResource])]? =
            commit.configChange == nil ? [] : nil
        for path in commit.hubChanges.keys.sorted() {
            let change = hub.apply(path: path, bytes: commit.hubChanges[path] ?? nil)
            pendingChanges.formUnion(change.workloads)
            pendingCRDChange = pendingCRDChange || change.touchesCRDs
            if let replaced = change.replaced {
                indexEdits?.append(replaced)
            } else {
                indexEdits = nil
            }
        }
        let previous = objects
        var current = hub.combined()
        current.keepLastValid(from: previous)
        held = hub.parseErrors + current.invalidWorkloads
        guard held.isEmpty else {
            workloadIndex = nil
            if !commit.isOwn {
                for problem in held {
                    events.append("held snapshots at \(commit.shortID): \(problem)")
                }
            }
            return
        }
        objects = current
        // Taken out first, so the edits change the one copy instead of copying it.
        if var index = workloadIndex.take(), let edits = indexEdits {
            for edit in edits {
                edit.removed.forEach { index.remove(identity: $0) }
                edit.added.forEach { index.insert($0) }
            }
            workloadIndex = index
        } else {
            workloadIndex = nil
        }
        diagnostics = objects.diagnostics
        // Changes seen while a file was broken count now, when they can be looked at.
        let changed = pendingChanges
        let everything = pendingCRDChange
        pendingChanges = []
        pendingCRDChange = false

        let membersChanged = previous.members != objects.members
        for key in objects.placements.keys.sorted() where scope.contains(key) {
            guard let placement = objects.placements[key] else { continue }
            let placementChanged = previous.placements[key] != placement
            if membersChanged || placementChanged || status.placementStatuses[key] == nil {
                schedule(placement)
            }
            guard !commit.isOwn,
                  placement.spec.strategy.type == .rollingUpdate || placement.autoRunStrategy != nil,
                  placementChanged || everything
                    || changed.contains(where: { Self.mayAffect($0, placement) })
            else { continue }
            _ = takeSnapshot(of: placement, at: commit)
        }
        for key in previous.placements.keys.sorted()
        where objects.placements[key] == nil && scope.contains(key) {
            removePlacement(key)
        }
        for key in objects.runs.keys.sorted() where !knownRuns.contains(key) {
            knownRuns.insert(key)
            guard let run = objects.runs[key], run.spec.resourceSnapshotIndex == nil else { continue }
            let placementKey = ObjectKey(namespace: key.namespace, name: run.spec.placementName)
            // An invalid run never creates a snapshot: initialization would fail first.
            guard let placement = objects.placements[placementKey], scope.contains(placementKey),
                  UpdateRunReconciler.needsContentSnapshot(
                      run, inputs: rolloutInputs(for: run, contentIndex: nil))
            else { continue }
            contentSnapshots[key] = takeSnapshot(of: placement, at: commit)
        }
    }

    /// Whether a changed workload could be part of what the placement selects. Errs on the
    /// side of yes: a needless check costs a hash, a missed one a release.
    static func mayAffect(_ change: ChangedWorkload, _ placement: Placement) -> Bool {
        if let namespace = placement.meta.namespace {
            return change.namespace == namespace
        }
        for selector in placement.spec.resourceSelectors {
            if selector.group == "", selector.kind == "Namespace" {
                guard let name = selector.name else {
                    if change.namespace != nil || change.groupKind.kind == "Namespace" {
                        return true
                    }
                    continue
                }
                if change.namespace == name
                    || (change.groupKind == GroupKind(group: "", kind: "Namespace")
                        && change.name == name) {
                    return true
                }
            } else if change.groupKind == GroupKind(group: selector.group, kind: selector.kind) {
                return true
            }
        }
        return false
    }

    // MARK: - Scheduling and snapshots

    private mutating func schedule(_ placement: Placement) {
        let bindings = status.placementStatuses[placement.key]?.bindings ?? []
        let decision = Scheduler.schedule(
            placement: placement, members: objects.members,
            policySnapshots: policySnapshots(of: placement.key), bindings: bindings, now: now)
        for snapshot in decision.policySnapshots {
            status.policySnapshots[snapshot.meta.key] = snapshot
        }
        for name in decision.deletedPolicySnapshotNames {
            status.policySnapshots[ObjectKey(namespace: placement.meta.namespace, name: name)] = nil
        }
        var placementStatus = status.placementStatuses[placement.key]
            ?? PlacementStatus(placementKey: placement.key)
        // One event per placement and change, not per member: scheduling a placement over
        // thousands of members would otherwise hold thousands of lines until the commit.
        var moved: [(what: String, members: [String])] = []
        placementStatus.write(decision.bindings) { old, new in
            if let old, old.state == new.state { return }
            let what = old == nil ? "scheduled" : new.state.rawValue.lowercased()
            if let index = moved.firstIndex(where: { $0.what == what }) {
                moved[index].members.append(new.targetCluster)
            } else {
                moved.append((what, [new.targetCluster]))
            }
        }
        for (what, members) in moved {
            events.append("\(placement.meta.name): \(what) on \(Self.memberList(members))")
        }
        status.placementStatuses[placement.key] = placementStatus
    }

    /// `m1, m2 and m3`, or the first ten names and how many more.
    static func memberList(_ members: [String]) -> String {
        let shown = 10
        guard members.count > shown else {
            return members.count == 1 ? members[0]
                : members.dropLast().joined(separator: ", ") + " and " + members[members.count - 1]
        }
        return members.prefix(shown).joined(separator: ", ")
            + " and \(members.count - shown) more members"
    }

    /// Gets or creates the snapshot of the placement's current selection.
    private mutating func takeSnapshot(
        of placement: Placement, at commit: CommitInput
    ) -> Result<Int, Diagnostic> {
        let index = workloadIndex ?? WorkloadIndex(objects.workloads)
        workloadIndex = index
        let selected: [WorkloadResource]
        switch ResourceSelection.result(placement: placement, resources: index) {
        case let .success(resources):
            selected = resources
            setPlacementError(placement.key, nil)
        case let .failure(problem):
            setPlacementError(placement.key, problem.description)
            events.append("\(placement.kind.rawValue)/\(placement.key): \(problem.message)")
            return .failure(problem)
        }
        let decision = SnapshotStore.getOrCreate(
            placement: placement, selected: selected, existing: resourceSnapshots(of: placement.key),
            sourceCommit: commit.id, now: now)
        for snapshot in decision.snapshots {
            status.resourceSnapshots[snapshot.meta.key] = snapshot
        }
        for name in decision.deletedNames {
            status.resourceSnapshots[ObjectKey(namespace: placement.meta.namespace, name: name)] = nil
        }
        if decision.created {
            events.append("\(placement.meta.name): snapshot \(decision.indexUsed) "
                + "from \(commit.shortID)")
        }
        return .success(decision.indexUsed)
    }

    private mutating func setPlacementError(_ key: ObjectKey, _ message: String?) {
        var placementStatus = status.placementStatuses[key] ?? PlacementStatus(placementKey: key)
        placementStatus.errors = message.map { [$0] } ?? []
        status.placementStatuses[key] = placementStatus
    }

    /// A deleted placement takes its snapshots and bindings with it, so its resources leave
    /// every member, as deleting a placement does in KubeFleet.
    private mutating func removePlacement(_ key: ObjectKey) {
        for snapshotKey in status.resourceSnapshots.keys
        where snapshotKey.namespace == key.namespace
            && status.resourceSnapshots[snapshotKey]?.placementName == key.name {
            status.resourceSnapshots[snapshotKey] = nil
        }
        for snapshotKey in status.policySnapshots.keys
        where snapshotKey.namespace == key.namespace
            && status.policySnapshots[snapshotKey]?.placementName == key.name {
            status.policySnapshots[snapshotKey] = nil
        }
        status.placementStatuses[key] = nil
        events.append("\(key): placement deleted, its resources leave every member")
    }

    // MARK: - Lookups

    func policySnapshots(of placement: ObjectKey) -> [PolicySnapshot] {
        status.policySnapshots.values.filter {
            $0.placementName == placement.name && $0.meta.namespace == placement.namespace
        }.sorted { $0.index < $1.index }
    }

    func resourceSnapshots(of placement: ObjectKey) -> [ResourceSnapshot] {
        status.resourceSnapshots.values.filter {
            $0.placementName == placement.name && $0.meta.namespace == placement.namespace
        }.sorted { $0.index < $1.index }
    }

    func approvalRequests(in namespace: String?) -> [String: ApprovalRequest] {
        var requests: [String: ApprovalRequest] = [:]
        for (key, request) in status.approvalRequests where key.namespace == namespace {
            requests[key.name] = request
        }
        return requests
    }

    func contentSnapshot(for run: ObjectKey) -> Result<Int, Diagnostic>? {
        contentSnapshots[run]
    }

    mutating func noteRollout(member: String, snapshot: String) {
        rollouts.append((snapshot, member))
    }

    mutating func record(_ event: String) {
        events.append(event)
    }

    mutating func updateStatus(_ body: (inout FleetState) -> Void) {
        body(&status)
    }
}
