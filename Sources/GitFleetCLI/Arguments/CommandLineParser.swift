/// Turns a command line into an `Invocation`, driven by the `CommandSpec` tables.
///
/// Accepts `--long VALUE`, `--long=VALUE`, `-s VALUE`, `-sVALUE`, clusters of short flags
/// (`-vv`), and `--` to end options. Global options may come before or after the command.
package enum CommandLineParser {
    /// Parses `arguments`, which exclude the program name.
    package static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        if let help = try helpRequest(in: arguments) { return Invocation(help) }
        var parser = Parser()
        try parser.consume(arguments)
        return try parser.finish()
    }

    /// `.help(...)` when `-h` or `--help` appears before `--`, whatever else is wrong with
    /// the line, so that a user who is lost always gets help.
    private static func helpRequest(in arguments: [String]) throws(UsageError) -> Command? {
        let options = arguments.prefix { $0 != "--" }
        guard options.contains(where: { $0 == "-h" || $0 == "--help" }) else { return nil }
        var index = options.startIndex
        while index < options.endIndex {
            let token = options[index]
            index += 1
            if token == "--repo" {
                index += 1
            } else if !token.hasPrefix("-") {
                guard let name = CommandName(rawValue: token) else {
                    throw UsageError(.unknownCommand(token), suggestion: Suggestion.nearest(
                        to: token, in: CommandName.allCases.map(\.rawValue)))
                }
                return .help(name)
            }
        }
        return .help(nil)
    }
}

/// The state of one parse: global settings so far, the command and its tokens.
private struct Parser {
    var verboseCount = 0
    var verboseSpelling = "-v"
    var quiet = false
    var wantsHelp = false
    var wantsVersion = false
    var spec: CommandSpec?
    var parsed = ParsedArguments(command: .help)

    mutating func consume(_ arguments: [String]) throws(UsageError) {
        var index = 0
        var optionsEnded = false
        func nextValue(for spelling: String) throws(UsageError) -> String {
            guard index < arguments.count else {
                throw UsageError(.missingValue(option: spelling), command: spec?.name)
            }
            defer { index += 1 }
            return arguments[index]
        }
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if optionsEnded || !token.hasPrefix("-") || token == "-" {
                try positional(token)
            } else if token == "--" {
                optionsEnded = true
            } else if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                let spelling = "--" + name
                guard let option = available.first(where: { $0.long == name }) else {
                    throw UsageError(.unknownOption(spelling), command: spec?.name,
                                     suggestion: Suggestion.nearest(
                                        to: spelling, in: available.map { "--" + $0.long }))
                }
                if option.takesValue {
                    var value = inline
                    if value == nil { value = try nextValue(for: spelling) }
                    try record(option, spelling: spelling, value: value)
                } else if let inline {
                    throw UsageError(.unexpectedValue(option: spelling, value: inline),
                                     command: spec?.name)
                } else {
                    try record(option, spelling: spelling, value: nil)
                }
            } else {
                var rest = token.dropFirst()
                while let letter = rest.popFirst() {
                    let spelling = "-\(letter)"
                    guard let option = available.first(where: { $0.short == letter }) else {
                        let shorts = available.compactMap { $0.short.map { "-\($0)" } }
                        throw UsageError(.unknownOption(spelling), command: spec?.name,
                                         suggestion: Suggestion.nearest(to: spelling, in: shorts))
                    }
                    if option.takesValue {
                        var value = String(rest)
                        if value.isEmpty { value = try nextValue(for: spelling) }
                        rest = ""
                        try record(option, spelling: spelling, value: value)
                    } else {
                        try record(option, spelling: spelling, value: nil)
                    }
                }
            }
        }
    }

    /// The options valid at this point: the command's, then the global ones.
    var available: [OptionSpec] { (spec?.options ?? []) + CommandSpec.globalOptions }

    mutating func positional(_ token: String) throws(UsageError) {
        if spec != nil {
            parsed.positionals.append(token)
            return
        }
        guard let name = CommandName(rawValue: token) else {
            throw UsageError(.unknownCommand(token), suggestion: Suggestion.nearest(
                to: token, in: CommandName.allCases.map(\.rawValue)))
        }
        spec = CommandSpec.spec(name)
        parsed.command = name
    }

    mutating func record(
        _ option: OptionSpec, spelling: String, value: String?
    ) throws(UsageError) {
        switch option.long {
        case "verbose":
            verboseCount += 1
            verboseSpelling = spelling
            return
        case "quiet":
            quiet = true
            return
        case "help":
            wantsHelp = true
            return
        case "version":
            wantsVersion = true
            return
        default:
            break
        }
        if let value, value.isEmpty, option.long != "message" {
            throw UsageError(.invalidValue(option: spelling, value: value,
                                           expected: "a non-empty value"), command: spec?.name)
        }
        if option.long == "repo" {
            guard parsed.repo == nil else {
                throw UsageError(.repeatedOption(spelling), command: spec?.name)
            }
            parsed.repo = value
            return
        }
        guard parsed.spellings[option.long] == nil || !option.takesValue else {
            throw UsageError(.repeatedOption(spelling), command: spec?.name)
        }
        parsed.spellings[option.long] = spelling
        if let value {
            parsed.values[option.long] = value
        } else {
            parsed.flags.insert(option.long)
        }
    }

    func finish() throws(UsageError) -> Invocation {
        if quiet && verboseCount > 0 {
            throw UsageError(.conflictingOptions("-q", verboseSpelling), command: spec?.name)
        }
        let verbosity = quiet ? Verbosity.quiet : Verbosity.verbose(count: verboseCount)
        if wantsHelp { return Invocation(.help(spec?.name), verbosity: verbosity) }
        if wantsVersion { return Invocation(.version, verbosity: verbosity) }
        guard let spec else { throw UsageError(.missingCommand) }
        return Invocation(try spec.build(parsed), verbosity: verbosity)
    }
}

/// The tokens of one command, sorted into option values, flags and positional arguments.
struct ParsedArguments: Sendable {
    var command: CommandName
    var values: [String: String] = [:]
    var flags: Set<String> = []
    /// How the user spelled each option (`-n` or `--namespace`), for messages.
    var spellings: [String: String] = [:]
    var positionals: [String] = []
    /// The global `--repo`.
    var repo: String?

    func value(_ long: String) -> String? { values[long] }

    func flag(_ long: String) -> Bool { flags.contains(long) }

    func spelling(_ long: String) -> String { spellings[long] ?? "--" + long }

    func positional(_ index: Int) -> String? {
        positionals.indices.contains(index) ? positionals[index] : nil
    }

    func failure(_ problem: UsageError.Problem, suggestion: String? = nil) -> UsageError {
        UsageError(problem, command: command, suggestion: suggestion)
    }

    func required(_ long: String) throws(UsageError) -> String {
        guard let value = values[long] else { throw failure(.missingOption("--" + long)) }
        return value
    }

    func checkPositionals(max: Int) throws(UsageError) {
        if positionals.count > max { throw failure(.unexpectedArgument(positionals[max])) }
    }
}
