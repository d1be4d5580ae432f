import FleetAPI
import FleetGit
import FleetYAML
import Foundation

/// The annotation on a run that reports the latest refused edit of its status file.
package enum TrustAnnotation {
    /// `gitfleet.io/refused-edit`: the refused edits of the run's file, joined by `; `.
    package static let refusedEdit = "gitfleet.io/refused-edit"
}

extension TrustCheck {
    /// Placement `errors` entries that report refused edits start so; each report replaces the
    /// previous one, and the next snapshot of the placement clears them with its other errors.
    static let errorPrefix = "refused edit"

    /// After the runs advanced: gives forged approval requests gitfleet's spec back, and
    /// reports refused edits in the status of the objects they concern.
    func finish(_ planner: inout TickPlanner) {
        let now = self.now
        planner.updateStatus { status in
            for (key, original) in forged {
                guard var request = status.approvalRequests[key] else { continue }
                guard let original else {
                    status.approvalRequests[key] = nil
                    continue
                }
                request.parentStageRollout = original.parentStageRollout
                request.targetStage = original.targetStage
                status.approvalRequests[key] = request
            }
            for (subject, lines) in reports {
                switch subject {
                case let .placement(key):
                    guard var placementStatus = status.placementStatuses[key] else { continue }
                    placementStatus.errors.removeAll { $0.hasPrefix(Self.errorPrefix) }
                    placementStatus.errors += lines.prefix(10)
                    status.placementStatuses[key] = placementStatus
                case let .run(key):
                    guard var run = status.updateRuns[key] else { continue }
                    run.meta.annotations[TrustAnnotation.refusedEdit] =
                        String(lines.joined(separator: "; ").prefix(500))
                    status.updateRuns[key] = run
                case let .approvalRequest(key):
                    guard var request = status.approvalRequests[key] else { continue }
                    var messages = lines
                    var reason = "EditRefused"
                    if refusedApprovals.contains(key),
                       let refusal = request.conditions[.approvalRefused] {
                        messages.insert(refusal.message, at: 0)
                        reason = refusal.reason
                    }
                    request.conditions.set(
                        .approvalRefused, .true, reason: reason,
                        message: String(messages.joined(separator: "; ").prefix(1000)),
                        generation: request.meta.generation, now: now)
                    status.approvalRequests[key] = request
                }
            }
        }
    }

    /// Tree edits that put gitfleet's version back: every status file people touched, written
    /// from the final state, and every member folder they touched, taken from the baseline
    /// unless this tick renders it anyway.
    func restore(into edits: inout [String: TreeEdit], status: FleetState) throws {
        var own: [String: TreeEdit] = [:]
        for path in rewrite {
            own[path] = try encoded(path, in: status)
                .map { .blob(try repository.writeBlob($0), .blob) } ?? .delete
        }
        for unit in deployUnits where !Self.covered(unit, by: edits) {
            if let tree = try baselineTree.flatMap({ try repository.subtree(in: $0, path: unit) }) {
                own[unit] = .tree(tree)
            } else if let file = try baselineTree.flatMap({
                try repository.entry(in: $0, path: unit)
            }) {
                own[unit] = .blob(file.blob, file.mode)
            } else {
                own[unit] = .delete
            }
        }
        // A file put back where people made a folder replaces the folder and all inside it.
        for path in own.keys where own.keys.contains(where: { other in
            if case .blob = own[other] { return path.hasPrefix(other + "/") }
            return false
        }) {
            own[path] = nil
        }
        edits.merge(own) { _, restored in restored }
    }

    /// Whether an edit already replaces `path` or a folder above it.
    private static func covered(_ path: String, by edits: [String: TreeEdit]) -> Bool {
        edits.keys.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// gitfleet's bytes for a status file: the object of `state` that belongs there, or nil.
    private func encoded(_ path: String, in state: FleetState) throws -> [UInt8]? {
        guard let (kind, key) = StatusPath.parse(path, root: paths.config.statusFolder) else {
            return nil
        }
        let object: FleetObject?
        switch kind {
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            object = state.updateRuns[key].map(FleetObject.updateRun)
        case .clusterApprovalRequest, .approvalRequest:
            object = state.approvalRequests[key].map(FleetObject.approvalRequest)
        case .clusterResourceSnapshot, .resourceSnapshot:
            object = state.resourceSnapshots[key].map(FleetObject.resourceSnapshot)
        case .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
            object = state.policySnapshots[key].map(FleetObject.policySnapshot)
        case .clusterResourcePlacement, .resourcePlacement:
            object = state.placementStatuses[key].map(FleetObject.placementStatus)
        case .memberCluster, .clusterStagedUpdateStrategy, .stagedUpdateStrategy,
             .clusterResourceBinding, .resourceBinding, .clusterResourceOverride,
             .resourceOverride, .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot:
            object = nil
        }
        guard let object, object.kind == kind else { return nil }
        return Array(try YAMLWriter.write(FleetEncoder.encode(object, layout: .statusFile)).utf8)
    }

    /// The rules in force and the refused edits, for `status/sync.yaml`. A tick that saw no new
    /// commits keeps the previous list, so idle ticks commit nothing.
    func record(into state: inout SyncState, previous: SyncState) {
        state.approverPolicy = policy == .open ? nil : policy
        state.refusedEdits = range.isEmpty ? previous.refusedEdits : refusedLines
    }
}
