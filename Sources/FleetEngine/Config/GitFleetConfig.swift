import FleetAPI
import FleetYAML

/// `gitfleet.yaml` at the repository root. Every field is optional; the defaults make a
/// repository with no config work.
package struct GitFleetConfig: Hashable, Sendable {
    package static let fileName = "gitfleet.yaml"

    package var branch: String = "main"
    package var statusFolder: String = "status"
    package var deployFolder: String = "deploy"
    package var reportsFolder: String = "reports"
    /// Glob patterns (`*` within a path component, `**` across components) of files that are
    /// not hub objects.
    package var ignore: [String] = []
    package var committerName: String = "gitfleet"
    package var committerEmail: String = "gitfleet@localhost"
    /// Commit author emails allowed to approve, per strategy and stage; empty means anyone who
    /// can push may approve.
    package var approvers: [ApproverRule] = []
    /// When true, an approval counts only if its commit carries a valid SSH signature of its
    /// author, checked against the allowed signers file given to `gitfleet sync` (docs/trust.md).
    package var requireSignedApprovals = false

    package init() {}

    package struct ApproverRule: Hashable, Sendable {
        /// A strategy name, or nil for every strategy.
        package var strategy: String?
        /// A stage name, or nil for every stage.
        package var stage: String?
        package var emails: [String]
    }

    /// Reads `gitfleet.yaml`; a missing file gives the defaults.
    package static func decode(_ bytes: [UInt8]?, file: String = fileName) throws -> GitFleetConfig {
        var config = GitFleetConfig()
        guard let bytes else { return config }
        let documents = try YAMLParser.parse(bytes, file: file)
        guard let root = documents.first else { return config }
        guard root.pairs != nil else {
            throw Diagnostic("gitfleet.yaml must be a mapping", at: root.location)
        }
        func string(_ key: String) throws -> String? {
            guard let node = root[key] else { return nil }
            guard let text = node.scalar?.text, !node.isNull else {
                throw Diagnostic("'\(key)' must be a string", at: node.location)
            }
            return text
        }
        if let branch = try string("branch") { config.branch = branch }
        if let folder = try string("statusFolder") { config.statusFolder = folder }
        if let folder = try string("deployFolder") { config.deployFolder = folder }
        if let folder = try string("reportsFolder") { config.reportsFolder = folder }
        if let ignore = root["ignore"] {
            guard let items = ignore.items else {
                throw Diagnostic("'ignore' must be a list of glob patterns", at: ignore.location)
            }
            config.ignore = items.compactMap { $0.scalar?.text }
        }
        if let committer = root["committer"] {
            if let name = committer["name"]?.scalar?.text { config.committerName = name }
            if let email = committer["email"]?.scalar?.text { config.committerEmail = email }
        }
        if let approvers = root["approvers"] { config.approvers = try approverRules(approvers) }
        if let signed = root["requireSignedApprovals"] {
            guard let text = signed.scalar?.text, text == "true" || text == "false" else {
                throw Diagnostic("'requireSignedApprovals' must be true or false",
                                 at: signed.location)
            }
            config.requireSignedApprovals = text == "true"
        }
        return config
    }

    /// Reads an `approvers` list: `gitfleet.yaml`'s, or the copy of the rules in force that
    /// `status/sync.yaml` keeps.
    static func approverRules(_ approvers: YAMLNode) throws -> [ApproverRule] {
        guard let items = approvers.items else {
            throw Diagnostic("'approvers' must be a list", at: approvers.location)
        }
        return try items.map { item in
            guard let emails = item["emails"]?.items else {
                throw Diagnostic("an approver rule needs 'emails'", at: item.location)
            }
            return ApproverRule(
                strategy: item["strategy"]?.scalar?.text, stage: item["stage"]?.scalar?.text,
                emails: emails.compactMap { $0.scalar?.text })
        }
    }
}
