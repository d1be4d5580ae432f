/// Finds the likely intended word for a mistyped one, for "did you mean" hints.
package enum Suggestion {
    /// The candidate nearest to `token` by edit distance, ignoring case and leading dashes,
    /// when it is close enough to be a typo: fewer than 4 edits and at most half the token's
    /// length, so `-x` does not suggest `-n` but `--onse` suggests `--once`. Ties go to the
    /// candidate listed first.
    package static func nearest(to token: String, in candidates: [String]) -> String? {
        let word = normalized(token)
        let limit = min(3, word.count / 2)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, normalized(candidate))
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// The Levenshtein distance: insertions, deletions and substitutions, each costing one.
    package static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func normalized(_ text: String) -> String {
        String(text.drop { $0 == "-" }).lowercased()
    }
}
