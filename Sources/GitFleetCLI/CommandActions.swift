import Foundation
import FleetAPI
import FleetEngine
import FleetYAML

/// What every action gets from the command line layer.
package struct CommandContext: Sendable {
    /// Logs to standard error at the threshold `-q`, `-v` or `-vv` chose.
    package var logger: Logger
    /// The clock; tests pass a fixed one.
    package var now: @Sendable () -> Date

    package init(logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.logger = logger
        self.now = now
    }
}

/// The work behind each command, supplied by the engine. The command line layer parses,
/// dispatches, formats and maps errors to exit statuses; it does no git or fleet work itself.
///
/// Throw a `CategorizedError` (or `Diagnostic` for bad input) to choose the exit status;
/// any other error exits with 3, as git and I/O failures do.
package protocol CommandActions: Sendable {
    /// Runs sync ticks (one with `--once`) and returns the exit status.
    func sync(_ options: SyncOptions, context: CommandContext) async throws -> Int32

    /// The committed state `gitfleet get` shows: the head commit of `repository` (nil: the
    /// repository in the current folder), with everything gitfleet wrote under status/.
    func loadState(repository: String?, context: CommandContext) throws -> FleetState

    /// Approves a request and commits; returns what to print, such as the new commit.
    func approve(_ options: ApproveOptions, context: CommandContext) throws -> String

    /// Writes a member's report and commits; returns what to print.
    func report(_ options: ReportOptions, context: CommandContext) throws -> String

    /// Turns objects into YAML for `get -o yaml` and `get -o json`.
    var serializer: any ObjectSerializer { get }
}

extension CommandActions {
    /// FleetEncoder's documents written by YAMLWriter, unless an implementation says otherwise.
    package var serializer: any ObjectSerializer { FleetObjectSerializer() }
}

/// Turns the objects `gitfleet get` shows into YAML nodes and YAML text.
package protocol ObjectSerializer: Sendable {
    /// The whole object as kubectl shows it: apiVersion, kind, metadata, spec and status.
    func node(for item: FleetItem) throws -> YAMLNode

    /// One YAML document for `node`, ending in a newline.
    func yamlText(for node: YAMLNode) throws -> String
}

/// The actions of a build whose engine is not plugged in yet: `sync`, `get`, `approve` and
/// `report` fail with "not implemented yet" (exit 3); `help`, `version` and `validate` work.
package struct PlaceholderActions: CommandActions {
    package init() {}

    package func sync(_ options: SyncOptions, context: CommandContext) async throws -> Int32 {
        throw CLIError.notImplemented("sync")
    }

    package func loadState(repository: String?, context: CommandContext) throws -> FleetState {
        throw CLIError.notImplemented("get")
    }

    package func approve(_ options: ApproveOptions, context: CommandContext) throws -> String {
        throw CLIError.notImplemented("approve")
    }

    package func report(_ options: ReportOptions, context: CommandContext) throws -> String {
        throw CLIError.notImplemented("report")
    }
}
