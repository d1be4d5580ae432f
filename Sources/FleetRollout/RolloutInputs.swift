import FleetAPI
import Foundation

/// Everything one reconcile of one update run may look at, as the sync engine sees it this tick.
///
/// All collections hold the current state, including what earlier runs wrote in this tick, so
/// that runs sharing a placement see each other's binding writes in a deterministic order.
package struct RolloutInputs: Sendable {
    /// The run's placement (same namespace), nil when it does not exist.
    package var placement: Placement?
    /// Every policy snapshot of the placement.
    package var policySnapshots: [PolicySnapshot]
    /// Every binding of the placement.
    package var bindings: [Binding]
    /// Every member cluster, by name.
    package var members: [String: MemberCluster]
    /// The names of `members` in byte order, when the caller sorted them once for many runs
    /// (`sortedNames(of:)`); the reconciler sorts them itself when the count differs.
    package var memberOrder: [String] = []
    /// The strategy the run names, nil when it does not exist; read only at initialization.
    package var strategy: StagedUpdateStrategy?
    /// The placement's resource snapshots, to resolve an explicit `resourceSnapshotIndex`.
    package var resourceSnapshots: [ResourceSnapshot]
    /// For a run that omits `resourceSnapshotIndex`: the index of the snapshot the engine got or
    /// created for the content of the commit that added the run; nil when none could be made.
    package var currentContentSnapshotIndex: Int?
    /// Why no snapshot could be made for that content (a selection error), when none was.
    package var contentSnapshotProblem: String?
    /// The approval requests in the run's scope (cluster scope or its namespace), by name.
    package var approvalRequests: [String: ApprovalRequest]
    /// The tick's clock; the machine reads no other.
    package var now: Date

    /// Creates the inputs; collections default to empty.
    package init(
        placement: Placement?, policySnapshots: [PolicySnapshot] = [], bindings: [Binding] = [],
        members: [String: MemberCluster] = [:], strategy: StagedUpdateStrategy?,
        resourceSnapshots: [ResourceSnapshot] = [], currentContentSnapshotIndex: Int? = nil,
        approvalRequests: [String: ApprovalRequest] = [:], now: Date
    ) {
        self.placement = placement
        self.policySnapshots = policySnapshots
        self.bindings = bindings
        self.members = members
        self.strategy = strategy
        self.resourceSnapshots = resourceSnapshots
        self.currentContentSnapshotIndex = currentContentSnapshotIndex
        self.approvalRequests = approvalRequests
        self.now = now
    }
}

extension RolloutInputs {
    /// Member names in the order the reconciler places them in stages.
    package static func sortedNames(of members: [String: MemberCluster]) -> [String] {
        members.keys.sorted(by: byteOrder)
    }
}

/// What one reconcile decided: the run's new status and the writes the engine must apply.
package struct RolloutResult: Sendable {
    /// The run with its new status; its spec and metadata are never changed.
    package var run: UpdateRun
    /// Bindings to write whole, in the order they were written: state Bound, the run's snapshot
    /// and apply strategy (generation bumped when the spec changed), and `RolloutStarted`.
    package var bindingUpdates: [Binding]
    /// Names of bindings to delete (the deletion stage); the member keeps its resources
    /// only when it already left the fleet.
    package var bindingDeletions: [String]
    /// Approval requests to create, or to write with `ApprovalAccepted` added.
    package var approvalRequests: [ApprovalRequest]
    /// What happened, for the commit message and logs; events alone never need a commit.
    package var events: [RolloutEvent]
    /// When the run wants to be looked at again (a timed wait ends, a poll is due); nil when
    /// only a new commit can move it (finished, stopped, waiting in `Initialize`).
    package var nextWakeup: Date?
    /// True when the run's status changed or there is something to write.
    package var changed: Bool

    /// Creates a result.
    package init(
        run: UpdateRun, bindingUpdates: [Binding] = [], bindingDeletions: [String] = [],
        approvalRequests: [ApprovalRequest] = [], events: [RolloutEvent] = [],
        nextWakeup: Date? = nil, changed: Bool = false
    ) {
        self.run = run
        self.bindingUpdates = bindingUpdates
        self.bindingDeletions = bindingDeletions
        self.approvalRequests = approvalRequests
        self.events = events
        self.nextWakeup = nextWakeup
        self.changed = changed
    }
}

/// Something a reconcile did or noticed, worth a line in the commit message or the log.
package enum RolloutEvent: Hashable, Sendable {
    /// The run was initialized: its stages, clusters and snapshot are recorded.
    case initialized
    /// Initialization failed for good; the message is the `Initialized` condition's.
    case initializationFailed(message: String)
    /// A stage with no clusters was skipped, its tasks with it.
    case stageSkipped(stage: String)
    /// The member's binding now names the run's snapshot (or already did).
    case memberStarted(member: String, snapshot: String)
    /// The member's update was confirmed.
    case memberSucceeded(member: String)
    /// The member's binding was taken over (usually by another run); the run fails.
    case memberFailed(member: String, message: String)
    /// The member reports a failure; retried, never fatal.
    case memberUpdateFailing(member: String, message: String)
    /// Members have been updating for more than five minutes.
    case stuck(stage: String, members: [String])
    /// An approval request was created (or created again after a deletion).
    case waitingForApproval(name: String)
    /// An approved request was accepted; it cannot be revoked any more.
    case approvalAccepted(name: String)
    /// A stage's after-stage TimedWait has run out.
    case waitTimeElapsed(stage: String)
    /// A stage (the deletion stage included) completed.
    case stageSucceeded(stage: String)
    /// The binding of a member the placement dropped was deleted.
    case bindingDeleted(member: String, binding: String)
    /// A deleted member's binding is gone.
    case memberRemoved(member: String)
    /// The run waits for members in flight before it counts as stopped.
    case stopping
    /// The run is stopped and waits to be set back to Run.
    case stopped
    /// Every stage completed; the run is finished.
    case runSucceeded
    /// The run failed for good; the message is the `Succeeded` condition's.
    case runFailed(message: String)
    /// A transient problem; the run is looked at again on a later tick.
    case retrying(message: String)
}

extension RolloutEvent: CustomStringConvertible {
    /// One lower-case line, e.g. `member 'member2' started on snapshot 'app-1-snapshot'`.
    package var description: String {
        switch self {
        case .initialized: return "initialized"
        case let .initializationFailed(message): return "initialization failed: \(message)"
        case let .stageSkipped(stage): return "stage '\(stage)' skipped, it has no clusters"
        case let .memberStarted(member, snapshot):
            return "member '\(member)' started on snapshot '\(snapshot)'"
        case let .memberSucceeded(member): return "member '\(member)' updated"
        case let .memberFailed(member, message): return "member '\(member)' failed: \(message)"
        case let .memberUpdateFailing(member, message):
            return "member '\(member)' reports a failure: \(message)"
        case let .stuck(stage, members):
            let names = members.map { "'\($0)'" }.joined(separator: ", ")
            return "stuck in stage '\(stage)' waiting for \(names)"
        case let .waitingForApproval(name): return "waiting for approval '\(name)'"
        case let .approvalAccepted(name): return "approval '\(name)' accepted"
        case let .waitTimeElapsed(stage): return "wait time of stage '\(stage)' elapsed"
        case let .stageSucceeded(stage): return "stage '\(stage)' succeeded"
        case let .bindingDeleted(member, binding):
            return "binding '\(binding)' of member '\(member)' deleted"
        case let .memberRemoved(member): return "member '\(member)' removed"
        case .stopping: return "stopping"
        case .stopped: return "stopped"
        case .runSucceeded: return "succeeded"
        case let .runFailed(message): return "failed: \(message)"
        case let .retrying(message): return "retrying: \(message)"
        }
    }
}
