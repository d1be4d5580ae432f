import FleetAPI

/// One option of a command line: its names, whether it takes a value, and its help.
package struct OptionSpec: Equatable, Sendable {
    /// The long name without dashes, such as `namespace`.
    package var long: String
    package var short: Character?
    /// The placeholder of the value, such as `NS`; nil for a flag.
    package var valueName: String?
    package var help: String

    package init(_ long: String, short: Character? = nil, value: String? = nil, help: String) {
        self.long = long
        self.short = short
        self.valueName = value
        self.help = help
    }

    /// True for an option with a value, false for a flag.
    package var takesValue: Bool { valueName != nil }

    /// `-n, --namespace NS` or `    --once`, as help lists it.
    package var helpLabel: String {
        let names = (short.map { "-\($0), " } ?? "    ") + "--" + long
        return valueName.map { names + " " + $0 } ?? names
    }
}

/// One positional argument of a command.
package struct ArgumentSpec: Equatable, Sendable {
    package var name: String
    package var isOptional: Bool
    package var help: String

    package init(_ name: String, optional: Bool = false, help: String) {
        self.name = name
        self.isOptional = optional
        self.help = help
    }
}

/// A subcommand: its help, its arguments and options, and how they become typed options.
package struct CommandSpec: Sendable {
    package var name: CommandName
    /// One line for gitfleet's command list.
    package var summary: String
    /// The usage line after `gitfleet `.
    package var synopsis: String
    /// A paragraph or two for `gitfleet help COMMAND`.
    package var discussion: String
    package var arguments: [ArgumentSpec]
    package var options: [OptionSpec]
    /// Turns parsed tokens into the command's typed options.
    var build: @Sendable (ParsedArguments) throws(UsageError) -> Command

    /// The spec of `name`.
    package static func spec(_ name: CommandName) -> CommandSpec {
        switch name {
        case .sync: return sync
        case .get: return get
        case .approve: return approve
        case .validate: return validate
        case .report: return report
        case .help: return help
        case .version: return version
        }
    }

    /// `usage: gitfleet ...`, wrapped at 80 columns with continuation lines aligned after the
    /// command name; bracketed groups such as `[--once | --interval DURATION]` never split.
    package static func usage(of command: CommandName?) -> String {
        let head = "usage: gitfleet" + (command.map { " " + $0.rawValue } ?? "")
        var words = (command.map { spec($0).synopsis } ?? globalSynopsis)
            .split(separator: " ").map(String.init)
        if command != nil { words.removeFirst() }
        var groups: [String] = []
        var depth = 0
        for word in words {
            if depth > 0, let last = groups.popLast() {
                groups.append(last + " " + word)
            } else {
                groups.append(word)
            }
            depth += word.filter { $0 == "[" }.count - word.filter { $0 == "]" }.count
        }
        let indent = String(repeating: " ", count: head.count + 1)
        var lines = [head]
        for group in groups {
            let current = lines[lines.count - 1]
            if current.count + 1 + group.count > 80, current != head {
                lines.append(indent + group)
            } else {
                lines[lines.count - 1] = current + " " + group
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The usage of gitfleet itself, after `gitfleet `.
    package static let globalSynopsis = "[-v | -vv | -q] COMMAND [OPTIONS]"

    /// Options every command accepts, before or after the command name.
    package static let globalOptions: [OptionSpec] = [
        OptionSpec("verbose", short: "v", help: "log more: info with -v, debug with -vv"),
        OptionSpec("quiet", short: "q", help: "log errors only"),
        OptionSpec("repo", value: "PATH|URL",
                   help: "sync: the hub repository; other commands: a clone (default: .)"),
        OptionSpec("help", short: "h", help: "show help"),
        OptionSpec("version", help: "print gitfleet's version"),
    ]
}

// MARK: - The command table

extension CommandSpec {
    static let sync = CommandSpec(
        name: .sync,
        summary: "fetch the hub repository, advance update runs and push the results",
        synopsis: "sync --repo PATH|URL [--branch NAME] [--once | --interval DURATION] "
            + "[--cache DIR]",
        discussion: """
            Each tick fetches the branch into a cache clone, processes the commits that are \
            new since the last tick, advances every active update run and pushes one commit \
            with the changes to status/ and deploy/. Without --once, ticks repeat until \
            gitfleet is stopped. When gitfleet.yaml requires signed approvals, they are \
            checked against the allowed signers file named by GITFLEET_ALLOWED_SIGNERS.
            """,
        arguments: [],
        options: [
            OptionSpec("branch", value: "NAME",
                       help: "the branch to follow (default: 'main')"),
            OptionSpec("once", help: "run one tick and exit"),
            OptionSpec("interval", value: "DURATION",
                       help: "time between ticks, such as '30s', '5m' or '1h'"),
            OptionSpec("cache", value: "DIR", help: "the folder of the cache clone"),
        ],
        build: { arguments throws(UsageError) in try arguments.syncCommand() })

    static let get = CommandSpec(
        name: .get,
        summary: "show fleet objects of the committed state as a table, YAML or JSON",
        synopsis: "get KIND [NAME] [-n NS | -A] [-o wide|yaml|json] [--repo PATH]",
        discussion: """
            Reads the last commit of the repository, including what gitfleet wrote under \
            status/. Tables show the columns kubectl shows for KubeFleet objects. Namespaced \
            kinds are read from namespace 'default' unless -n or -A is given.
            """,
        arguments: [
            ArgumentSpec("KIND", help: "a kind by name, plural or short name (listed below)"),
            ArgumentSpec("NAME", optional: true, help: "one object to show"),
        ],
        options: [
            OptionSpec("namespace", short: "n", value: "NS",
                       help: "the namespace of namespaced kinds"),
            OptionSpec("all-namespaces", short: "A",
                       help: "list namespaced kinds in every namespace"),
            OptionSpec("output", short: "o", value: "FORMAT",
                       help: "'wide' for more columns, 'yaml' or 'json' for whole objects"),
        ],
        build: { arguments throws(UsageError) in try arguments.getCommand() })

    static let approve = CommandSpec(
        name: .approve,
        summary: "approve an approval request and commit the approval",
        synopsis: "approve NAME [-n NS] [--message TEXT] [--repo PATH]",
        discussion: """
            Adds an Approved condition to the request's status file and commits it; gitfleet \
            accepts the approval on its next tick and the stage goes on.
            """,
        arguments: [ArgumentSpec("NAME", help: "the approval request")],
        options: [
            OptionSpec("namespace", short: "n", value: "NS",
                       help: "the namespace of an ApprovalRequest (none: a "
                           + "ClusterApprovalRequest)"),
            OptionSpec("message", short: "m", value: "TEXT",
                       help: "the message of the condition and the commit"),
        ],
        build: { arguments throws(UsageError) in try arguments.approveCommand() })

    static let validate = CommandSpec(
        name: .validate,
        summary: "check every manifest and fleet object of a clone or a folder",
        synopsis: "validate [PATH]",
        discussion: """
            Checks the files sync reads as hub objects: every *.yaml and *.yml file except \
            those under status/, deploy/, reports/, hidden folders and the ignore globs of \
            gitfleet.yaml. A folder (a clone's included) is checked as its files are, which is \
            what the next commit will hold; a bare repository as its last commit, as sync will \
            see it. Prints one 'file:line: message' line per problem and exits with 1 when \
            there is any.
            """,
        arguments: [
            ArgumentSpec("PATH", optional: true,
                         help: "a folder, one file or a bare repository (default: .)"),
        ],
        options: [],
        build: { arguments throws(UsageError) in try arguments.validateCommand() })

    static let report = CommandSpec(
        name: .report,
        summary: "write a member's report of the snapshot it applied",
        synopsis: "report --member NAME --placement NAME --snapshot NAME [-n NS] [--applied] "
            + "[--available] [--message TEXT] [--repo PATH]",
        discussion: """
            Writes reports/<member>.yaml and commits it, for agents and CI on the member side. \
            Members annotated 'gitfleet.io/availability: reported' count as updated only once \
            such a report says the snapshot is applied and available.
            """,
        arguments: [],
        options: [
            OptionSpec("member", value: "NAME", help: "the member cluster reporting"),
            OptionSpec("placement", value: "NAME", help: "the placement the report is about"),
            OptionSpec("namespace", short: "n", value: "NS",
                       help: "the namespace of a ResourcePlacement"),
            OptionSpec("snapshot", value: "NAME",
                       help: "the resource snapshot the member applied, by name or index"),
            OptionSpec("applied", help: "the snapshot's resources are applied"),
            OptionSpec("available", help: "the snapshot's resources are available"),
            OptionSpec("message", short: "m", value: "TEXT",
                       help: "the commit message's body, under a subject gitfleet writes"),
        ],
        build: { arguments throws(UsageError) in try arguments.reportCommand() })

    static let help = CommandSpec(
        name: .help,
        summary: "show help for gitfleet or one command",
        synopsis: "help [COMMAND]",
        discussion: "",
        arguments: [ArgumentSpec("COMMAND", optional: true, help: "the command to explain")],
        options: [],
        build: { arguments throws(UsageError) in try arguments.helpCommand() })

    static let version = CommandSpec(
        name: .version,
        summary: "print gitfleet's version",
        synopsis: "version",
        discussion: "",
        arguments: [],
        options: [],
        build: { arguments throws(UsageError) in
            try arguments.checkPositionals(max: 0)
            return .version
        })
}
