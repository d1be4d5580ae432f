import Foundation
import FleetAPI
import FleetYAML

/// What a resource snapshot holds for a set of selected resources: the stripped objects in
/// snapshot order, their hash and the number of envelopes among them.
package struct SnapshotContent: Equatable, Sendable {
    /// The stripped objects, in snapshot order, as the snapshot's `selectedResources`.
    package var resources: [YAMLNode]
    /// SHA-256 (lower-case hex) of the canonical JSON of `{"selectedResources":[...]}`.
    package var hash: String
    /// How many ClusterResourceEnvelope and ResourceEnvelope objects are among them.
    package var envelopeCount: Int

    /// Sorts, strips and hashes `selected`, which may come in any order.
    package init(selected: [WorkloadResource]) {
        let ordered = ResourceOrder.sorted(selected)
        resources = ordered.map(ResourceStripping.strip)
        // Each resource's canonical JSON, as `hash(of:)` would write it inside the list.
        var document = Array(Self.documentStart.utf8)
        for (index, resource) in ordered.enumerated() {
            if index > 0 { document.append(UInt8(ascii: ",")) }
            if let json = resource.snapshotJSON {
                document.append(contentsOf: json)
            } else {
                document.append(contentsOf: CanonicalJSON.bytes(resources[index]))
            }
        }
        document.append(contentsOf: Self.documentEnd.utf8)
        hash = SHA256.hex(document)
        envelopeCount = ordered.count { SkipRules.envelopeKinds.contains(GroupKind($0.gvk)) }
    }

    /// The content hash of already stripped and sorted resources.
    package static func hash(of resources: [YAMLNode]) -> String {
        let document = YAMLNode.mapping([("selectedResources", .sequence(resources))])
        return SHA256.hex(CanonicalJSON.bytes(document))
    }

    /// What `snapshotJSON` of `resource` must hold.
    package static func snapshotJSON(of resource: WorkloadResource) -> [UInt8] {
        CanonicalJSON.bytes(ResourceStripping.strip(resource))
    }

    // `hash(of:)`'s document around its list: `{"selectedResources":[...]}`.
    private static let documentStart = #"{"selectedResources":["#
    private static let documentEnd = "]}"
}

/// What `SnapshotStore.getOrCreate` decided for one placement.
package struct SnapshotDecision: Equatable, Sendable {
    /// Snapshots to write, by index: a new one, and older ones whose is-latest label changed.
    package var snapshots: [ResourceSnapshot]
    /// Snapshots to delete (pruned by `revisionHistoryLimit`), by name.
    package var deletedNames: [String]
    /// The resource index the content is held under.
    package var indexUsed: Int
    /// True when a new snapshot was made.
    package var created: Bool
    /// The snapshot holding the content, as it is after this decision.
    package var latest: ResourceSnapshot
}

/// Resource snapshot get-or-create (rollout-semantics 2) without KubeFleet's creation throttle:
/// in gitfleet a snapshot is the content of one commit (design.md 8).
package enum SnapshotStore {
    /// The snapshot holding `selected` for `placement`: the latest one when its hash matches,
    /// else a new one at the next index; `existing` may include other placements' snapshots.
    package static func getOrCreate(
        placement: Placement, selected: [WorkloadResource], existing: [ResourceSnapshot],
        sourceCommit: String, now: Date
    ) -> SnapshotDecision {
        getOrCreate(
            placement: placement, content: SnapshotContent(selected: selected),
            existing: existing, sourceCommit: sourceCommit, now: now)
    }

    /// The same, for content already computed (for example to compare hashes first).
    package static func getOrCreate(
        placement: Placement, content: SnapshotContent, existing: [ResourceSnapshot],
        sourceCommit: String, now: Date
    ) -> SnapshotDecision {
        let mine = existing.filter {
            $0.placementName == placement.meta.name && $0.meta.namespace == placement.meta.namespace
        }
        let latest = mine.filter(\.isLatest).max { $0.index < $1.index }
            ?? mine.max { $0.index < $1.index }
        var writes: [String: ResourceSnapshot] = [:]

        if let latest, latest.resourceHash == content.hash {
            for snapshot in mine where snapshot.isLatest && snapshot.meta.name != latest.meta.name {
                writes[snapshot.meta.name] = marked(snapshot, latest: false)
            }
            var reused = latest
            if !latest.isLatest {
                reused = marked(latest, latest: true)
                writes[reused.meta.name] = reused
            }
            return SnapshotDecision(
                snapshots: sortedByIndex(writes), deletedNames: [], indexUsed: latest.index,
                created: false, latest: reused)
        }

        for snapshot in mine where snapshot.isLatest {
            writes[snapshot.meta.name] = marked(snapshot, latest: false)
        }
        // Keep the newest `limit - 1` groups so that, with the new one, `limit` remain.
        let limit = max(1, placement.spec.revisionHistoryLimit)
        var deleted: [String] = []
        if mine.count >= limit {
            let newestFirst = mine.sorted { $0.index > $1.index }
            deleted = newestFirst.dropFirst(limit - 1).map(\.meta.name).sorted()
            for name in deleted { writes[name] = nil }
        }
        // Indices only grow, even when the highest was pruned by hand.
        let index = (mine.map(\.index).max() ?? -1) + 1
        let created = makeSnapshot(
            placement: placement, index: index, content: content, sourceCommit: sourceCommit,
            now: now)
        writes[created.meta.name] = created
        return SnapshotDecision(
            snapshots: sortedByIndex(writes), deletedNames: deleted, indexUsed: index,
            created: true, latest: created)
    }

    static func makeSnapshot(
        placement: Placement, index: Int, content: SnapshotContent, sourceCommit: String,
        now: Date
    ) -> ResourceSnapshot {
        let name = ResourceSnapshot.name(placement: placement.meta.name, index: index)
        let meta = ObjectMeta(
            name: name, namespace: placement.meta.namespace,
            labels: [
                FleetLabel.parentPlacement: placement.meta.name,
                FleetLabel.resourceIndex: String(index),
                FleetLabel.isLatestSnapshot: "true",
            ],
            annotations: [
                FleetAnnotation.resourceHash: content.hash,
                FleetAnnotation.numberOfResourceSnapshots: "1",
                FleetAnnotation.numberOfEnvelopedObjects: String(content.envelopeCount),
                FleetAnnotation.sourceCommit: sourceCommit,
            ],
            creationTimestamp: now)
        return ResourceSnapshot(
            meta: meta, placementName: placement.meta.name, index: index, isLatest: true,
            resourceHash: content.hash, envelopeCount: content.envelopeCount,
            sourceCommit: sourceCommit, selectedResources: content.resources)
    }

    static func marked(_ snapshot: ResourceSnapshot, latest: Bool) -> ResourceSnapshot {
        var copy = snapshot
        copy.isLatest = latest
        copy.meta.labels[FleetLabel.isLatestSnapshot] = latest ? "true" : "false"
        return copy
    }

    private static func sortedByIndex(_ writes: [String: ResourceSnapshot]) -> [ResourceSnapshot] {
        writes.values.sorted { $0.index < $1.index }
    }
}
