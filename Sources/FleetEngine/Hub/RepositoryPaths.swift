import FleetAPI

/// Who owns a path of the manifest repository (design.md section 2).
package enum PathOwner: Equatable, Sendable {
    /// A hub object file people write: fleet objects and workloads.
    case hub
    /// gitfleet's status files.
    case status
    /// Rendered member trees.
    case deploy
    /// Member reports.
    case reports
    /// `gitfleet.yaml`.
    case config
    /// Not YAML, ignored by `ignore`, or hidden: not read at all.
    case other
}

/// Classifies repository paths according to the configuration.
package struct RepositoryPaths: Sendable {
    package var config: GitFleetConfig

    package init(config: GitFleetConfig) {
        self.config = config
    }

    // Paths are compared as bytes: a tick classifies every path of every tree diff, and
    // splitting them into Characters cost more than the diff itself.
    package func owner(of path: String) -> PathOwner {
        if path == GitFleetConfig.fileName { return .config }
        let first = path.utf8.firstIndex(of: UInt8(ascii: "/")).map { path[..<$0] } ?? path[...]
        if first == config.statusFolder { return .status }
        if first == config.deployFolder { return .deploy }
        if first == config.reportsFolder { return .reports }
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return .other }
        // Hidden folders (.github, .ci, ...) hold tooling, never hub objects.
        if Self.hasHiddenComponent(path) { return .other }
        if config.ignore.contains(where: { Glob.matches(pattern: $0, path: path) }) { return .other }
        return .hub
    }

    /// True for a folder no hub file can be in: gitfleet's output, reports, hidden folders.
    package func holdsNoHubFiles(folder path: String) -> Bool {
        if path == config.statusFolder || path == config.deployFolder
            || path == config.reportsFolder {
            return true
        }
        let name = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path.utf8[$0...].dropFirst() }
            ?? path.utf8[...]
        return name.first == UInt8(ascii: ".")
    }

    /// True when a component of `path` starts with a dot.
    static func hasHiddenComponent(_ path: String) -> Bool {
        var componentStart = true
        for byte in path.utf8 {
            if componentStart, byte == UInt8(ascii: ".") { return true }
            componentStart = byte == UInt8(ascii: "/")
        }
        return false
    }

    /// The status file of an object gitfleet owns; a name that is not a Kubernetes name is
    /// refused, so no path can leave the status folder.
    package func statusPath(kind: FleetKind, key: ObjectKey) throws -> String {
        try StatusPath.path(kind: kind, key: key, root: config.statusFolder)
    }

    /// The folder a member's GitOps agent reads.
    package func deployFolder(member: String) -> String {
        "\(config.deployFolder)/\(member)"
    }

    package func reportPath(member: String) -> String {
        "\(config.reportsFolder)/\(member).yaml"
    }

    /// Where gitfleet records the last commit it processed.
    package var syncStatePath: String { "\(config.statusFolder)/sync.yaml" }
}

/// Path globs as `.gitignore` users expect: `*` and `?` within one component, `**` across any
/// number of components, and a pattern without a slash matches a file name at any depth.
package enum Glob {
    package static func matches(pattern: String, path: String) -> Bool {
        let pathParts = path.split(separator: "/").map(String.init)
        var patternParts = pattern.split(separator: "/").map(String.init)
        if !pattern.contains("/") { patternParts = ["**"] + patternParts }
        if pattern.hasSuffix("/") { patternParts.append("**") }
        return match(patternParts[...], pathParts[...])
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            for skip in 0...path.count where match(rest, path.dropFirst(skip)) { return true }
            return false
        }
        guard let component = path.first, matchComponent(Array(head), Array(component)) else {
            return false
        }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func matchComponent(_ pattern: [Character], _ text: [Character]) -> Bool {
        var p = 0, t = 0, starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                starP = p; starT = t; p += 1
            } else if starP >= 0 {
                p = starP + 1; starT += 1; t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
