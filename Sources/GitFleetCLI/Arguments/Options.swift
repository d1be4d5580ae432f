import FleetAPI
import FleetEngine

/// How much `gitfleet` logs to standard error, set by `-q`, `-v` and `-vv`.
package enum Verbosity: Int, Comparable, Sendable, CaseIterable {
    case quiet
    case normal
    case verbose
    case debug
    case trace

    /// The console threshold: notice by default, info with `-v`, debug with `-vv`, error with
    /// `-q` (swift-log's advice, in SwiftPM's shape); `-vvv` shows trace.
    package var logLevel: Logger.Level {
        switch self {
        case .quiet: return .error
        case .normal: return .notice
        case .verbose: return .info
        case .debug: return .debug
        case .trace: return .trace
        }
    }

    /// The verbosity of `count` `-v` flags.
    package static func verbose(count: Int) -> Verbosity {
        switch count {
        case ...0: return .normal
        case 1: return .verbose
        case 2: return .debug
        default: return .trace
        }
    }

    package static func < (lhs: Verbosity, rhs: Verbosity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Options of `gitfleet sync`.
package struct SyncOptions: Equatable, Sendable {
    /// The hub repository: a local path or any URL libgit2 can fetch.
    package var repo: String
    /// The branch to follow; nil means `main`.
    package var branch: String?
    /// Run one tick and exit.
    package var once: Bool
    /// Time between ticks when looping; nil with `once == false` means the default interval.
    package var interval: Duration?
    /// The folder of the cache clone; nil means the default location.
    package var cache: String?

    package init(
        repo: String, branch: String? = nil, once: Bool = false, interval: Duration? = nil,
        cache: String? = nil
    ) {
        self.repo = repo
        self.branch = branch
        self.once = once
        self.interval = interval
        self.cache = cache
    }
}

/// The output forms of `gitfleet get`.
package enum OutputFormat: String, CaseIterable, Sendable {
    case table
    case wide
    case yaml
    case json
}

/// Options of `gitfleet get`.
package struct GetOptions: Equatable, Sendable {
    /// The kind to list, found by name, plural or short name.
    package var kind: FleetKind
    /// One object to show; nil lists every object of the kind.
    package var name: String?
    /// `-n`: the namespace of namespaced kinds; nil means `default`, as kubectl does.
    package var namespace: String?
    /// `-A`: every namespace, with a NAMESPACE column.
    package var allNamespaces: Bool
    /// `-o`: a table (the default), a wide table, YAML or JSON.
    package var output: OutputFormat
    /// The repository to read; nil means the one in the current folder.
    package var repo: String?

    package init(
        kind: FleetKind, name: String? = nil, namespace: String? = nil,
        allNamespaces: Bool = false, output: OutputFormat = .table, repo: String? = nil
    ) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.allNamespaces = allNamespaces
        self.output = output
        self.repo = repo
    }

    /// The namespace namespaced kinds are read from when neither `-n` nor `-A` is given.
    package static let defaultNamespace = "default"
}

/// Options of `gitfleet approve`.
package struct ApproveOptions: Equatable, Sendable {
    /// The approval request to approve.
    package var name: String
    /// Set for an ApprovalRequest; nil for a ClusterApprovalRequest.
    package var namespace: String?
    /// The message of the `Approved` condition and of the commit.
    package var message: String?
    package var repo: String?

    package init(
        name: String, namespace: String? = nil, message: String? = nil, repo: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.message = message
        self.repo = repo
    }
}

/// Options of `gitfleet validate`.
package struct ValidateOptions: Equatable, Sendable {
    /// A folder (or one file) to check; nil means the current folder.
    package var path: String?

    package init(path: String? = nil) {
        self.path = path
    }
}

/// Options of `gitfleet report`: what a member tells the hub about a snapshot it applied.
package struct ReportOptions: Equatable, Sendable {
    /// The member cluster reporting.
    package var member: String
    /// The placement whose snapshot the member applied.
    package var placement: String
    /// Set for a ResourcePlacement; nil for a ClusterResourcePlacement.
    package var namespace: String?
    /// The resource snapshot the member applied, by name or index.
    package var snapshot: String
    /// The snapshot's resources are available on the member.
    package var available: Bool
    /// The snapshot's resources are applied on the member.
    package var applied: Bool
    package var repo: String?
    /// The commit message; nil means a generated one.
    package var message: String?

    package init(
        member: String, placement: String, namespace: String? = nil, snapshot: String,
        available: Bool = false, applied: Bool = false, repo: String? = nil,
        message: String? = nil
    ) {
        self.member = member
        self.placement = placement
        self.namespace = namespace
        self.snapshot = snapshot
        self.available = available
        self.applied = applied
        self.repo = repo
        self.message = message
    }
}

/// The subcommands, in the order help lists them.
package enum CommandName: String, CaseIterable, Sendable {
    case sync, get, approve, validate, report, help, version
}

/// What a command line asks for, fully typed.
package enum Command: Equatable, Sendable {
    case sync(SyncOptions)
    case get(GetOptions)
    case approve(ApproveOptions)
    case validate(ValidateOptions)
    case report(ReportOptions)
    /// Help for gitfleet (nil) or one command.
    case help(CommandName?)
    case version
}

/// A parsed command line: the command and the logging verbosity.
package struct Invocation: Equatable, Sendable {
    package var command: Command
    package var verbosity: Verbosity

    package init(_ command: Command, verbosity: Verbosity = .normal) {
        self.command = command
        self.verbosity = verbosity
    }
}
