import Foundation

package enum ConditionStatus: String, CaseIterable, Hashable, Sendable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}

/// The condition types of one level of status (run, stage, cluster, task, ...).
package protocol ConditionType: RawRepresentable, Hashable, Sendable where RawValue == String {}

/// A `metav1.Condition`. `lastTransitionTime` changes only when `status` changes.
package struct Condition<Kind: ConditionType>: Hashable, Sendable {
    package var type: Kind
    package var status: ConditionStatus
    package var reason: String
    package var message: String
    package var observedGeneration: Int
    package var lastTransitionTime: Date

    package init(
        type: Kind, status: ConditionStatus, reason: String, message: String = "",
        observedGeneration: Int, lastTransitionTime: Date
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
    }
}

/// An ordered list of conditions with at most one per type.
package struct Conditions<Kind: ConditionType>: Hashable, Sendable {
    package var items: [Condition<Kind>]

    package init(_ items: [Condition<Kind>] = []) {
        self.items = items
    }

    // Inlinable, so other modules get code specialised for their condition type: the
    // generic version looks up type metadata on each call, and rollouts call these for
    // every cluster of every stage.
    @inlinable
    package subscript(type: Kind) -> Condition<Kind>? {
        items.first { $0.type == type }
    }

    /// True when the condition exists with status True (at `generation`, when given).
    @inlinable
    package func isTrue(_ type: Kind, generation: Int? = nil) -> Bool {
        guard let c = self[type], c.status == .true else { return false }
        return generation.map { c.observedGeneration == $0 } ?? true
    }

    @inlinable
    package func isFalse(_ type: Kind, generation: Int? = nil) -> Bool {
        guard let c = self[type], c.status == .false else { return false }
        return generation.map { c.observedGeneration == $0 } ?? true
    }

    /// Sets a condition; the transition time moves to `now` only when the status changes.
    package mutating func set(
        _ type: Kind, _ status: ConditionStatus, reason: String, message: String = "",
        generation: Int, now: Date
    ) {
        if let index = items.firstIndex(where: { $0.type == type }) {
            let old = items[index]
            items[index] = Condition(
                type: type, status: status, reason: reason, message: message,
                observedGeneration: generation,
                lastTransitionTime: old.status == status ? old.lastTransitionTime : now)
        } else {
            items.append(Condition(
                type: type, status: status, reason: reason, message: message,
                observedGeneration: generation, lastTransitionTime: now))
        }
    }

    package mutating func remove(_ type: Kind) {
        items.removeAll { $0.type == type }
    }
}

// MARK: - Condition types, one enum per level

package enum UpdateRunConditionType: String, ConditionType {
    case initialized = "Initialized"
    case progressing = "Progressing"
    case succeeded = "Succeeded"
}

package enum StageConditionType: String, ConditionType {
    case progressing = "Progressing"
    case succeeded = "Succeeded"
}

package enum ClusterUpdatingConditionType: String, ConditionType {
    case started = "Started"
    case succeeded = "Succeeded"
}

package enum StageTaskConditionType: String, ConditionType {
    case approvalRequestCreated = "ApprovalRequestCreated"
    case approvalRequestApproved = "ApprovalRequestApproved"
    case waitTimeElapsed = "WaitTimeElapsed"
}

package enum ApprovalRequestConditionType: String, ConditionType {
    case approved = "Approved"
    case approvalAccepted = "ApprovalAccepted"
    /// Written by gitfleet when it did not accept an `Approved` condition or an edit of the
    /// request (an approver rule, a missing signature, a forbidden edit); the message says why.
    case approvalRefused = "ApprovalRefused"
}

package enum BindingConditionType: String, ConditionType {
    case rolloutStarted = "RolloutStarted"
    case overridden = "Overridden"
    case workSynchronized = "WorkSynchronized"
    case applied = "Applied"
    case available = "Available"
    case diffReported = "DiffReported"
}

package enum PolicySnapshotConditionType: String, ConditionType {
    case scheduled = "Scheduled"
}

/// Placement conditions; written with the flavour's prefix (`ClusterResourcePlacementScheduled`
/// or `ResourcePlacementScheduled`).
package enum PlacementConditionType: String, ConditionType {
    case scheduled = "Scheduled"
    case rolloutStarted = "RolloutStarted"
    case overridden = "Overridden"
    case workSynchronized = "WorkSynchronized"
    case applied = "Applied"
    case available = "Available"
}

/// A condition type gitfleet does not know, such as one a user wrote by hand; kept as is.
package struct AnyConditionType: ConditionType {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
}
