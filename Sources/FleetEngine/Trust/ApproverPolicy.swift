import FleetAPI
import FleetYAML
import Foundation

/// The approval rules in force: who may approve which stage, and whether approvals must be
/// signed. They come from `gitfleet.yaml`, but a change to them takes effect only when the
/// rules already in force allow its author (`mayChangeRules`); `status/sync.yaml` keeps a copy
/// of the rules in force so a refused change stays refused.
package struct ApproverPolicy: Hashable, Sendable {
    /// `approvers` rules; none means anyone who can push may approve.
    package var rules: [GitFleetConfig.ApproverRule]
    /// `requireSignedApprovals`.
    package var requireSignedApprovals: Bool

    /// No rules and no signatures: anyone who can push may approve, as without a config.
    package static let open = ApproverPolicy(rules: [], requireSignedApprovals: false)

    /// Rules and the signature requirement as given.
    package init(rules: [GitFleetConfig.ApproverRule], requireSignedApprovals: Bool) {
        self.rules = rules
        self.requireSignedApprovals = requireSignedApprovals
    }

    /// The trust part of a `gitfleet.yaml`.
    package init(config: GitFleetConfig) {
        self.init(rules: config.approvers, requireSignedApprovals: config.requireSignedApprovals)
    }

    /// The emails that may approve `stage` of runs of `strategy`, or nil when no rule covers
    /// that stage, in which case anyone may. Every rule that names the strategy (or none) and
    /// the stage (or none) applies; being listed in any of them is enough.
    package func approvers(strategy: String, stage: String) -> Set<String>? {
        let applying = rules.filter {
            ($0.strategy == nil || $0.strategy == strategy)
                && ($0.stage == nil || $0.stage == stage)
        }
        guard !applying.isEmpty else { return nil }
        return Set(applying.flatMap(\.emails).map(Self.normalized))
    }

    /// Whether `email` may change the rules: with no rules anyone may; otherwise someone who
    /// may approve every stage, that is one listed in a rule that names neither strategy nor
    /// stage, or one listed in every rule.
    package func mayChangeRules(_ email: String) -> Bool {
        guard !rules.isEmpty else { return true }
        let wanted = Self.normalized(email)
        let listed = rules.map { Set($0.emails.map(Self.normalized)).contains(wanted) }
        let global = zip(rules, listed).contains { rule, isListed in
            rule.strategy == nil && rule.stage == nil && isListed
        }
        return global || listed.allSatisfy { $0 }
    }

    /// Emails compare without case and surrounding spaces, as mail systems treat them.
    static func normalized(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespaces).lowercased()
    }

    // MARK: - The copy in status/sync.yaml

    /// The mapping `status/sync.yaml` keeps under `approverPolicy`.
    var node: YAMLNode {
        let rules = rules.map { rule in
            YAMLNode.mapping([
                ("strategy", rule.strategy.map(YAMLNode.string)),
                ("stage", rule.stage.map(YAMLNode.string)),
                ("emails", .sequence(rule.emails.map(YAMLNode.string))),
            ])
        }
        return .mapping([
            ("requireSignedApprovals", .bool(requireSignedApprovals)),
            ("approvers", rules.isEmpty ? nil : .sequence(rules)),
        ])
    }

    /// Reads the mapping written by `node`.
    static func decode(_ node: YAMLNode) throws -> ApproverPolicy {
        let rules = try node["approvers"].map(GitFleetConfig.approverRules) ?? []
        return ApproverPolicy(
            rules: rules,
            requireSignedApprovals: node["requireSignedApprovals"]?.scalar?.text == "true")
    }
}
