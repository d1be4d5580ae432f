import Foundation
import FleetAPI
import FleetYAML

/// The hash that decides when a placement's policy needs a new policy snapshot.
package enum PolicyHash {
    /// SHA-256 of the canonical JSON of the policy with `numberOfClusters` left out, so that
    /// scaling a PickN placement keeps its snapshot. A missing policy hashes like the PickAll
    /// policy it means, so writing the default out does not make a new snapshot.
    package static func hash(_ policy: PlacementPolicy?) -> String {
        SHA256.hex(CanonicalJSON.bytes(node(policy ?? PlacementPolicy())))
    }

    static func node(_ policy: PlacementPolicy) -> YAMLNode {
        .mapping([
            ("placementType", .string(policy.placementType.rawValue)),
            ("clusterNames", policy.clusterNames.isEmpty
                ? nil : .sequence(policy.clusterNames.map(YAMLNode.string))),
            ("affinity", policy.affinity.map(node)),
        ])
    }

    static func node(_ affinity: ClusterAffinity) -> YAMLNode {
        let required = affinity.requiredTerms.map { terms in
            YAMLNode.mapping([
                ("clusterSelectorTerms", .sequence(terms.map { term in
                    YAMLNode.mapping([("labelSelector", node(term))])
                })),
            ])
        }
        let preferred = affinity.preferred.map { term in
            YAMLNode.mapping([
                ("weight", .int(term.weight)),
                ("preference", .mapping([("labelSelector", node(term.preference))])),
            ])
        }
        return .mapping([
            ("clusterAffinity", .mapping([
                ("requiredDuringSchedulingIgnoredDuringExecution", required),
                ("preferredDuringSchedulingIgnoredDuringExecution",
                 preferred.isEmpty ? nil : .sequence(preferred)),
            ])),
        ])
    }

    static func node(_ selector: LabelSelector) -> YAMLNode {
        let labels = selector.matchLabels.sorted { $0.key < $1.key }
        return .mapping([
            ("matchLabels", labels.isEmpty
                ? nil : .mapping(labels.map { ($0.key, YAMLNode.string($0.value)) })),
            ("matchExpressions", selector.matchExpressions.isEmpty
                ? nil : .sequence(selector.matchExpressions.map { requirement in
                    YAMLNode.mapping([
                        ("key", .string(requirement.key)),
                        ("operator", .string(requirement.operator.rawValue)),
                        ("values", requirement.values.isEmpty
                            ? nil : .sequence(requirement.values.map(YAMLNode.string))),
                    ])
                })),
        ])
    }
}

/// What `PolicySnapshotStore.getOrCreate` decided.
struct PolicySnapshotUpdate {
    var latest: PolicySnapshot
    /// Older snapshots whose is-latest label changed, by name.
    var flipped: [String: PolicySnapshot]
    var deletedNames: [String]
}

/// Policy snapshot get-or-create (rollout-semantics 1.3): a new index only when the policy hash
/// changes; a new N or placement generation is written on the existing snapshot.
enum PolicySnapshotStore {
    static func getOrCreate(
        placement: Placement, existing mine: [PolicySnapshot], now: Date
    ) -> PolicySnapshotUpdate {
        let hash = PolicyHash.hash(placement.spec.policy)
        let latest = mine.filter(\.isLatest).max { $0.index < $1.index }
            ?? mine.max { $0.index < $1.index }
        var flipped: [String: PolicySnapshot] = [:]

        if let latest, latest.policyHash == hash {
            for snapshot in mine where snapshot.isLatest && snapshot.meta.name != latest.meta.name {
                flipped[snapshot.meta.name] = marked(snapshot, latest: false)
            }
            var current = marked(latest, latest: true)
            current.policy = placement.spec.policy
            current.placementGeneration = placement.meta.generation
            current.meta.annotations[FleetAnnotation.placementGeneration] =
                String(placement.meta.generation)
            current.numberOfClusters = numberOfClusters(placement)
            current.meta.annotations[FleetAnnotation.numberOfClusters] =
                current.numberOfClusters.map(String.init)
            return PolicySnapshotUpdate(latest: current, flipped: flipped, deletedNames: [])
        }

        for snapshot in mine where snapshot.isLatest {
            flipped[snapshot.meta.name] = marked(snapshot, latest: false)
        }
        let limit = max(1, placement.spec.revisionHistoryLimit)
        var deleted: [String] = []
        if mine.count >= limit {
            deleted = mine.sorted { $0.index > $1.index }.dropFirst(limit - 1)
                .map(\.meta.name).sorted()
            for name in deleted { flipped[name] = nil }
        }
        let index = (mine.map(\.index).max() ?? -1) + 1
        let created = makeSnapshot(placement: placement, index: index, hash: hash, now: now)
        return PolicySnapshotUpdate(latest: created, flipped: flipped, deletedNames: deleted)
    }

    static func numberOfClusters(_ placement: Placement) -> Int? {
        guard let policy = placement.spec.policy, policy.placementType == .pickN else { return nil }
        return policy.numberOfClusters ?? 0
    }

    static func makeSnapshot(
        placement: Placement, index: Int, hash: String, now: Date
    ) -> PolicySnapshot {
        let count = numberOfClusters(placement)
        var annotations = [FleetAnnotation.placementGeneration: String(placement.meta.generation)]
        annotations[FleetAnnotation.numberOfClusters] = count.map(String.init)
        let meta = ObjectMeta(
            name: PolicySnapshot.name(placement: placement.meta.name, index: index),
            namespace: placement.meta.namespace,
            labels: [
                FleetLabel.parentPlacement: placement.meta.name,
                FleetLabel.isLatestSnapshot: "true",
                FleetLabel.policyIndex: String(index),
            ],
            annotations: annotations, creationTimestamp: now)
        return PolicySnapshot(
            meta: meta, placementName: placement.meta.name, index: index, isLatest: true,
            policy: placement.spec.policy, policyHash: hash, numberOfClusters: count,
            placementGeneration: placement.meta.generation)
    }

    static func marked(_ snapshot: PolicySnapshot, latest: Bool) -> PolicySnapshot {
        var copy = snapshot
        copy.isLatest = latest
        copy.meta.labels[FleetLabel.isLatestSnapshot] = latest ? "true" : "false"
        return copy
    }
}
