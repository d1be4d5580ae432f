import FleetAPI
import FleetYAML

/// `reports/<member>.yaml`: what a member says it has applied, written by its agent or CI.
package struct MemberReport: Hashable, Sendable {
    package struct Entry: Hashable, Sendable {
        package var placement: ObjectKey
        package var snapshot: String
        package var applied: Bool
        package var available: Bool
    }

    package var member: String
    package var entries: [Entry]
    /// Render commits that the commit which last changed this report descends from; a report
    /// counts only for updates rendered before it was written.
    package var laterThan: Set<String>

    package init(member: String, entries: [Entry], laterThan: Set<String> = []) {
        self.member = member
        self.entries = entries
        self.laterThan = laterThan
    }

    /// True when this report confirms `snapshot` of the placement, applied and available, and
    /// was committed after the update was rendered in `renderedIn`.
    package func confirms(placement: ObjectKey, snapshot: String, renderedIn: String) -> Bool {
        guard laterThan.contains(renderedIn) else { return false }
        return entries.contains {
            $0.placement == placement && $0.snapshot == snapshot && $0.applied && $0.available
        }
    }
}
