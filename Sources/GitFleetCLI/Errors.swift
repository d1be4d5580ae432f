import FleetAPI

/// Why a command failed, which decides its exit status (design.md section 7).
package enum ErrorCategory: Equatable, Sendable {
    /// The input is wrong: a manifest, an object name, a file the user pointed at. Exit 1.
    case input
    /// The command line is wrong. Exit 2.
    case usage
    /// git or I/O failed. Exit 3.
    case io

    /// The process exit status of this category.
    package var exitCode: Int32 {
        switch self {
        case .input: return ExitStatus.inputError
        case .usage: return ExitStatus.usageError
        case .io: return ExitStatus.failure
        }
    }
}

/// The exit statuses of design.md section 7.
package enum ExitStatus {
    /// The command did what was asked.
    package static let success: Int32 = 0
    /// The input is wrong.
    package static let inputError: Int32 = 1
    /// The command line is wrong.
    package static let usageError: Int32 = 2
    /// git or I/O failed.
    package static let failure: Int32 = 3
}

/// An error that knows its category and how to say itself; conform other modules' errors
/// (git, I/O) to this in GitFleetCLI so they exit with the right status.
package protocol CategorizedError: Error {
    var category: ErrorCategory { get }
    /// One sentence: lower-case start, no final full stop, user values in single quotes.
    var userMessage: String { get }
}

/// A failure with its category and sentence, for actions that have no error type of their own.
package struct CLIError: CategorizedError, Equatable {
    package var category: ErrorCategory
    package var userMessage: String

    package init(_ category: ErrorCategory, _ message: String) {
        self.category = category
        self.userMessage = message
    }

    /// The input is wrong (exit 1).
    package static func input(_ message: String) -> CLIError { CLIError(.input, message) }

    /// git or I/O failed (exit 3).
    package static func io(_ message: String) -> CLIError { CLIError(.io, message) }

    /// A command that this build cannot run yet (exit 3).
    package static func notImplemented(_ command: String) -> CLIError {
        CLIError(.io, "'gitfleet \(command)' is not implemented yet")
    }
}

extension UsageError: CategorizedError {
    package var category: ErrorCategory { .usage }
    package var userMessage: String { message }
}

/// How `runGitFleet` reports a caught error: the lines for standard error and the status.
struct ErrorReport {
    var lines: [String]
    var exitCode: Int32

    init(_ error: any Error) {
        switch error {
        case let usage as UsageError:
            lines = ["error: " + usage.message, usage.usageLine]
            exitCode = ErrorCategory.usage.exitCode
        case let categorized as any CategorizedError:
            lines = ["error: " + categorized.userMessage]
            exitCode = categorized.category.exitCode
        case let diagnostic as Diagnostic:
            lines = ["error: " + diagnostic.description]
            exitCode = ErrorCategory.input.exitCode
        default:
            // Errors nobody categorised come from libraries below us (Foundation, libgit2
            // wrappers), which means I/O or git trouble rather than bad input.
            lines = ["error: " + String(describing: error)]
            exitCode = ErrorCategory.io.exitCode
        }
    }
}
