import FleetYAML

/// `status/sync.yaml`: the last commit a tick processed, so the next tick walks only what came
/// after it, and the problems found in the hub files, so people see them without reading logs.
/// Any clone can run the next tick from it.
package struct SyncState: Equatable, Sendable {
    package var lastProcessedCommit: String?
    /// Files that do not parse: while any is listed, no new snapshot is taken.
    package var heldBy: [String]
    /// Objects that parse but are invalid; each affects only itself.
    package var invalidObjects: [String]
    /// The approval rules in force, when any (docs/trust.md); nil before gitfleet recorded any.
    package var approverPolicy: ApproverPolicy?
    /// Edits of gitfleet's files, and approvals, that the latest tick with new commits refused.
    package var refusedEdits: [String] = []

    package init(
        lastProcessedCommit: String? = nil, heldBy: [String] = [], invalidObjects: [String] = []
    ) {
        self.lastProcessedCommit = lastProcessedCommit
        self.heldBy = heldBy
        self.invalidObjects = invalidObjects
    }

    package static func decode(_ bytes: [UInt8], file: String) throws -> SyncState {
        let root = try YAMLParser.parse(bytes, file: file).first
        func list(_ key: String) -> [String] {
            root?[key]?.items?.compactMap { $0.scalar?.text } ?? []
        }
        var state = SyncState(
            lastProcessedCommit: root?["lastProcessedCommit"]?.scalar?.text,
            heldBy: list("heldBy"), invalidObjects: list("invalidObjects"))
        state.approverPolicy = try root?["approverPolicy"].map(ApproverPolicy.decode)
        state.refusedEdits = list("refusedEdits")
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
            ("refusedEdits", list(refusedEdits)),
            ("approverPolicy", approverPolicy?.node),
        ])
        return Array(try YAMLWriter.write(node).utf8)
    }

    /// True when the problems or the rules in force differ, which alone is worth a commit.
    package func problemsDiffer(from other: SyncState) -> Bool {
        heldBy != other.heldBy || invalidObjects != other.invalidObjects
            || refusedEdits != other.refusedEdits || approverPolicy != other.approverPolicy
    }
}
