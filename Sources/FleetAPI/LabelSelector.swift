/// A `metav1.LabelSelector`: matchLabels and matchExpressions, all ANDed.
///
/// An empty selector (`{}`) matches everything; callers model "no selector" as `nil`.
package struct LabelSelector: Hashable, Sendable {
    package enum Operator: String, CaseIterable, Hashable, Sendable {
        case `in` = "In"
        case notIn = "NotIn"
        case exists = "Exists"
        case doesNotExist = "DoesNotExist"
        /// Cluster affinity also allows numeric comparisons, as KubeFleet's property selectors do.
        case gt = "Gt"
        case lt = "Lt"
    }

    package struct Requirement: Hashable, Sendable {
        package var key: String
        package var `operator`: Operator
        package var values: [String]

        package init(key: String, operator: Operator, values: [String] = []) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }

        package func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch self.operator {
            case .in: return value.map { values.contains($0) } ?? false
            case .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .gt, .lt:
                guard let value, let have = Int(value), values.count == 1,
                      let want = Int(values[0]) else { return false }
                return self.operator == .gt ? have > want : have < want
            }
        }
    }

    package var matchLabels: [String: String]
    package var matchExpressions: [Requirement]

    package init(matchLabels: [String: String] = [:], matchExpressions: [Requirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    package func matches(_ labels: [String: String]) -> Bool {
        matchLabels.allSatisfy { labels[$0.key] == $0.value }
            && matchExpressions.allSatisfy { $0.matches(labels) }
    }
}
