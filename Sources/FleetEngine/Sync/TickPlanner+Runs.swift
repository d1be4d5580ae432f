import FleetAPI
import FleetPlacement
import FleetRollout
import FleetYAML
import Foundation

/// Annotations gitfleet keeps on the runs it tracks.
package enum RunAnnotation {
    /// The `spec.state` gitfleet last acted on, to check the next state change is allowed.
    package static let observedState = "gitfleet.io/observed-state"
    /// Snapshot indices that landed while an earlier run per commit was active and were never
    /// rolled out on their own.
    package static let skippedSnapshots = "gitfleet.io/skipped-snapshots"
}

extension TickPlanner {
    // MARK: - Member updates

    /// Confirms member updates that are done: pushed ones, and reported ones whose report for
    /// the right snapshot came after the update was rendered. Runs see the result this tick.
    package mutating func confirmMemberUpdates(lastOwnCommit: String?) {
        let reporting = objects.members.reportingNames
        for key in status.placementStatuses.keys.sorted() {
            guard var placementStatus = status.placementStatuses[key] else { continue }
            var changed: [Int] = []
            // A member confirmed by push comes out of `confirm` as its fields alone decide,
            // so alike neighbours (they share fields) get the same result without the work:
            // a placement over 10,000 members holds a handful of distinct ones.
            var lastPushed: (original: Binding, result: Binding?)?
            for index in placementStatus.bindings.indices {
                var binding = placementStatus.bindings[index]
                let byPush = !reporting.contains(binding.targetCluster)
                if byPush, let last = lastPushed, last.original.sharesFields(with: binding) {
                    guard let result = last.result else { continue }
                    placementStatus.bindings[index].takeFields(of: result)
                    changed.append(index)
                    continue
                }
                let original = binding
                let confirmed = confirm(&binding, placement: key, lastOwnCommit: lastOwnCommit)
                if byPush { lastPushed = (original, confirmed ? binding : nil) }
                guard confirmed else { continue }
                placementStatus.bindings[index] = binding
                changed.append(index)
            }
            guard !changed.isEmpty else { continue }
            Binding.shareAlike(&placementStatus.bindings, at: changed)
            status.placementStatuses[key] = placementStatus
        }
    }

    /// Updates one binding's conditions from what is known of its member; true if it changed.
    private func confirm(
        _ binding: inout Binding, placement: ObjectKey, lastOwnCommit: String?
    ) -> Bool {
        let generation = binding.generation
        guard binding.isAwaitingConfirmation, let snapshot = binding.resourceSnapshotName,
              // Nothing is rendered for a snapshot gitfleet does not have, so nothing is pushed.
              status.resourceSnapshots[ObjectKey(namespace: placement.namespace, name: snapshot)]
                != nil
        else { return false }
        let before = binding
        if binding.renderedCommit == nil, let lastOwnCommit {
            binding.renderedCommit = lastOwnCommit
        }
        // The same words for every member, so members confirmed together share one entry of
        // the placement's status file.
        let folder = "\(hub.config.deployFolder)/<member>/"
        binding.conditions.set(
            .workSynchronized, .true, reason: "WorkSynchronized",
            message: "rendered into '\(folder)' and pushed", generation: generation, now: now)
        let member = objects.members[binding.targetCluster]
        switch member?.availability ?? .pushed {
        case .pushed:
            binding.conditions.set(
                .applied, .true, reason: "AppliedByPush",
                message: "the member's GitOps agent applies what is pushed to '\(folder)'",
                generation: generation, now: now)
            binding.conditions.set(
                .available, .true, reason: Reason.availableByPush,
                message: "the update was pushed to '\(folder)'", generation: generation, now: now)
        case .reported:
            guard let report = reports[binding.targetCluster],
                  let rendered = binding.renderedCommit,
                  let entry = report.entry(placement: placement, snapshot: snapshot,
                                           renderedIn: rendered)
            else {
                binding.conditions.set(
                    .available, .false, reason: Reason.awaitingReport,
                    message: "waiting for the member to report '\(snapshot)' available",
                    generation: generation, now: now)
                return binding != before
            }
            binding.conditions.set(
                .applied, entry.applied ? .true : .false,
                reason: entry.applied ? "AppliedByMember" : "ApplyPending",
                message: "the member reported '\(snapshot)' "
                    + (entry.applied ? "applied" : "not applied yet"),
                generation: generation, now: now)
            binding.conditions.set(
                .available, entry.available ? .true : .false,
                reason: entry.available ? Reason.availableByReport : Reason.awaitingReport,
                message: "the member reported '\(snapshot)' "
                    + (entry.available ? "available" : "not available yet"),
                generation: generation, now: now)
        }
        return binding != before
    }

    // MARK: - Rolling updates

    /// Moves RollingUpdate placements' members to their latest snapshot, `maxUnavailable` at a
    /// time; members confirmed since the last tick make room for the next ones.
    package mutating func advanceRollingUpdates() {
        for key in objects.placements.keys.sorted() where scope.contains(key) {
            guard let placement = objects.placements[key],
                  placement.spec.strategy.type == .rollingUpdate,
                  let latest = resourceSnapshots(of: key).last(where: \.isLatest),
                  var placementStatus = status.placementStatuses[key]
            else { continue }
            let plan = RollingUpdater.plan(
                placement: placement, bindings: placementStatus.bindings,
                latestSnapshotName: latest.meta.name, now: now)
            guard !plan.isEmpty else { continue }
            let moved = plan.bindings.map { binding in
                var binding = binding
                binding.renderedCommit = nil
                return binding
            }
            placementStatus.write(moved) { _, binding in
                noteRollout(member: binding.targetCluster, snapshot: latest.meta.name)
                record("\(placement.kind.rawValue)/\(key): member '\(binding.targetCluster)' "
                    + "started on snapshot '\(latest.meta.name)'")
            }
            placementStatus.remove(Set(plan.deletedBindingNames)) { binding in
                record("\(placement.kind.rawValue)/\(key): member "
                    + "'\(binding.targetCluster)' unbound, its resources removed")
            }
            status.placementStatuses[key] = placementStatus
        }
    }

    // MARK: - Runs

    /// Brings committed runs' specs in, creates runs per commit, and advances every active run
    /// once, in a deterministic order (cluster scope first, then by namespace and name).
    package mutating func advanceRuns() {
        syncCommittedRuns()
        var advanced: Set<ObjectKey> = []
        let memberOrder = RolloutInputs.sortedNames(of: objects.members)
        // A run per commit that ends makes room for the next one, which starts this tick.
        while true {
            createRunsPerCommit()
            let due = status.updateRuns.keys.sorted().filter { key in
                guard let run = status.updateRuns[key] else { return false }
                return !advanced.contains(key) && !isTerminal(run)
            }
            guard !due.isEmpty else { break }
            for key in due {
                advanced.insert(key)
                if let run = status.updateRuns[key] { advance(run, memberOrder: memberOrder) }
            }
        }
    }

    func isTerminal(_ run: UpdateRun) -> Bool {
        run.status.conditions.isFalse(.initialized) || run.status.conditions[.succeeded] != nil
    }

    /// Takes each committed run's spec from its file; refuses changes KubeFleet's API refuses.
    private mutating func syncCommittedRuns() {
        for key in objects.runs.keys.sorted() {
            guard var committed = objects.runs[key] else { continue }
            // Runs outside the tick's scope are unchanged and were not read.
            if unreadRuns.contains(key) { continue }
            guard var stored = status.updateRuns[key] else {
                committed.meta.annotations[RunAnnotation.observedState] =
                    committed.spec.state.rawValue
                committed.meta.generation = 1
                committed.meta.creationTimestamp = committed.meta.creationTimestamp ?? now
                status.updateRuns[key] = committed
                continue
            }
            stored.origin = committed.origin
            if let refusal = specChangeRefusal(stored: stored, new: committed.spec) {
                refuse(refusal, run: stored)
            } else if stored.spec != committed.spec {
                stored.spec = committed.spec
                stored.meta.generation += 1
                stored.meta.annotations[RunAnnotation.observedState] = committed.spec.state.rawValue
            }
            status.updateRuns[key] = stored
        }
        // A state change to a run per commit is made in its status file, read as the spec.
        for key in status.updateRuns.keys.sorted() {
            guard var run = status.updateRuns[key] else { continue }
            switch run.origin {
            case .committed:
                // A run whose file is present but invalid keeps its last valid version.
                let invalid = objects.invalid.contains { $0.key == key && $0.fleetKind == run.kind }
                if objects.runs[key] == nil, !invalid { deleteRun(key) }
            case .perCommit:
                let observed = run.meta.annotations[RunAnnotation.observedState]
                    .flatMap(UpdateRunState.init(rawValue:)) ?? run.spec.state
                guard observed != run.spec.state else { continue }
                var old = run.spec
                old.state = observed
                if let refusal = UpdateRunSpecChange.validate(old: old, new: run.spec) {
                    refuse(refusal, run: run)
                    run.spec.state = observed
                } else {
                    run.meta.generation += 1
                    run.meta.annotations[RunAnnotation.observedState] = run.spec.state.rawValue
                }
                status.updateRuns[key] = run
            }
        }
    }

    /// A spec change KubeFleet's API would reject: the run keeps its old spec, and the
    /// refusal is listed in status/sync.yaml until the change is undone.
    private mutating func refuse(_ refusal: String, run: UpdateRun) {
        let object = "\(run.kind.rawValue)/\(run.key)"
        record("\(object): change refused: \(refusal)")
        var location: SourceLocation?
        if case let .committed(file) = run.origin { location = SourceLocation(file: file, line: 1) }
        diagnostics.append(Diagnostic("change refused: \(refusal)", at: location, object: object))
    }

    private func specChangeRefusal(stored: UpdateRun, new: UpdateRunSpec) -> String? {
        var old = stored.spec
        if let observed = stored.meta.annotations[RunAnnotation.observedState]
            .flatMap(UpdateRunState.init(rawValue:)) {
            old.state = observed
        }
        return old == new ? nil : UpdateRunSpecChange.validate(old: old, new: new)
    }

    /// Deleting a run abandons its release: its approval requests go, bindings and member
    /// resources stay as they are.
    private mutating func deleteRun(_ key: ObjectKey) {
        status.updateRuns[key] = nil
        for (requestKey, request) in status.approvalRequests
        where requestKey.namespace == key.namespace
            && request.meta.labels[FleetLabel.targetUpdateRun] == key.name {
            status.approvalRequests[requestKey] = nil
        }
        record("\(key): run deleted, its approval requests removed")
    }

    /// One run per changing commit for placements that name a strategy, one active at a time;
    /// when the active one ends, the newest snapshot gets the next run.
    private mutating func createRunsPerCommit() {
        for key in objects.placements.keys.sorted() where scope.contains(key) {
            guard let placement = objects.placements[key],
                  placement.spec.strategy.type == .external,
                  let strategyName = placement.autoRunStrategy,
                  let latest = resourceSnapshots(of: key).last(where: \.isLatest)
            else { continue }
            let autoRuns = status.updateRuns.values.filter {
                $0.meta.namespace == key.namespace && $0.spec.placementName == key.name
                    && { if case .perCommit = $0.origin { return true } else { return false } }($0)
            }
            if autoRuns.contains(where: { !isTerminal($0) }) { continue }
            let rolledOut = autoRuns.compactMap { $0.spec.resourceSnapshotIndex.flatMap(Int.init) }
                + unreadAutoRunIndices(of: key)
            if rolledOut.contains(latest.index) { continue }
            let previous = rolledOut.max() ?? -1
            let skipped = resourceSnapshots(of: key).map(\.index)
                .filter { $0 > previous && $0 < latest.index && previous >= 0 }
            let name = Self.autoRunName(placement: key.name, index: latest.index)
            var meta = ObjectMeta(
                name: name, namespace: key.namespace,
                annotations: [RunAnnotation.observedState: UpdateRunState.run.rawValue],
                creationTimestamp: now)
            if !skipped.isEmpty {
                meta.annotations[RunAnnotation.skippedSnapshots] =
                    skipped.map(String.init).joined(separator: ",")
            }
            let run = UpdateRun(
                meta: meta,
                spec: UpdateRunSpec(
                    placementName: key.name, resourceSnapshotIndex: String(latest.index),
                    stagedRolloutStrategyName: strategyName, state: .run),
                origin: .perCommit(commit: latest.sourceCommit))
            status.updateRuns[run.key] = run
            record("\(run.kind.rawValue)/\(run.key): created for snapshot \(latest.index)"
                + (skipped.isEmpty ? "" : ", skipping \(skipped.map(String.init).joined(separator: ", "))"))
        }
    }

    /// The snapshot indices of the placement's runs per commit that the tick did not read:
    /// finished ones, each named after the index it rolled out.
    private func unreadAutoRunIndices(of placement: ObjectKey) -> [Int] {
        unreadRuns.compactMap { key in
            guard key.namespace == placement.namespace,
                  let (_, index) = StatusAttribution.splitIndex(key.name, separator: "-run-"),
                  Self.autoRunName(placement: placement.name, index: index) == key.name
            else { return nil }
            return index
        }
    }

    /// `<placement>-<index>`-style names that stay valid Kubernetes names under 64 characters.
    static func autoRunName(placement: String, index: Int) -> String {
        let suffix = "-run-\(index)"
        var base = String(placement.prefix(63 - suffix.count))
        while base.hasSuffix("-") || base.hasSuffix(".") { base.removeLast() }
        return base + suffix
    }

    private mutating func advance(_ run: UpdateRun, memberOrder: [String]) {
        var contentIndex: Int?
        var problem: String?
        if run.spec.resourceSnapshotIndex == nil, run.status.conditions[.initialized] == nil {
            switch contentSnapshot(for: run.key) {
            case let .success(index): contentIndex = index
            case let .failure(diagnostic): problem = diagnostic.message
            case .none: break
            }
        }
        let placementKey = ObjectKey(namespace: run.meta.namespace, name: run.spec.placementName)
        var inputs = rolloutInputs(for: run, contentIndex: contentIndex)
        inputs.contentSnapshotProblem = problem
        inputs.memberOrder = memberOrder
        let result = UpdateRunReconciler.reconcile(run, inputs: inputs)
        apply(result, placementKey: placementKey)
    }

    /// What the state machine sees of a run's world right now.
    func rolloutInputs(for run: UpdateRun, contentIndex: Int?) -> RolloutInputs {
        let placementKey = ObjectKey(namespace: run.meta.namespace, name: run.spec.placementName)
        let strategyKey = ObjectKey(
            namespace: run.meta.namespace, name: run.spec.stagedRolloutStrategyName)
        return RolloutInputs(
            placement: objects.placements[placementKey],
            policySnapshots: policySnapshots(of: placementKey),
            bindings: status.placementStatuses[placementKey]?.bindings ?? [],
            members: objects.members,
            strategy: objects.strategies[strategyKey],
            resourceSnapshots: resourceSnapshots(of: placementKey),
            currentContentSnapshotIndex: contentIndex,
            approvalRequests: approvalRequests(in: run.meta.namespace),
            now: now)
    }

    private mutating func apply(_ result: RolloutResult, placementKey: ObjectKey) {
        var run = result.run
        // Membership, labels and policy come from commits, so a run that fails on drift
        // names the commit that caused it.
        if let commit = lastPeopleCommit,
           result.events.contains(where: { if case .runFailed = $0 { true } else { false } }),
           var failed = run.status.conditions[.succeeded], failed.status == .false {
            failed.message += " (at commit \(commit.prefix(12)))"
            run.status.conditions.set(
                .succeeded, .false, reason: failed.reason, message: failed.message,
                generation: failed.observedGeneration, now: failed.lastTransitionTime)
        }
        status.updateRuns[run.key] = run
        if let wakeup = result.nextWakeup, wakeup > now {
            nextWakeup = min(nextWakeup ?? wakeup, wakeup)
        }
        for request in result.approvalRequests {
            status.approvalRequests[request.key] = request
        }
        if !result.bindingUpdates.isEmpty || !result.bindingDeletions.isEmpty {
            var placementStatus = status.placementStatuses[placementKey]
                ?? PlacementStatus(placementKey: placementKey)
            placementStatus.write(result.bindingUpdates)
            placementStatus.remove(Set(result.bindingDeletions))
            status.placementStatuses[placementKey] = placementStatus
        }
        for event in result.events {
            if case let .memberStarted(member, snapshot) = event {
                noteRollout(member: member, snapshot: snapshot)
            }
            record("\(run.kind.rawValue)/\(run.key): \(event)")
        }
    }
}
