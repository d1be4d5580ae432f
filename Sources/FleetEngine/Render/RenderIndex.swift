import Foundation

/// The members whose folders only a render from every binding may edit, as of one of
/// gitfleet's commits: two of their snapshots render the same file, or a binding names a
/// snapshot gitfleet does not have (see `DeployRenderer.membersNeedingFullRender`).
///
/// Kept in the cache folder rather than in the repository: it is only needed to let a tick
/// that reads some placements edit member folders file by file, and every tick that reads
/// everything can compute it again. A tick that reads less carries it forward unchanged,
/// which keeps it a superset of the truth, since such a tick never adds a file where one
/// exists. A file for another commit, or none, reads as unknown.
package struct RenderIndex: Equatable, Sendable {
    package var commit: String
    package var members: Set<String>

    package static let fileName = "render-index"
    static let header = "gitfleet render index 1"

    package init(commit: String, members: Set<String>) {
        self.commit = commit
        self.members = members
    }

    /// The index in `path`, or nil when there is none or it cannot be read.
    package static func load(from path: String) -> RenderIndex? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 2, lines[0] == header, lines[1].count == 40 else { return nil }
        return RenderIndex(
            commit: lines[1], members: Set(lines.dropFirst(2).filter { !$0.isEmpty }))
    }

    /// Writes the index through a temporary file, so a reader never sees half.
    package func save(to path: String) throws {
        let text = ([Self.header, commit] + members.sorted()).joined(separator: "\n") + "\n"
        let temporary = path + ".new"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
