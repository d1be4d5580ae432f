import FleetAPI

/// The text of `gitfleet help` and `gitfleet help COMMAND`, built from the command tables.
package enum HelpText {
    /// Help for gitfleet (nil) or one command, ending in a newline.
    package static func render(_ command: CommandName?) -> String {
        guard let command else { return overview() }
        return details(CommandSpec.spec(command))
    }

    private static let width = 80

    private static func overview() -> String {
        let commands = CommandName.allCases.map { ($0.rawValue, CommandSpec.spec($0).summary) }
        return section(
            "gitfleet \(gitfleetVersion): KubeFleet staged update runs with a git repository "
                + "as the hub",
            CommandSpec.usage(of: nil),
            "commands:\n" + twoColumns(commands),
            "global options:\n" + twoColumns(CommandSpec.globalOptions.map(\.helpRow)),
            wrap("exit status: 0 done, 1 the input is wrong, 2 the command line is wrong, "
                + "3 git or I/O failed"),
            "run 'gitfleet help COMMAND' for a command's arguments and options")
    }

    private static func details(_ spec: CommandSpec) -> String {
        var parts = [CommandSpec.usage(of: spec.name), wrap(spec.summary)]
        if !spec.discussion.isEmpty { parts.append(wrap(spec.discussion)) }
        if !spec.arguments.isEmpty {
            parts.append("arguments:\n" + twoColumns(spec.arguments.map { ($0.name, $0.help) }))
        }
        if !spec.options.isEmpty {
            parts.append("options:\n" + twoColumns(spec.options.map(\.helpRow)))
        }
        parts.append("global options:\n" + twoColumns(CommandSpec.globalOptions.map(\.helpRow)))
        if spec.name == .get { parts.append("kinds:\n" + kindTable()) }
        return section(parts)
    }

    private static func kindTable() -> String {
        let kinds = FleetKind.allCases.filter(\.isListedByGet)
        let table = Table(
            headers: ["KIND", "SHORT", "PLURAL"],
            rows: kinds.map { [$0.rawValue, $0.shortNames.joined(separator: ","), $0.plural] })
        return table.rendered().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    // MARK: - Layout

    private static func section(_ parts: String...) -> String { section(parts) }

    private static func section(_ parts: [String]) -> String {
        parts.joined(separator: "\n\n") + "\n"
    }

    /// Rows of `label   text`, labels indented by 2 and padded to a common width; long text
    /// wraps under itself.
    private static func twoColumns(_ rows: [(String, String)]) -> String {
        let labelWidth = (rows.map(\.0.count).max() ?? 0) + 2
        return rows.map { label, text in
            let indent = String(repeating: " ", count: 2 + labelWidth)
            let lines = wrapLines(text, width: width - indent.count)
            let first = "  " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                + (lines.first ?? "")
            return ([first] + lines.dropFirst().map { indent + $0 }).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    private static func wrap(_ text: String) -> String {
        wrapLines(text, width: width).joined(separator: "\n")
    }

    private static func wrapLines(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

extension OptionSpec {
    fileprivate var helpRow: (String, String) { (helpLabel, help) }
}
