import FleetAPI

/// A command line that gitfleet cannot run; exits with status 2.
///
/// The problem holds the facts and `message` is the one place that words them.
package struct UsageError: Error, Equatable, Sendable {
    /// What is wrong with the command line. Tokens are kept as the user typed them.
    package enum Problem: Equatable, Sendable {
        case missingCommand
        case unknownCommand(String)
        case unknownOption(String)
        case missingValue(option: String)
        case unexpectedValue(option: String, value: String)
        case repeatedOption(String)
        case missingArgument(String)
        case missingOption(String)
        case unexpectedArgument(String)
        case invalidValue(option: String, value: String, expected: String)
        case conflictingOptions(String, String)
        case unknownKind(String)
        case unsupportedKind(FleetKind)
        case nameWithAllNamespaces(name: String, option: String)
        case unknownHelpTopic(String)
    }

    package var problem: Problem
    /// The command whose usage line follows the error; nil for gitfleet's own.
    package var command: CommandName?
    /// A near miss for the bad token, offered as "did you mean".
    package var suggestion: String?

    package init(_ problem: Problem, command: CommandName? = nil, suggestion: String? = nil) {
        self.problem = problem
        self.command = command
        self.suggestion = suggestion
    }

    /// One sentence naming the bad token, with the suggestion when there is one.
    package var message: String {
        let sentence: String
        switch problem {
        case .missingCommand:
            sentence = "missing command"
        case let .unknownCommand(token):
            sentence = "unknown command '\(token)'"
        case let .unknownOption(token):
            sentence = "unknown option '\(token)'" + (command.map { " for '\($0.rawValue)'" } ?? "")
        case let .missingValue(option):
            sentence = "option '\(option)' needs a value"
        case let .unexpectedValue(option, value):
            sentence = "option '\(option)' takes no value, but got '\(value)'"
        case let .repeatedOption(option):
            sentence = "option '\(option)' is given more than once"
        case let .missingArgument(name):
            sentence = "missing argument '\(name)'"
        case let .missingOption(option):
            sentence = "missing required option '\(option)'"
        case let .unexpectedArgument(token):
            sentence = "unexpected argument '\(token)'"
        case let .invalidValue(option, value, expected):
            sentence = "invalid value '\(value)' for '\(option)': expected \(expected)"
        case let .conflictingOptions(first, second):
            sentence = "'\(first)' and '\(second)' cannot be used together"
        case let .unknownKind(token):
            sentence = "unknown kind '\(token)'"
        case let .unsupportedKind(kind):
            sentence = "'gitfleet get' does not list kind '\(kind.rawValue)'"
        case let .nameWithAllNamespaces(name, option):
            sentence = "cannot get '\(name)' by name across all namespaces ('\(option)')"
        case let .unknownHelpTopic(token):
            sentence = "no help for unknown command '\(token)'"
        }
        return sentence + (suggestion.map { ", did you mean '\($0)'?" } ?? "")
    }

    /// The usage of the command concerned, as printed below the error.
    package var usageLine: String { CommandSpec.usage(of: command) }
}
