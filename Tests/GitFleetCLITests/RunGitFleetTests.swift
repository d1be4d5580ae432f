import Foundation
import FleetAPI
import FleetYAML
import GitFleetCLI
import Testing

@Suite struct RunGitFleetTests {
    @Test func versionPrintsVersion() async {
        let got = await runCommand(["version"])
        #expect(got.status == 0)
        #expect(got.stdout == "gitfleet \(gitfleetVersion)\n")
    }

    @Test(arguments: [nil] + CommandName.allCases.map(Optional.some))
    func helpMatchesGolden(_ command: CommandName?) async throws {
        let arguments = ["help"] + (command.map { [$0.rawValue] } ?? [])
        let got = await runCommand(arguments)
        #expect(got.status == 0)
        #expect(got.stderr == "")
        let file = "help" + (command.map { "-" + $0.rawValue } ?? "") + ".txt"
        try GoldenFile.check(got.stdout, against: file)
        let flag = await runCommand((command.map { [$0.rawValue] } ?? []) + ["--help"])
        #expect(flag.stdout == got.stdout)
    }

    @Test func helpLinesFitEightyColumns() {
        for command in [nil] + CommandName.allCases.map(Optional.some) {
            let long = HelpText.render(command).split(separator: "\n").filter { $0.count > 80 }
            #expect(long.isEmpty, "\(String(describing: command))")
        }
    }

    @Test func placeholderActionsSayNotImplemented() async throws {
        let empty = FileManager.default.temporaryDirectory
            .appendingPathComponent("gitfleet-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        for (arguments, command) in [
            (["sync", "--repo", "r", "--once"], "sync"), (["get", "crp"], "get"),
            (["approve", "x"], "approve"),
            (["report", "--member", "m", "--placement", "p", "--snapshot", "s"], "report"),
        ] {
            let got = await runCommand(arguments, actions: PlaceholderActions())
            #expect(got.status == 3)
            #expect(got.stderr == "error: 'gitfleet \(command)' is not implemented yet\n")
        }
        let validate = await runCommand(["validate", empty.path], actions: PlaceholderActions())
        #expect(validate.status == 0)
        #expect(validate.stdout == "no problems found in 0 manifest files\n")
    }

    @Test func syncStatusComesFromAction() async {
        #expect(await runCommand(["sync", "--repo", "r", "--once"]).status == 0)
        #expect(await runCommand(["sync", "--repo", "r"]).status == 7)
    }

    @Test func verbosityControlsLogLines() async {
        let quiet = await runCommand(["sync", "--repo", "/hub", "--once"])
        #expect(quiet.stderr == "")
        let verbose = await runCommand(["-v", "sync", "--repo", "/hub", "--once"])
        #expect(verbose.stderr == "2025-03-01T12:00:00.000Z info gitfleet repo=/hub tick started\n")
        let debug = await runCommand(["sync", "--repo", "/hub", "--once", "-vv"])
        #expect(debug.stderr.split(separator: "\n").count == 2)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var error: any Error & Sendable
        var status: Int32
        var stderr: String
        var testDescription: String { stderr }
    }

    struct UncategorizedError: Error, CustomStringConvertible {
        var description: String { "libgit2 said no" }
    }

    static let failures: [Failure] = [
        Failure(error: CLIError.input("no member 'm9'"), status: 1,
                stderr: "error: no member 'm9'\n"),
        Failure(error: CLIError.io("cannot push to 'origin'"), status: 3,
                stderr: "error: cannot push to 'origin'\n"),
        Failure(error: Diagnostic("unknown field 'spec.foo'",
                                  at: SourceLocation(file: "runs/a.yaml", line: 4)),
                status: 1, stderr: "error: runs/a.yaml:4: unknown field 'spec.foo'\n"),
        Failure(error: UncategorizedError(), status: 3, stderr: "error: libgit2 said no\n"),
    ]

    @Test(arguments: failures)
    func errorsMapToExitStatus(_ failure: Failure) async {
        var actions = FixtureActions()
        actions.failure = failure.error
        for arguments in [["approve", "x"], ["get", "crp"], ["sync", "--repo", "r"]] {
            let got = await runCommand(arguments, actions: actions)
            #expect(got.status == failure.status)
            #expect(got.stderr == failure.stderr)
            #expect(got.stdout == "")
        }
    }

    @Test func approvePrintsActionResult() async {
        let got = await runCommand(["approve", "run-1-before-prod"])
        #expect(got.status == 0)
        #expect(got.stdout == "approved 'run-1-before-prod'\n")
        let report = await runCommand(
            ["report", "--member", "m", "--placement", "p", "--snapshot", "s"])
        #expect(report.status == 0)
        #expect(report.stdout == "")
    }
}
