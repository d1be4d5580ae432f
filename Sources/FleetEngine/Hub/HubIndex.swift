import FleetAPI
import FleetGit
import Foundation

/// What a tick needs to know of a hub file that holds only workloads, without parsing it:
/// where its objects live, to tell which placements may select them, and their identities, to
/// find duplicates. Most hub files are such files, and most ticks select from none of them.
///
/// It also keeps the MemberCluster of each file that holds one valid member and nothing else:
/// every tick needs every member, and a fleet of 10,000 members would otherwise parse and
/// validate 10,000 files per process.
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
    package private(set) var members: [ObjectID: MemberCluster] = [:]

    package static let fileName = "hub-index"
    /// Names the format and the decoding it summarises; a file with another first line is
    /// ignored, so change this whenever hub decoding changes what it accepts.
    static let header = "gitfleet hub index 2"
    /// The first field of a member's line; workload lines start with a blob id.
    private static let memberMark = "member"
    /// Separates the pairs of a label or annotation map within a field.
    private static let pairSeparator: Character = "\u{1F}"

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

    /// The member of a parsed file that holds one valid MemberCluster and nothing else, when
    /// the index can store it exactly (no tab, newline or separator in its fields).
    static func member(of file: HubFile) -> MemberCluster? {
        guard file.parseError == nil, file.diagnostics.isEmpty, file.invalidRefs.isEmpty,
              file.workloads.isEmpty, file.objects.count == 1,
              case let .memberCluster(member)? = file.objects.first,
              let fields = memberFields(member), decodeMember(fields) == member
        else { return nil }
        return member
    }

    package mutating func setMember(_ member: MemberCluster?, blob: ObjectID) {
        members[blob] = member
    }

    /// Forgets blobs no longer in the hub.
    package mutating func retain(_ blobs: Set<ObjectID>) {
        entries = entries.filter { blobs.contains($0.key) }
        members = members.filter { blobs.contains($0.key) }
    }

    /// name, generation, creation time, labels, annotations; nil when one cannot be stored.
    private static func memberFields(_ member: MemberCluster) -> [String]? {
        let meta = member.meta
        func pairs(_ map: [String: String]) -> String {
            map.keys.sorted().map { "\($0)=\(map[$0] ?? "")" }
                .joined(separator: String(pairSeparator))
        }
        let fields = [
            // Seconds since 1970, which read back faster than RFC 3339 and as exactly.
            meta.name, String(meta.generation),
            meta.creationTimestamp.map { String($0.timeIntervalSince1970) } ?? "",
            pairs(meta.labels), pairs(meta.annotations),
        ]
        let keys = Array(meta.labels.keys) + Array(meta.annotations.keys)
        let values = Array(meta.labels.values) + Array(meta.annotations.values)
        guard meta.namespace == nil, keys.allSatisfy({ !$0.contains("=") && !$0.isEmpty }),
              ([meta.name] + keys + values).allSatisfy({ text in
                  !text.contains("\t") && !text.contains("\n") && !text.contains(pairSeparator)
              })
        else { return nil }
        return fields
    }

    private static func decodeMember(_ fields: [String]) -> MemberCluster? {
        guard fields.count == 5, let generation = Int(fields[1]) else { return nil }
        func pairs(_ text: String) -> [String: String]? {
            var map: [String: String] = [:]
            for pair in text.split(separator: pairSeparator) {
                guard let equals = pair.firstIndex(of: "=") else { return nil }
                map[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            return map
        }
        var created: Date?
        if !fields[2].isEmpty {
            guard let seconds = Double(fields[2]) else { return nil }
            created = Date(timeIntervalSince1970: seconds)
        }
        guard let labels = pairs(fields[3]), let annotations = pairs(fields[4]) else { return nil }
        return MemberCluster(meta: ObjectMeta(
            name: fields[0], labels: labels, annotations: annotations, generation: generation,
            creationTimestamp: created))
    }

    // MARK: - The file

    /// Reads `path`; anything unreadable gives an empty index.
    package static func load(from path: String) -> HubIndex {
        guard let data = FileManager.default.contents(atPath: path) else { return HubIndex() }
        let bytes = [UInt8](data)
        return bytes.withUnsafeBufferPointer { buffer in
            var lines = Lines(buffer)
            guard let first = lines.next(),
                  String(decoding: UnsafeBufferPointer(rebasing: buffer[first]), as: UTF8.self)
                    == header
            else { return HubIndex() }
            var index = HubIndex()
            while let line = lines.next() {
                guard index.add(lines.fields(of: line)) else { return HubIndex() }
            }
            return index
        }
    }

    /// One line's fields: blob, identity, group, kind, namespace, name for a workload;
    /// `member`, blob and the member's fields for a member. False when it is neither.
    private mutating func add(_ fields: [String]) -> Bool {
        if fields.first == Self.memberMark {
            guard fields.count == 7, let blob = ObjectID(hex: fields[1]),
                  let member = Self.decodeMember(Array(fields[2...]))
            else { return false }
            members[blob] = member
            return true
        }
        guard fields.count == 6, let blob = ObjectID(hex: fields[0]) else { return false }
        func append(to entry: inout Entry) {
            entry.identities.append(fields[1])
            entry.places.append(ChangedWorkload(
                groupKind: GroupKind(group: fields[2], kind: fields[3]),
                namespace: fields[4].isEmpty ? nil : fields[4], name: fields[5]))
        }
        // One lookup per line: the entry is changed in place.
        append(to: &entries[blob, default: Entry(places: [], identities: [])])
        return true
    }

    /// The lines of the file and their tab-separated fields, found in one pass over its
    /// bytes: the index of a large hub has tens of thousands of lines to read per tick.
    private struct Lines {
        let buffer: UnsafeBufferPointer<UInt8>
        var start = 0

        init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

        mutating func next() -> Range<Int>? {
            guard start < buffer.count else { return nil }
            var end = start
            while end < buffer.count && buffer[end] != UInt8(ascii: "\n") { end += 1 }
            defer { start = end + 1 }
            return start..<end
        }

        func fields(of line: Range<Int>) -> [String] {
            var fields: [String] = []
            fields.reserveCapacity(7)
            var fieldStart = line.lowerBound
            for index in line where buffer[index] == UInt8(ascii: "\t") {
                fields.append(text(fieldStart..<index))
                fieldStart = index + 1
            }
            fields.append(text(fieldStart..<line.upperBound))
            return fields
        }

        private func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
        }
    }

    /// Writes the index to `path` through a temporary file, so a reader never sees half.
    package func save(to path: String) throws {
        var text = Self.header + "\n"
        for (blob, entry) in entries.sorted(by: { $0.key < $1.key }) {
            for (identity, place) in zip(entry.identities, entry.places) {
                text += [
                    blob.sha, identity, place.groupKind.group, place.groupKind.kind,
                    place.namespace ?? "", place.name,
                ].joined(separator: "\t") + "\n"
            }
        }
        for (blob, member) in members.sorted(by: { $0.key < $1.key }) {
            guard let fields = Self.memberFields(member) else { continue }
            text += ([Self.memberMark, blob.sha] + fields).joined(separator: "\t") + "\n"
        }
        let temporary = path + ".new"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
