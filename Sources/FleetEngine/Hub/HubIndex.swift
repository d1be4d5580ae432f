import FleetAPI
import FleetGit
import Foundation

/// What a tick needs to know of a hub file that holds only workloads, without parsing it:
/// where its objects live, to tell which placements may select them, and their identities, to
/// find duplicates. Most hub files are such files, and most ticks select from none of them.
///
/// Entries are keyed by blob id, so one stays true for as long as its blob exists. The index
/// lives in the cache folder beside the cache clone and is only an accelerator: a missing,
/// damaged or foreign file reads as empty, and the tick parses what the index does not cover.
package struct HubIndex: Equatable, Sendable {
    package struct Entry: Equatable, Sendable {
        package var places: [ChangedWorkload]
        package var identities: [String]
    }

    package private(set) var entries: [ObjectID: Entry] = [:]

    package static let fileName = "hub-index"
    /// Names the format and the decoding it summarises; a file with another first line is
    /// ignored, so change this whenever hub decoding changes what it accepts.
    static let header = "gitfleet hub index 1"

    package init() {}

    /// The entry for a parsed file, or nil unless it holds plain workloads only (see
    /// `HubFile.plainWorkloads`): a file with fleet objects, problems, or kinds a CRD may
    /// declare is always parsed.
    static func entry(for file: HubFile) -> Entry? {
        guard let resources = file.plainWorkloads, !resources.isEmpty else { return nil }
        let entry = Entry(places: file.workloadPlaces, identities: resources.map(\.identity))
        // Fields are written tab-separated, one line each; anything else cannot be kept.
        let fields = entry.identities + entry.places.flatMap {
            [$0.groupKind.group, $0.groupKind.kind, $0.namespace ?? "", $0.name]
        }
        guard entry.places.allSatisfy({ $0.namespace != "" }),
              fields.allSatisfy({ !$0.contains("\t") && !$0.contains("\n") })
        else { return nil }
        return entry
    }

    package subscript(blob: ObjectID) -> Entry? {
        get { entries[blob] }
        set { entries[blob] = newValue }
    }

    /// Forgets blobs no longer in the hub.
    package mutating func retain(_ blobs: Set<ObjectID>) {
        entries = entries.filter { blobs.contains($0.key) }
    }

    // MARK: - The file

    /// Reads `path`; anything unreadable gives an empty index.
    package static func load(from path: String) -> HubIndex {
        guard let data = FileManager.default.contents(atPath: path) else { return HubIndex() }
        let lines = [UInt8](data).split(separator: UInt8(ascii: "\n"))
        guard let first = lines.first, String(decoding: first, as: UTF8.self) == header else {
            return HubIndex()
        }
        var index = HubIndex()
        for line in lines.dropFirst() {
            // blob, identity, group, kind, namespace, name: one line per workload.
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 6, let blob = ObjectID(hex: fields[0]) else { return HubIndex() }
            index.entries[blob, default: Entry(places: [], identities: [])].identities
                .append(fields[1])
            index.entries[blob]?.places.append(ChangedWorkload(
                groupKind: GroupKind(group: fields[2], kind: fields[3]),
                namespace: fields[4].isEmpty ? nil : fields[4], name: fields[5]))
        }
        return index
    }

    /// Writes the index to `path` through a temporary file, so a reader never sees half.
    package func save(to path: String) throws {
        var text = Self.header + "\n"
        for (blob, entry) in entries.sorted(by: { $0.key.sha < $1.key.sha }) {
            for (identity, place) in zip(entry.identities, entry.places) {
                text += [
                    blob.sha, identity, place.groupKind.group, place.groupKind.kind,
                    place.namespace ?? "", place.name,
                ].joined(separator: "\t") + "\n"
            }
        }
        let temporary = path + ".new"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
