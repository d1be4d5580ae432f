import FleetAPI

/// Builders that turn each command's parsed tokens into its typed options.
extension ParsedArguments {
    func syncCommand() throws(UsageError) -> Command {
        try checkPositionals(max: 0)
        guard let repo else { throw failure(.missingOption("--repo")) }
        let once = flag("once")
        var interval: Duration?
        if let text = value("interval") {
            if once { throw failure(.conflictingOptions(spelling("once"), spelling("interval"))) }
            guard let wait = WaitDuration(parsing: text), wait.seconds > 0 else {
                throw failure(.invalidValue(
                    option: spelling("interval"), value: text,
                    expected: "a duration above zero such as '30s', '5m' or '1h'"))
            }
            interval = .seconds(wait.seconds)
        }
        return .sync(SyncOptions(
            repo: repo, branch: value("branch"), once: once, interval: interval,
            cache: value("cache")))
    }

    func getCommand() throws(UsageError) -> Command {
        try checkPositionals(max: 2)
        guard let token = positional(0) else { throw failure(.missingArgument("KIND")) }
        guard let kind = FleetKind(lookup: token) else {
            throw failure(.unknownKind(token),
                          suggestion: Suggestion.nearest(to: token, in: FleetKind.listedNames))
        }
        guard kind.isListedByGet else { throw failure(.unsupportedKind(kind)) }
        let allNamespaces = flag("all-namespaces")
        let namespace = value("namespace")
        if allNamespaces, namespace != nil {
            throw failure(.conflictingOptions(spelling("namespace"), spelling("all-namespaces")))
        }
        let name = positional(1)
        if allNamespaces, let name {
            throw failure(.nameWithAllNamespaces(name: name, option: spelling("all-namespaces")))
        }
        var output = OutputFormat.table
        if let text = value("output") {
            let accepted: [OutputFormat] = [.wide, .yaml, .json]
            guard let format = OutputFormat(rawValue: text), accepted.contains(format) else {
                throw failure(
                    .invalidValue(option: spelling("output"), value: text,
                                  expected: "one of 'wide', 'yaml' or 'json'"),
                    suggestion: Suggestion.nearest(to: text, in: accepted.map(\.rawValue)))
            }
            output = format
        }
        return .get(GetOptions(
            kind: kind, name: name, namespace: namespace, allNamespaces: allNamespaces,
            output: output, repo: repo))
    }

    func approveCommand() throws(UsageError) -> Command {
        try checkPositionals(max: 1)
        guard let name = positional(0) else { throw failure(.missingArgument("NAME")) }
        return .approve(ApproveOptions(
            name: name, namespace: value("namespace"), message: value("message"), repo: repo))
    }

    func validateCommand() throws(UsageError) -> Command {
        try checkPositionals(max: 1)
        let path = positional(0)
        if let path, repo != nil { throw failure(.conflictingOptions("--repo", path)) }
        return .validate(ValidateOptions(path: path ?? repo))
    }

    func reportCommand() throws(UsageError) -> Command {
        try checkPositionals(max: 0)
        return .report(ReportOptions(
            member: try required("member"), placement: try required("placement"),
            namespace: value("namespace"), snapshot: try required("snapshot"),
            available: flag("available"), applied: flag("applied"), repo: repo,
            message: value("message")))
    }

    func helpCommand() throws(UsageError) -> Command {
        try checkPositionals(max: 1)
        guard let topic = positional(0) else { return .help(nil) }
        guard let name = CommandName(rawValue: topic) else {
            throw failure(.unknownHelpTopic(topic), suggestion: Suggestion.nearest(
                to: topic, in: CommandName.allCases.map(\.rawValue)))
        }
        return .help(name)
    }
}
