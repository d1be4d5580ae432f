import FleetYAML

/// `status/sync.yaml`: the last commit a tick processed, so the next tick walks only what came
/// after it. Any clone can run the next tick from it.
package struct SyncState: Equatable, Sendable {
    package var lastProcessedCommit: String?

    package init(lastProcessedCommit: String? = nil) {
        self.lastProcessedCommit = lastProcessedCommit
    }

    package static func decode(_ bytes: [UInt8], file: String) throws -> SyncState {
        let root = try YAMLParser.parse(bytes, file: file).first
        return SyncState(lastProcessedCommit: root?["lastProcessedCommit"]?.scalar?.text)
    }

    package func encode() throws -> [UInt8] {
        let node = YAMLNode.mapping([
            ("apiVersion", .string("gitfleet.io/v1alpha1")),
            ("kind", .string("SyncState")),
            ("lastProcessedCommit", lastProcessedCommit.map(YAMLNode.string)),
        ])
        return Array(try YAMLWriter.write(node).utf8)
    }
}
