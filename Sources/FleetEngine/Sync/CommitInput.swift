import Foundation

/// One first-parent commit of the manifest branch, reduced to what a tick needs.
package struct CommitInput: Sendable {
    package var id: String
    /// True for commits gitfleet made itself: inputs, but they never create snapshots.
    package var isOwn: Bool
    /// Hub files this commit changed (nil: deleted), relative to its first parent.
    package var hubChanges: [String: [UInt8]?]
    /// The new `gitfleet.yaml`, when this commit changed it (`.some(nil)`: deleted).
    package var configChange: [UInt8]??
    package var time: Date

    package init(
        id: String, isOwn: Bool, hubChanges: [String: [UInt8]?], configChange: [UInt8]?? = nil,
        time: Date
    ) {
        self.id = id
        self.isOwn = isOwn
        self.hubChanges = hubChanges
        self.configChange = configChange
        self.time = time
    }

    package var shortID: String { String(id.prefix(12)) }

    /// The trailer that marks gitfleet's own commits.
    package static let ownTrailer = "Gitfleet-Tick:"

    /// True when a line of `message` starts with ``ownTrailer``. It scans the bytes in place:
    /// an own commit's message lists every event of its tick, thousands of lines after a cold
    /// sync, and splitting it into lines cost more than all the rest of an idle tick.
    package static func carriesOwnTrailer(_ message: String) -> Bool {
        var message = message
        return message.withUTF8 { bytes in
            let trailer = ownTrailer.utf8
            var start = bytes.startIndex
            while bytes.endIndex - start >= trailer.count {
                if bytes[start..<start + trailer.count].elementsEqual(trailer) { return true }
                guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                    return false
                }
                start = newline + 1
            }
            return false
        }
    }
}
