import Foundation

/// Whether an object lives at cluster scope or in a namespace. Every fleet kind except
/// MemberCluster comes in both flavours, and one Swift type serves both.
package enum FleetScope: String, Hashable, Sendable {
    case cluster
    case namespaced
}

/// Identifies an object of a known kind: its namespace (nil at cluster scope) and name.
package struct ObjectKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var namespace: String?
    package var name: String

    package init(namespace: String? = nil, name: String) {
        self.namespace = namespace
        self.name = name
    }

    package var scope: FleetScope { namespace == nil ? .cluster : .namespaced }

    /// `namespace/name`, or `name` at cluster scope, as KubeFleet's messages print keys.
    package var description: String {
        namespace.map { "\($0)/\(name)" } ?? name
    }

    package static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        ((lhs.namespace ?? ""), lhs.name) < ((rhs.namespace ?? ""), rhs.name)
    }
}

/// The metadata gitfleet reads and writes. Labels and annotations are sorted when written.
package struct ObjectMeta: Hashable, Sendable {
    package var name: String
    package var namespace: String?
    package var labels: [String: String]
    package var annotations: [String: String]
    /// Starts at 1; gitfleet bumps it on objects it owns when their spec changes.
    package var generation: Int
    package var creationTimestamp: Date?

    package init(
        name: String, namespace: String? = nil, labels: [String: String] = [:],
        annotations: [String: String] = [:], generation: Int = 1, creationTimestamp: Date? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.generation = generation
        self.creationTimestamp = creationTimestamp
    }

    package var key: ObjectKey { ObjectKey(namespace: namespace, name: name) }
}

/// Label and annotation keys shared by KubeFleet and gitfleet.
package enum FleetLabel {
    package static let prefix = "kubernetes-fleet.io/"
    package static let memberName = "kubernetes-fleet.io/member-name"
    package static let parentPlacement = "kubernetes-fleet.io/parent-CRP"
    package static let isLatestSnapshot = "kubernetes-fleet.io/is-latest-snapshot"
    package static let policyIndex = "kubernetes-fleet.io/policy-index"
    package static let resourceIndex = "kubernetes-fleet.io/resource-index"
    package static let targetUpdatingStage = "kubernetes-fleet.io/targetUpdatingStage"
    package static let targetUpdateRun = "kubernetes-fleet.io/targetUpdateRun"
    package static let taskType = "kubernetes-fleet.io/taskType"
    package static let isLatestUpdateRunApproval = "kubernetes-fleet.io/isLatestUpdateRunApproval"
}

package enum FleetAnnotation {
    package static let placementGeneration = "kubernetes-fleet.io/CRP-generation"
    package static let numberOfClusters = "kubernetes-fleet.io/number-of-clusters"
    package static let resourceHash = "kubernetes-fleet.io/resource-hash"
    package static let numberOfResourceSnapshots = "kubernetes-fleet.io/number-of-resource-snapshots"
    package static let numberOfEnvelopedObjects = "kubernetes-fleet.io/number-of-enveloped-object"
    package static let subindex = "kubernetes-fleet.io/subindex-of-resource-snapshot"

    /// The commit whose content a resource snapshot holds.
    package static let sourceCommit = "gitfleet.io/source-commit"
    /// On an External placement: the strategy used for the run gitfleet creates per commit.
    package static let stagedUpdateStrategy = "gitfleet.io/staged-update-strategy"
    /// On a MemberCluster: `reported` makes updates wait for the member's report.
    package static let availability = "gitfleet.io/availability"
}

/// RFC 3339 timestamps in UTC with second precision, the form Kubernetes writes.
package enum Timestamp {
    package static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    package static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).parse(text)
    }
}
