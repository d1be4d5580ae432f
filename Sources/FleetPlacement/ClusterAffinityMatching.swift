import FleetAPI

/// How a placement's cluster affinity judges one member.
package enum ClusterAffinityMatching {
    /// Required terms are ORed. No requirement passes every member; a requirement with no terms
    /// passes none, as KubeFleet's filter finds no term that matches.
    package static func passesRequired(
        _ affinity: ClusterAffinity?, labels: [String: String]
    ) -> Bool {
        guard let terms = affinity?.requiredTerms else { return true }
        return terms.contains { $0.matches(labels) }
    }

    /// The sum of the weights of the preferred terms the member matches (weights may be negative).
    package static func preferenceScore(
        _ affinity: ClusterAffinity?, labels: [String: String]
    ) -> Int {
        guard let affinity else { return 0 }
        return affinity.preferred.reduce(0) { sum, term in
            term.preference.matches(labels) ? sum + term.weight : sum
        }
    }
}
