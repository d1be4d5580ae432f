/// A member cluster of the fleet. Its labels drive scheduling, stage membership and order.
package struct MemberCluster: Hashable, Sendable {
    package var meta: ObjectMeta

    package init(meta: ObjectMeta) {
        self.meta = meta
    }

    package var name: String { meta.name }

    /// The labels selectors see: the user's plus `kubernetes-fleet.io/member-name`.
    package var labels: [String: String] {
        var labels = meta.labels
        labels[FleetLabel.memberName] = meta.name
        return labels
    }

    /// How a member update is confirmed: by the push that renders it, or by the member's report.
    package enum Availability: String, CaseIterable, Hashable, Sendable {
        case pushed
        case reported
    }

    package var availability: Availability {
        meta.annotations[FleetAnnotation.availability] == "reported" ? .reported : .pushed
    }
}

extension [String: MemberCluster] {
    /// The members confirmed by their reports rather than by the push: most fleets have
    /// none, and then no binding needs a look at its member.
    package var reportingNames: Set<String> {
        Set(filter { $0.value.availability == .reported }.keys)
    }
}
