import Foundation
import Testing
import FleetAPI
import FleetPlacement
import FleetYAML

private let f = Fixture.self

/// Snapshots as an earlier tick left them: `indices` exist, `latest` carries is-latest=true.
private func existing(
    _ placement: Placement, indices: [Int], latest: Int?, content: [WorkloadResource] = []
) -> [ResourceSnapshot] {
    indices.map { index in
        var snapshot = SnapshotStore.getOrCreate(
            placement: placement, selected: content + [f.configMap("v\(index)", ns: "n")],
            existing: [], sourceCommit: "c\(index)", now: f.t0
        ).latest
        let name = ResourceSnapshot.name(placement: placement.meta.name, index: index)
        snapshot.meta.name = name
        snapshot.index = index
        snapshot.meta.labels[FleetLabel.resourceIndex] = String(index)
        snapshot.isLatest = index == latest
        snapshot.meta.labels[FleetLabel.isLatestSnapshot] = index == latest ? "true" : "false"
        return snapshot
    }
}

@Suite("Resource snapshot get-or-create")
struct SnapshotStoreTests {
    let placement = f.placement(selectors: [f.namespaceSelector("n")])
    let content = [f.resource("v1", "Namespace", "n"), f.configMap("cfg", ns: "n")]

    @Test("the first snapshot of a placement is index 0 (edge case 32)")
    func first() throws {
        let decision = SnapshotStore.getOrCreate(
            placement: placement, selected: content, existing: [], sourceCommit: "abc123",
            now: f.t0)
        #expect(decision.created)
        #expect(decision.indexUsed == 0)
        #expect(decision.deletedNames.isEmpty)
        let snapshot = try #require(decision.snapshots.first)
        #expect(decision.snapshots.count == 1)
        #expect(snapshot == decision.latest)
        #expect(snapshot.meta.name == "crp-0-snapshot")
        #expect(snapshot.meta.namespace == nil)
        #expect(snapshot.meta.labels == [
            "kubernetes-fleet.io/parent-CRP": "crp",
            "kubernetes-fleet.io/resource-index": "0",
            "kubernetes-fleet.io/is-latest-snapshot": "true",
        ])
        let hash = SnapshotContent(selected: content).hash
        #expect(snapshot.meta.annotations == [
            "kubernetes-fleet.io/resource-hash": hash,
            "kubernetes-fleet.io/number-of-resource-snapshots": "1",
            "kubernetes-fleet.io/number-of-enveloped-object": "0",
            "gitfleet.io/source-commit": "abc123",
        ])
        #expect(snapshot.meta.creationTimestamp == f.t0)
        #expect(snapshot.isLatest && snapshot.index == 0 && snapshot.resourceHash == hash)
        #expect(snapshot.sourceCommit == "abc123" && snapshot.envelopeCount == 0)
        #expect(snapshot.selectedResources == content.map(ResourceStripping.strip))
    }

    @Test("unchanged content reuses the latest snapshot (edge case 33)")
    func reuse() {
        let first = SnapshotStore.getOrCreate(
            placement: placement, selected: content, existing: [], sourceCommit: "c1", now: f.t0)
        let again = SnapshotStore.getOrCreate(
            placement: placement, selected: content.reversed(), existing: first.snapshots,
            sourceCommit: "c2", now: f.t1)
        #expect(!again.created)
        #expect(again.indexUsed == 0)
        #expect(again.snapshots.isEmpty)
        #expect(again.deletedNames.isEmpty)
        #expect(again.latest.sourceCommit == "c1")
    }

    @Test("reusing a snapshot whose is-latest label was cleared sets it again")
    func reuseRelabels() throws {
        var old = SnapshotStore.getOrCreate(
            placement: placement, selected: content, existing: [], sourceCommit: "c1", now: f.t0
        ).latest
        old.isLatest = false
        old.meta.labels[FleetLabel.isLatestSnapshot] = "false"
        let decision = SnapshotStore.getOrCreate(
            placement: placement, selected: content, existing: [old], sourceCommit: "c2",
            now: f.t1)
        #expect(!decision.created)
        let rewritten = try #require(decision.snapshots.first)
        #expect(rewritten.isLatest)
        #expect(rewritten.meta.labels[FleetLabel.isLatestSnapshot] == "true")
    }

    @Test("changed content makes the next index and flips the old one (edge case 34)")
    func changed() {
        let first = SnapshotStore.getOrCreate(
            placement: placement, selected: content, existing: [], sourceCommit: "c1", now: f.t0)
        let edited = [content[0], f.configMap("cfg", ns: "n", data: ["key": "new"])]
        let decision = SnapshotStore.getOrCreate(
            placement: placement, selected: edited, existing: first.snapshots,
            sourceCommit: "c2", now: f.t1)
        #expect(decision.created)
        #expect(decision.indexUsed == 1)
        #expect(decision.snapshots.map(\.meta.name) == ["crp-0-snapshot", "crp-1-snapshot"])
        #expect(decision.snapshots.map(\.isLatest) == [false, true])
        #expect(decision.snapshots.map { $0.meta.labels[FleetLabel.isLatestSnapshot] }
            == ["false", "true"])
        #expect(decision.latest.sourceCommit == "c2")
        #expect(decision.latest.meta.labels[FleetLabel.resourceIndex] == "1")
    }

    @Test("content equal to an older, superseded snapshot still makes a new index")
    func revertMakesNewIndex() {
        let old = existing(placement, indices: [0, 1], latest: 1)
        let sameAsZero = [f.configMap("v0", ns: "n")]
        let decision = SnapshotStore.getOrCreate(
            placement: placement, selected: sameAsZero, existing: old, sourceCommit: "c",
            now: f.t0)
        #expect(decision.created && decision.indexUsed == 2)
    }

    struct PruneCase: CustomTestStringConvertible, Sendable {
        var name: String
        var limit: Int
        var indices: [Int]
        var latest: Int?
        var deleted: [String]
        var newIndex: Int
        var testDescription: String { name }
    }

    static let pruneCases: [PruneCase] = [
        PruneCase(name: "limit 2 keeps groups N-1 and N (edge case 35)", limit: 2,
                  indices: [0, 1], latest: 1, deleted: ["crp-0-snapshot"], newIndex: 2),
        PruneCase(name: "limit 2 with a longer history", limit: 2, indices: [3, 4, 5],
                  latest: 5, deleted: ["crp-3-snapshot", "crp-4-snapshot"], newIndex: 6),
        PruneCase(name: "limit 1 keeps only the new one", limit: 1, indices: [0, 1], latest: 1,
                  deleted: ["crp-0-snapshot", "crp-1-snapshot"], newIndex: 2),
        PruneCase(name: "below the limit nothing is pruned", limit: 10, indices: [0, 1, 2],
                  latest: 2, deleted: [], newIndex: 3),
        PruneCase(name: "at the limit the oldest goes", limit: 3, indices: [0, 1, 2], latest: 2,
                  deleted: ["crp-0-snapshot"], newIndex: 3),
        PruneCase(name: "indices keep growing past the highest, latest or not", limit: 10,
                  indices: [2, 7], latest: 2, deleted: [], newIndex: 8),
        PruneCase(name: "without an is-latest label the highest index is the latest", limit: 10,
                  indices: [0, 4], latest: nil, deleted: [], newIndex: 5),
    ]

    @Test("pruning by revisionHistoryLimit", arguments: pruneCases)
    func pruning(_ c: PruneCase) {
        let limited = f.placement(selectors: placement.spec.resourceSelectors,
                                  revisionHistoryLimit: c.limit)
        let decision = SnapshotStore.getOrCreate(
            placement: limited, selected: content,
            existing: existing(limited, indices: c.indices, latest: c.latest),
            sourceCommit: "c", now: f.t0)
        #expect(decision.created)
        #expect(decision.deletedNames == c.deleted)
        #expect(decision.indexUsed == c.newIndex)
        #expect(!decision.snapshots.contains { c.deleted.contains($0.meta.name) })
        #expect(decision.snapshots.filter(\.isLatest).map(\.index) == [c.newIndex])
        let remaining = c.indices.count - c.deleted.count + 1
        #expect(remaining == (c.indices.count >= c.limit ? c.limit : c.indices.count + 1))
    }

    @Test("a resource placement's snapshots live in its namespace")
    func namespaced() {
        let rp = f.placement("rp", namespace: "team", selectors: [f.selector("", "v1", "ConfigMap")])
        let decision = SnapshotStore.getOrCreate(
            placement: rp, selected: [f.configMap("cfg", ns: "team")], existing: [],
            sourceCommit: "c", now: f.t0)
        #expect(decision.latest.meta.name == "rp-0-snapshot")
        #expect(decision.latest.meta.namespace == "team")
        #expect(decision.latest.meta.labels[FleetLabel.parentPlacement] == "rp")
    }

    @Test("snapshots of other placements are not touched")
    func otherPlacements() {
        let other = f.placement("other", selectors: placement.spec.resourceSelectors)
        let theirs = existing(other, indices: [0, 1], latest: 1)
        let sameNameElsewhere = existing(
            f.placement("crp", namespace: "team"), indices: [0], latest: 0, content: content)
        let decision = SnapshotStore.getOrCreate(
            placement: f.placement(revisionHistoryLimit: 1), selected: content,
            existing: theirs + sameNameElsewhere, sourceCommit: "c", now: f.t0)
        #expect(decision.created && decision.indexUsed == 0)
        #expect(decision.deletedNames.isEmpty)
        #expect(decision.snapshots.map(\.meta.name) == ["crp-0-snapshot"])
    }

    @Test("nothing selected still makes one snapshot with an empty list")
    func empty() {
        let decision = SnapshotStore.getOrCreate(
            placement: placement, selected: [], existing: [], sourceCommit: "c", now: f.t0)
        #expect(decision.latest.selectedResources.isEmpty)
        #expect(decision.latest.meta.annotations[FleetAnnotation.numberOfResourceSnapshots] == "1")
    }
}
