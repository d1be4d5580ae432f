import FleetAPI
import FleetYAML
import Foundation

/// `reports/<member>.yaml`: what a member says it has applied, written by its agent or CI.
package struct MemberReport: Hashable, Sendable {
    package struct Entry: Hashable, Sendable {
        package var placement: ObjectKey
        package var snapshot: String
        package var applied: Bool
        package var available: Bool
        /// When the member observed this, as it says.
        package var time: Date?

        package init(
            placement: ObjectKey, snapshot: String, applied: Bool, available: Bool,
            time: Date? = nil
        ) {
            self.placement = placement
            self.snapshot = snapshot
            self.applied = applied
            self.available = available
            self.time = time
        }
    }

    package var member: String
    package var entries: [Entry]
    /// Render commits after which this report file changed (its content at that commit
    /// differs from now); a report counts only for updates rendered before it was written.
    package var laterThan: Set<String>

    package init(member: String, entries: [Entry], laterThan: Set<String> = []) {
        self.member = member
        self.entries = entries
        self.laterThan = laterThan
    }

    /// The report's entry for `snapshot` of the placement, if the report was committed after
    /// the update was rendered in `renderedIn`; a report of another snapshot never counts.
    package func entry(placement: ObjectKey, snapshot: String, renderedIn: String) -> Entry? {
        guard laterThan.contains(renderedIn) else { return nil }
        return entries.first { $0.placement == placement && $0.snapshot == snapshot }
    }
}

// MARK: - File format

extension MemberReport {
    /// Reads a report:
    ///
    /// ```yaml
    /// apiVersion: gitfleet.io/v1alpha1
    /// kind: MemberReport
    /// member: member1
    /// placements:
    /// - placement: example-placement        # namespace: app for a ResourcePlacement
    ///   snapshot: example-placement-1-snapshot
    ///   applied: true
    ///   available: true
    ///   time: "2026-12-03T10:00:00Z"
    /// ```
    package static func decode(_ bytes: [UInt8], file: String) throws -> MemberReport {
        guard let root = try YAMLParser.parse(bytes, file: file).first else {
            throw Diagnostic("the report is empty", at: SourceLocation(file: file, line: 1))
        }
        guard let member = root["member"]?.scalar?.text else {
            throw Diagnostic("a report needs 'member'", at: root.location)
        }
        var entries: [Entry] = []
        for item in root["placements"]?.items ?? [] {
            guard let name = item["placement"]?.scalar?.text,
                  let snapshot = item["snapshot"]?.scalar?.text else {
                throw Diagnostic("each placement entry needs 'placement' and 'snapshot'",
                                 at: item.location)
            }
            func flag(_ key: String) throws -> Bool {
                guard let node = item[key] else { return false }
                switch node.scalar?.resolved {
                case let .bool(value)?: return value
                default: throw Diagnostic("'\(key)' must be true or false", at: node.location)
                }
            }
            entries.append(Entry(
                placement: ObjectKey(namespace: item["namespace"]?.scalar?.text, name: name),
                snapshot: snapshot, applied: try flag("applied"), available: try flag("available"),
                time: item["time"]?.scalar.flatMap { Timestamp.parse($0.text) }))
        }
        return MemberReport(member: member, entries: entries)
    }

    package func encode() throws -> [UInt8] {
        let node = YAMLNode.mapping([
            ("apiVersion", .string("gitfleet.io/v1alpha1")),
            ("kind", .string("MemberReport")),
            ("member", .string(member)),
            ("placements", .sequence(entries.map { entry in
                .mapping([
                    ("placement", .string(entry.placement.name)),
                    ("namespace", entry.placement.namespace.map(YAMLNode.string)),
                    ("snapshot", .string(entry.snapshot)),
                    ("applied", .bool(entry.applied)),
                    ("available", .bool(entry.available)),
                    ("time", entry.time.map { .string(Timestamp.format($0)) }),
                ])
            })),
        ])
        return Array(try YAMLWriter.write(node).utf8)
    }
}
