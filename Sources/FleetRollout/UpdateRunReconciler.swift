import FleetAPI
import Foundation

/// The staged update-run state machine: status, inputs and a clock in; new status and the
/// writes to make out. It does no I/O and keeps nothing between calls.
///
/// The sync engine calls `reconcile` once per active run per tick, in a deterministic order,
/// and applies each result before the next run is reconciled.
package enum UpdateRunReconciler {
    /// Advances `run` as far as it can go on this tick's state: it initializes a new run, then
    /// validates, executes or stops it, going through as many stages as need no waiting.
    package static func reconcile(_ run: UpdateRun, inputs: RolloutInputs) -> RolloutResult {
        var reconciliation = Reconciliation(run: run, inputs: inputs)
        reconciliation.reconcile()
        return reconciliation.result(comparedWith: run)
    }

    /// Whether initializing `run` now would use `currentContentSnapshotIndex`: the run is new,
    /// omits `resourceSnapshotIndex`, and every step before the snapshot would succeed. The
    /// engine asks this before it makes a snapshot, so an invalid run never creates one.
    package static func needsContentSnapshot(_ run: UpdateRun, inputs: RolloutInputs) -> Bool {
        guard run.spec.resourceSnapshotIndex == nil, !run.status.isInitializationDecided else {
            return false
        }
        var reconciliation = Reconciliation(run: run, inputs: inputs)
        do {
            _ = try reconciliation.initializeStages()
            return true
        } catch {
            return false
        }
    }
}

extension UpdateRunStatus {
    /// `Initialized` is True or False; anything else means initialization is still to come.
    var isInitializationDecided: Bool {
        conditions.isTrue(.initialized) || conditions.isFalse(.initialized)
    }

    /// Failed to initialize, or `Succeeded` is set: nothing changes such a run any more.
    var isTerminal: Bool {
        conditions.isFalse(.initialized) || conditions.isTrue(.succeeded)
            || conditions.isFalse(.succeeded)
    }
}

/// The bindings of the placement as a run sees them on the latest policy snapshot.
struct CollectedBindings {
    /// On the latest policy snapshot and not Unscheduled: the clusters the stages update.
    var selected: [Binding]
    /// Unscheduled: the clusters the deletion stage removes.
    var toBeDeleted: [Binding]
}

/// Where a run stands, as validation finds it.
enum StagePosition: Equatable {
    case update(Int)
    case deletion
    case finished
}

/// How one pass over the current stage ended.
enum PassOutcome {
    /// Something finished without waiting on anyone (a stage completed or was skipped): go on.
    case continueNow
    /// Nothing more to do before the given time has passed or a new commit arrives.
    case wait(TimeInterval)
    /// Every stage, the deletion stage included, is done.
    case finished
    /// The run is stopped, or failed; its conditions are already written.
    case settled
}

/// One reconcile of one run: the working state and the writes collected so far.
struct Reconciliation {
    var run: UpdateRun
    let inputs: RolloutInputs
    /// The placement's bindings with this reconcile's own writes applied.
    var bindings: [Binding]
    /// The approval requests with this reconcile's own writes applied.
    var approvals: [String: ApprovalRequest]
    var bindingWrites: [Binding] = []
    var bindingDeletions: [String] = []
    /// Indices into `bindings` and `bindingWrites` by binding name, so a stage that moves
    /// thousands of members does not search the placement's bindings for each.
    private var bindingPositions: [String: Int]?
    private var writePositions: [String: Int] = [:]
    private var deleted: Set<String> = []
    var approvalWrites: [ApprovalRequest] = []
    var events: [RolloutEvent] = []
    var nextWakeup: Date?

    init(run: UpdateRun, inputs: RolloutInputs) {
        self.run = run
        self.inputs = inputs
        self.bindings = inputs.bindings
        self.approvals = inputs.approvalRequests
    }

    var now: Date { inputs.now }
    var generation: Int { run.meta.generation }
    var placementKey: ObjectKey {
        ObjectKey(namespace: run.meta.namespace, name: run.spec.placementName)
    }
    var strategyKey: ObjectKey {
        ObjectKey(namespace: run.meta.namespace, name: run.spec.stagedRolloutStrategyName)
    }

    func result(comparedWith original: UpdateRun) -> RolloutResult {
        let changed = run != original || !bindingWrites.isEmpty || !bindingDeletions.isEmpty
            || !approvalWrites.isEmpty
        return RolloutResult(
            run: run, bindingUpdates: bindingWrites, bindingDeletions: bindingDeletions,
            approvalRequests: approvalWrites, events: events, nextWakeup: nextWakeup,
            changed: changed)
    }

    // MARK: - The pass loop

    mutating func reconcile() {
        guard !run.status.isTerminal else { return }
        run.status.setObservedGeneration(generation)
        stripApprovalWaitTimes()

        var position = StagePosition.update(0)
        var collected = CollectedBindings(selected: [], toBeDeleted: [])
        var needsValidation = true
        if !run.status.isInitializationDecided {
            let before = run
            do {
                collected = try initialize()
            } catch {
                switch error.severity {
                case .fatal:
                    run.status.markInitializationFailed(
                        error.message, generation: generation, now: now)
                    events.append(.initializationFailed(message: error.message))
                case .retriable:
                    run = before
                    retry(error)
                }
                return
            }
            // KubeFleet goes on with stage 0 right after initializing, without validating.
            needsValidation = false
        }

        // Each stage completes or is skipped at most once per reconcile, so this bounds the
        // loop; going past it only means the next tick carries on.
        let maxPasses = run.status.stagesStatus.count + 3
        for _ in 0..<maxPasses {
            if needsValidation {
                let before = run
                do {
                    (position, collected) = try validate()
                } catch {
                    switch error.severity {
                    case .fatal: fail(error.message)
                    case .retriable:
                        run = before
                        retry(error)
                    }
                    return
                }
            }
            needsValidation = true
            if position == .finished {
                succeed()
                return
            }
            let outcome: PassOutcome
            switch run.spec.state {
            case .initialize: return
            case .run: outcome = execute(position, collected)
            case .stop: outcome = stop(position, collected)
            }
            switch outcome {
            case .continueNow: continue
            case let .wait(interval):
                nextWakeup = now.addingTimeInterval(interval)
                return
            case .finished:
                succeed()
                return
            case .settled: return
            }
        }
        nextWakeup = now
    }

    /// A fatal error ends the run; the stage it came from fails with it.
    mutating func settle(_ error: RolloutError, at position: StagePosition) -> PassOutcome {
        switch error.severity {
        case .retriable:
            retry(error)
            return .wait(RolloutTiming.clusterUpdatingWait)
        case .fatal:
            let (generation, now) = (self.generation, self.now)
            switch position {
            case let .update(index) where run.status.stagesStatus.indices.contains(index):
                run.status.stagesStatus[index].markFailed(
                    error.message, generation: generation, now: now)
            case .update, .finished: break
            case .deletion:
                run.status.deletionStageStatus?.markFailed(
                    error.message, generation: generation, now: now)
            }
            fail(error.message)
            return .settled
        }
    }

    mutating func succeed() {
        run.status.markSucceeded(generation: generation, now: now)
        events.append(.runSucceeded)
    }

    mutating func fail(_ message: String) {
        run.status.markFailed(message, generation: generation, now: now)
        events.append(.runFailed(message: message))
    }

    mutating func retry(_ error: RolloutError) {
        events.append(.retrying(message: error.message))
        nextWakeup = now.addingTimeInterval(RolloutTiming.clusterUpdatingWait)
    }

    /// Approval tasks never wait; KubeFleet drops a waitTime from them on every reconcile.
    mutating func stripApprovalWaitTimes() {
        guard var stages = run.status.stagedUpdateStrategySnapshot else { return }
        for index in stages.indices {
            stages[index] = StrategySnapshot.copy(of: stages[index])
        }
        run.status.stagedUpdateStrategySnapshot = stages
    }

    // MARK: - Writes

    mutating func write(_ binding: Binding) {
        let name = binding.name
        if bindingPositions == nil {
            bindingPositions = Dictionary(
                bindings.enumerated().map { ($1.name, $0) },
                uniquingKeysWith: { first, _ in first })
        }
        if let index = bindingPositions?[name] {
            bindings[index] = binding
        } else {
            bindingPositions?[name] = bindings.count
            bindings.append(binding)
        }
        if let index = writePositions[name] {
            bindingWrites[index] = binding
        } else {
            writePositions[name] = bindingWrites.count
            bindingWrites.append(binding)
        }
    }

    /// Deletions are rare (members leaving), so they pay for finding the binding again.
    mutating func delete(binding name: String) {
        bindings.removeAll { $0.name == name }
        bindingPositions = nil
        if writePositions[name] != nil {
            bindingWrites.removeAll { $0.name == name }
            writePositions = Dictionary(
                bindingWrites.enumerated().map { ($1.name, $0) },
                uniquingKeysWith: { first, _ in first })
        }
        if deleted.insert(name).inserted { bindingDeletions.append(name) }
    }

    mutating func write(_ request: ApprovalRequest) {
        approvals[request.meta.name] = request
        if let index = approvalWrites.firstIndex(where: { $0.meta.name == request.meta.name }) {
            approvalWrites[index] = request
        } else {
            approvalWrites.append(request)
        }
    }
}

/// Byte order, as Go sorts strings, so that orders never depend on Unicode collation.
func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
