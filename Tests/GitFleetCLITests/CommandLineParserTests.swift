import FleetAPI
import GitFleetCLI
import Testing

@Suite struct CommandLineParserTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var want: Invocation
        var testDescription: String { arguments.joined(separator: " ") }

        init(_ arguments: [String], _ command: Command, _ verbosity: Verbosity = .normal) {
            self.arguments = arguments
            self.want = Invocation(command, verbosity: verbosity)
        }
    }

    static let valid: [Valid] = [
        Valid(["sync", "--repo", "/hub", "--once"], .sync(SyncOptions(repo: "/hub", once: true))),
        Valid(["sync", "--repo=/hub", "--interval", "30s"],
              .sync(SyncOptions(repo: "/hub", interval: .seconds(30)))),
        Valid(["-v", "sync", "--repo", "https://git.example/hub.git", "--interval=5m",
               "--branch", "release", "--cache", "/var/cache/gitfleet"],
              .sync(SyncOptions(repo: "https://git.example/hub.git", branch: "release",
                                interval: .seconds(300), cache: "/var/cache/gitfleet")),
              .verbose),
        Valid(["--repo", "/hub", "sync", "--interval", "1h30m"],
              .sync(SyncOptions(repo: "/hub", interval: .seconds(5400)))),
        Valid(["get", "csur"], .get(GetOptions(kind: .clusterStagedUpdateRun))),
        Valid(["get", "ClusterStagedUpdateRuns", "run-1", "-o", "wide"],
              .get(GetOptions(kind: .clusterStagedUpdateRun, name: "run-1", output: .wide))),
        Valid(["get", "sur", "-n", "team-a", "-ojson"],
              .get(GetOptions(kind: .stagedUpdateRun, namespace: "team-a", output: .json))),
        Valid(["get", "resourcebinding", "-A", "--output=yaml"],
              .get(GetOptions(kind: .resourceBinding, allNamespaces: true, output: .yaml))),
        Valid(["get", "crp", "-Ao", "wide"],
              .get(GetOptions(kind: .clusterResourcePlacement, allNamespaces: true,
                              output: .wide))),
        Valid(["get", "cluster", "--repo", "/hub", "-vv"],
              .get(GetOptions(kind: .memberCluster, repo: "/hub")), .debug),
        Valid(["-q", "get", "areq", "--namespace=team-a"],
              .get(GetOptions(kind: .approvalRequest, namespace: "team-a")), .quiet),
        Valid(["get", "csus", "--", "-odd-name"],
              .get(GetOptions(kind: .clusterStagedUpdateStrategy, name: "-odd-name"))),
        Valid(["approve", "run-1-after-canary", "-n", "team-a", "-m", "ship it"],
              .approve(ApproveOptions(name: "run-1-after-canary", namespace: "team-a",
                                      message: "ship it"))),
        Valid(["approve", "run-1-before-prod", "--message="],
              .approve(ApproveOptions(name: "run-1-before-prod", message: ""))),
        Valid(["validate"], .validate(ValidateOptions())),
        Valid(["validate", "manifests"], .validate(ValidateOptions(path: "manifests"))),
        Valid(["--repo", "hub", "validate"], .validate(ValidateOptions(path: "hub"))),
        Valid(["report", "--member", "m1", "--placement", "app", "--snapshot", "app-1-snapshot",
               "--applied", "--available", "--repo", "/hub"],
              .report(ReportOptions(member: "m1", placement: "app", snapshot: "app-1-snapshot",
                                    available: true, applied: true, repo: "/hub"))),
        Valid(["report", "--member", "m1", "--placement", "api", "-n", "team-a", "--snapshot",
               "0", "--applied"],
              .report(ReportOptions(member: "m1", placement: "api", namespace: "team-a",
                                    snapshot: "0", applied: true))),
        Valid(["help"], .help(nil)),
        Valid(["help", "get"], .help(.get)),
        Valid(["get", "--help"], .help(.get)),
        Valid(["--help"], .help(nil)),
        Valid(["-h", "sync"], .help(.sync)),
        Valid(["sync", "--bogus", "-h"], .help(.sync)),
        Valid(["version"], .version),
        Valid(["--version"], .version),
        Valid(["-vvv", "version"], .version, .trace),
        Valid(["-v", "-v", "version"], .version, .debug),
    ]

    @Test(arguments: valid)
    func validLineParses(_ line: Valid) throws {
        let got = try CommandLineParser.parse(line.arguments)
        #expect(got == line.want)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var command: CommandName?
        var testDescription: String { arguments.joined(separator: " ") }

        init(_ arguments: [String], _ message: String, _ command: CommandName? = nil) {
            self.arguments = arguments
            self.message = message
            self.command = command
        }
    }

    static let invalid: [Invalid] = [
        Invalid([], "missing command"),
        Invalid(["-v"], "missing command"),
        Invalid(["synk"], "unknown command 'synk', did you mean 'sync'?"),
        Invalid(["xyz"], "unknown command 'xyz'"),
        Invalid(["--onse"], "unknown option '--onse'"),
        Invalid(["sync"], "missing required option '--repo'", .sync),
        Invalid(["sync", "--repo", "r", "--onse"],
                "unknown option '--onse' for 'sync', did you mean '--once'?", .sync),
        Invalid(["sync", "--repo", "r", "--once", "--interval", "30s"],
                "'--once' and '--interval' cannot be used together", .sync),
        Invalid(["sync", "--repo", "r", "--interval", "30"],
                "invalid value '30' for '--interval': expected a duration above zero such as "
                    + "'30s', '5m' or '1h'", .sync),
        Invalid(["sync", "--repo", "r", "--interval", "0s"],
                "invalid value '0s' for '--interval': expected a duration above zero such as "
                    + "'30s', '5m' or '1h'", .sync),
        Invalid(["sync", "--repo"], "option '--repo' needs a value", .sync),
        Invalid(["sync", "--repo", "r", "--once=yes"],
                "option '--once' takes no value, but got 'yes'", .sync),
        Invalid(["sync", "--repo", "a", "--repo", "b"],
                "option '--repo' is given more than once", .sync),
        Invalid(["sync", "--repo", "r", "extra"], "unexpected argument 'extra'", .sync),
        Invalid(["get"], "missing argument 'KIND'", .get),
        Invalid(["get", "crpp"], "unknown kind 'crpp', did you mean 'crp'?", .get),
        Invalid(["get", "stagedupdaterunz"],
                "unknown kind 'stagedupdaterunz', did you mean 'stagedupdateruns'?", .get),
        Invalid(["get", "deployments"], "unknown kind 'deployments'", .get),
        Invalid(["get", "cro"], "'gitfleet get' does not list kind 'ClusterResourceOverride'",
                .get),
        Invalid(["get", "sur", "-n", "a", "-A"], "'-n' and '-A' cannot be used together", .get),
        Invalid(["get", "sur", "run-1", "--all-namespaces"],
                "cannot get 'run-1' by name across all namespaces ('--all-namespaces')", .get),
        Invalid(["get", "csur", "-o", "table"],
                "invalid value 'table' for '-o': expected one of 'wide', 'yaml' or 'json'", .get),
        Invalid(["get", "csur", "-o", "jsno"],
                "invalid value 'jsno' for '-o': expected one of 'wide', 'yaml' or 'json', "
                    + "did you mean 'json'?", .get),
        Invalid(["get", "csur", "a", "b"], "unexpected argument 'b'", .get),
        Invalid(["get", "csur", "-x"], "unknown option '-x' for 'get'", .get),
        Invalid(["get", "csur", "-a"], "unknown option '-a' for 'get', did you mean '-A'?", .get),
        Invalid(["get", "csur", "--namespaces", "a"],
                "unknown option '--namespaces' for 'get', did you mean '--namespace'?", .get),
        Invalid(["get", "csur", "-n", "a", "--namespace", "b"],
                "option '--namespace' is given more than once", .get),
        Invalid(["get", "csur", "-n", ""],
                "invalid value '' for '-n': expected a non-empty value", .get),
        Invalid(["get", "csur", "-n"], "option '-n' needs a value", .get),
        Invalid(["approve"], "missing argument 'NAME'", .approve),
        Invalid(["aprove", "x"], "unknown command 'aprove', did you mean 'approve'?"),
        Invalid(["report", "--member", "m"], "missing required option '--placement'", .report),
        Invalid(["validate", "a", "--repo", "b"], "'--repo' and 'a' cannot be used together",
                .validate),
        Invalid(["help", "gett"], "no help for unknown command 'gett', did you mean 'get'?",
                .help),
        Invalid(["help", "get", "sync"], "unexpected argument 'sync'", .help),
        Invalid(["-q", "-v", "version"], "'-q' and '-v' cannot be used together", .version),
        Invalid(["-vq", "version"], "'-q' and '-v' cannot be used together", .version),
        Invalid(["version", "extra"], "unexpected argument 'extra'", .version),
        Invalid(["gett", "--help"], "unknown command 'gett', did you mean 'get'?"),
    ]

    @Test(arguments: invalid)
    func invalidLineIsUsageError(_ line: Invalid) {
        #expect {
            try CommandLineParser.parse(line.arguments)
        } throws: { error in
            guard let usage = error as? UsageError else { return false }
            #expect(usage.message == line.message)
            #expect(usage.command == line.command)
            #expect(usage.category.exitCode == 2)
            return true
        }
    }

    @Test func usageErrorPrintsSentenceAndUsage() async {
        let got = await runCommand(["sync", "--repo", "r", "--onse"])
        #expect(got.status == 2)
        #expect(got.stdout == "")
        #expect(got.stderr == """
            error: unknown option '--onse' for 'sync', did you mean '--once'?
            usage: gitfleet sync --repo PATH|URL [--branch NAME]
                                 [--once | --interval DURATION] [--cache DIR]

            """)
    }

    @Test func missingCommandShowsGlobalUsage() async {
        let got = await runCommand([])
        #expect(got.status == 2)
        #expect(got.stderr == "error: missing command\n"
            + "usage: gitfleet [-v | -vv | -q] COMMAND [OPTIONS]\n")
    }

    @Test(arguments: [
        (0, Verbosity.normal), (1, .verbose), (2, .debug), (3, .trace), (5, .trace),
    ])
    func verboseFlagsCount(_ count: Int, _ want: Verbosity) {
        #expect(Verbosity.verbose(count: count) == want)
    }

    @Test(arguments: [
        (Verbosity.quiet, "error"), (.normal, "notice"), (.verbose, "info"), (.debug, "debug"),
        (.trace, "trace"),
    ])
    func verbositySetsThreshold(_ verbosity: Verbosity, _ level: String) {
        #expect(verbosity.logLevel.rawValue == level)
    }
}

@Suite struct SuggestionTests {
    @Test(arguments: [
        ("", "", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("sync", "synk", 1),
        ("approve", "aprove", 1), ("csur", "sur", 1), ("flaw", "lawn", 2),
    ])
    func editDistanceCountsEdits(_ a: String, _ b: String, _ want: Int) {
        #expect(Suggestion.editDistance(a, b) == want)
        #expect(Suggestion.editDistance(b, a) == want)
    }

    @Test(arguments: [
        ("synk", ["sync", "get"], "sync"),
        ("--onse", ["--once", "--interval"], "--once"),
        ("-a", ["-n", "-A", "-o"], "-A"),
        ("-x", ["-n", "-A", "-o"], nil),
        ("xyz", ["sync", "get", "approve"], nil),
        ("valdiate", ["validate", "version"], "validate"),
        ("GET", ["get"], "get"),
        ("completely-different", ["get"], nil),
    ] as [(String, [String], String?)])
    func nearestNameIsSuggested(_ token: String, _ candidates: [String], _ want: String?) {
        #expect(Suggestion.nearest(to: token, in: candidates) == want)
    }
}
