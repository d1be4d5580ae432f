import Foundation
import FleetEngine

/// Runs one gitfleet command line (without the program name) and returns its exit status.
///
/// Command output goes to `stdout`; errors, notes such as "No resources found" and log lines
/// go to `stderr`.
package func runGitFleet(
    arguments: [String], actions: some CommandActions,
    stdout: some TextOutput = StandardOutput(), stderr: some TextOutput = StandardError(),
    clock: @escaping @Sendable () -> Date = { Date() }
) async -> Int32 {
    let invocation: Invocation
    do {
        invocation = try CommandLineParser.parse(arguments)
    } catch {
        stderr.write(ErrorReport(error).lines.map { $0 + "\n" }.joined())
        return ExitStatus.usageError
    }
    let logger = Logger(
        label: "gitfleet", logLevel: invocation.verbosity.logLevel,
        handler: StreamLogHandler { stderr.write($0) }, clock: clock)
    let context = CommandContext(logger: logger, now: clock)
    do {
        return try await run(invocation.command, actions: actions, context: context,
                             stdout: stdout, stderr: stderr)
    } catch {
        logger.debug("command failed", metadata: [
            "command": "\(arguments.first ?? "")", "error.type": "\(type(of: error))",
        ])
        let report = ErrorReport(error)
        stderr.write(report.lines.map { $0 + "\n" }.joined())
        return report.exitCode
    }
}

/// The executable's entry point: runs the process's command line and exits with its status.
package func gitfleetMain(actions: some CommandActions = PlaceholderActions()) async -> Never {
    let status = await runGitFleet(
        arguments: Array(CommandLine.arguments.dropFirst()), actions: actions)
    exit(status)
}

private func run(
    _ command: Command, actions: some CommandActions, context: CommandContext,
    stdout: some TextOutput, stderr: some TextOutput
) async throws -> Int32 {
    switch command {
    case let .help(topic):
        stdout.write(HelpText.render(topic))
    case .version:
        stdout.write("gitfleet \(gitfleetVersion)\n")
    case let .sync(options):
        return try await actions.sync(options, context: context)
    case let .get(options):
        let state = try actions.loadState(repository: options.repo, context: context)
        let output = try GetCommand.render(
            options, state: state, now: context.now(), serializer: actions.serializer)
        stdout.write(output.stdout)
        stderr.write(output.stderr)
    case let .approve(options):
        writeLine(try actions.approve(options, context: context), to: stdout)
    case let .report(options):
        writeLine(try actions.report(options, context: context), to: stdout)
    case let .validate(options):
        let result = try ValidateCommand.run(options, context: context)
        stdout.write(result.stdout)
        stderr.write(result.stderr)
        return result.exitCode
    }
    return ExitStatus.success
}

private func writeLine(_ text: String, to output: some TextOutput) {
    guard !text.isEmpty else { return }
    output.write(text.hasSuffix("\n") ? text : text + "\n")
}
