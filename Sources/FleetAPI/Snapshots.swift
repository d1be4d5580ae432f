import Foundation
import FleetYAML

/// A ClusterResourceSnapshot or ResourceSnapshot: the selected content of one commit.
///
/// gitfleet keeps each snapshot group in one object (one file), so there are no sub-parts and
/// `number-of-resource-snapshots` is always 1.
package struct ResourceSnapshot: Equatable, Sendable {
    package var meta: ObjectMeta
    package var placementName: String
    package var index: Int
    package var isLatest: Bool
    /// SHA-256 over the canonical form of the selected resources.
    package var resourceHash: String
    package var envelopeCount: Int
    package var sourceCommit: String
    /// The stripped, sorted resources, with each scalar's text and style as authored.
    package var selectedResources: [YAMLNode]

    package init(
        meta: ObjectMeta, placementName: String, index: Int, isLatest: Bool, resourceHash: String,
        envelopeCount: Int = 0, sourceCommit: String, selectedResources: [YAMLNode]
    ) {
        self.meta = meta
        self.placementName = placementName
        self.index = index
        self.isLatest = isLatest
        self.resourceHash = resourceHash
        self.envelopeCount = envelopeCount
        self.sourceCommit = sourceCommit
        self.selectedResources = selectedResources
    }

    package var scope: FleetScope { meta.namespace == nil ? .cluster : .namespaced }
    package var kind: FleetKind { .resourceSnapshot(scope) }

    /// `<placement>-<index>-snapshot`.
    package static func name(placement: String, index: Int) -> String {
        "\(placement)-\(index)-snapshot"
    }
}

/// A ClusterSchedulingPolicySnapshot or SchedulingPolicySnapshot: one version of a placement's
/// policy and the scheduler's decisions for it.
package struct PolicySnapshot: Hashable, Sendable {
    package var meta: ObjectMeta
    package var placementName: String
    package var index: Int
    package var isLatest: Bool
    package var policy: PlacementPolicy?
    /// Hash of the policy with numberOfClusters left out.
    package var policyHash: String
    /// PickN's N, from the `number-of-clusters` annotation.
    package var numberOfClusters: Int?
    package var placementGeneration: Int
    /// The clusters the scheduler picked, sorted by name.
    package var targetClusters: [String]
    package var conditions: Conditions<PolicySnapshotConditionType>

    package init(
        meta: ObjectMeta, placementName: String, index: Int, isLatest: Bool,
        policy: PlacementPolicy?, policyHash: String, numberOfClusters: Int? = nil,
        placementGeneration: Int, targetClusters: [String] = [],
        conditions: Conditions<PolicySnapshotConditionType> = Conditions()
    ) {
        self.meta = meta
        self.placementName = placementName
        self.index = index
        self.isLatest = isLatest
        self.policy = policy
        self.policyHash = policyHash
        self.numberOfClusters = numberOfClusters
        self.placementGeneration = placementGeneration
        self.targetClusters = targetClusters
        self.conditions = conditions
    }

    package var scope: FleetScope { meta.namespace == nil ? .cluster : .namespaced }
    package var kind: FleetKind { .policySnapshot(scope) }

    /// `<placement>-<index>`.
    package static func name(placement: String, index: Int) -> String {
        "\(placement)-\(index)"
    }
}
