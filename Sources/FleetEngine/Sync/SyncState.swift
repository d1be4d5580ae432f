import FleetAPI
import FleetYAML
import Foundation

/// `status/sync.yaml`: the last commit a tick processed, so the next tick walks only what came
/// after it, and the problems found in the hub files, so people see them without reading logs.
/// Any clone can run the next tick from it.
package struct SyncState: Equatable, Sendable {
    package var lastProcessedCommit: String?
    /// Files that do not parse: while any is listed, no new snapshot is taken.
    package var heldBy: [String]
    /// Objects that parse but are invalid; each affects only itself.
    package var invalidObjects: [String]
    /// When the clock alone next moves something (a timed wait ends, a member may count as
    /// stuck); nil when only a commit can.
    package var nextWakeup: Date?
    /// Member updates the next tick confirms (they were pushed), so it must not skip.
    package var pendingConfirmations: Bool
    /// The approval rules in force, when any (docs/trust.md); nil before gitfleet recorded any.
    package var approverPolicy: ApproverPolicy?
    /// Edits of gitfleet's files, and approvals, that the latest tick with new commits refused.
    package var refusedEdits: [String] = []
    /// Placements with work under way (an active run, a member update awaiting confirmation),
    /// so the next tick can read only their status and what new commits touch; nil when
    /// unknown, which makes the next tick read everything.
    package var activePlacements: Set<ObjectKey>?
    /// The runs that are not finished; nil when unknown, like `activePlacements`.
    package var activeRuns: Set<ObjectKey>?

    package init(
        lastProcessedCommit: String? = nil, heldBy: [String] = [], invalidObjects: [String] = [],
        nextWakeup: Date? = nil, pendingConfirmations: Bool = false
    ) {
        self.lastProcessedCommit = lastProcessedCommit
        self.heldBy = heldBy
        self.invalidObjects = invalidObjects
        self.nextWakeup = nextWakeup
        self.pendingConfirmations = pendingConfirmations
    }

    /// True when a tick at `now` with only gitfleet's own commits to read can change nothing.
    package func isIdle(at now: Date) -> Bool {
        guard !pendingConfirmations, heldBy.isEmpty else { return false }
        return nextWakeup.map { now < $0 } ?? true
    }

    package static func decode(_ bytes: [UInt8], file: String) throws -> SyncState {
        let root = try YAMLParser.parse(bytes, file: file).first
        func list(_ key: String) -> [String] {
            root?[key]?.items?.compactMap { $0.scalar?.text } ?? []
        }
        var state = SyncState(
            lastProcessedCommit: root?["lastProcessedCommit"]?.scalar?.text,
            heldBy: list("heldBy"), invalidObjects: list("invalidObjects"),
            nextWakeup: root?["nextWakeup"]?.scalar.flatMap { Timestamp.parse($0.text) },
            // A file from before these fields existed cannot vouch for being idle.
            pendingConfirmations: root?["pendingConfirmations"]?.scalar?.text != "false")
        state.approverPolicy = try root?["approverPolicy"].map(ApproverPolicy.decode)
        state.refusedEdits = list("refusedEdits")
        func keys(_ key: String) -> Set<ObjectKey>? {
            root?[key]?.items.map { items in
                Set(items.compactMap { $0.scalar?.text }.map(ObjectKey.init(parsing:)))
            }
        }
        state.activePlacements = keys("activePlacements")
        state.activeRuns = keys("activeRuns")
        return state
    }

    package func encode() throws -> [UInt8] {
        func list(_ items: [String]) -> YAMLNode? {
            items.isEmpty ? nil : .sequence(items.map(YAMLNode.string))
        }
        let node = YAMLNode.mapping([
            ("apiVersion", .string("gitfleet.io/v1alpha1")),
            ("kind", .string("SyncState")),
            ("lastProcessedCommit", lastProcessedCommit.map(YAMLNode.string)),
            ("heldBy", list(heldBy)),
            ("invalidObjects", list(invalidObjects)),
            ("nextWakeup", nextWakeup.map { .string(Timestamp.format($0)) }),
            ("pendingConfirmations", .bool(pendingConfirmations)),
            ("refusedEdits", list(refusedEdits)),
            ("activePlacements", activePlacements.map(Self.keyList)),
            ("activeRuns", activeRuns.map(Self.keyList)),
            ("approverPolicy", approverPolicy?.node),
        ])
        return Array(try YAMLWriter.write(node).utf8)
    }

    private static func keyList(_ keys: Set<ObjectKey>) -> YAMLNode {
        .sequence(keys.sorted().map { .string($0.description) })
    }

    /// True when anything but the last processed commit differs, which alone is worth a
    /// commit: problems people should see, what the next tick must not skip, or the approval
    /// rules in force.
    package func differsBeyondPosition(from other: SyncState) -> Bool {
        heldBy != other.heldBy || invalidObjects != other.invalidObjects
            || nextWakeup != other.nextWakeup || pendingConfirmations != other.pendingConfirmations
            || refusedEdits != other.refusedEdits || approverPolicy != other.approverPolicy
            || activePlacements != other.activePlacements || activeRuns != other.activeRuns
    }
}

extension ObjectKey {
    /// Reads `namespace/name` or `name`, as `description` prints them.
    init(parsing text: String) {
        if let slash = text.firstIndex(of: "/") {
            self.init(
                namespace: String(text[..<slash]), name: String(text[text.index(after: slash)...]))
        } else {
            self.init(name: text)
        }
    }
}
