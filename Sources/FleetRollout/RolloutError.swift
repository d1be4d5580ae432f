/// A reason the reconcile could not go on, with KubeFleet's wording and prefixes.
///
/// A fatal error ends the run for good and its message lands in a condition; a retriable one
/// leaves the status as it stands and the run is looked at again on a later tick.
struct RolloutError: Error, Sendable {
    enum Severity: Sendable {
        case fatal
        case retriable
    }

    /// Which of KubeFleet's error categories the cause belongs to; it decides the prefix.
    enum Category: Sendable {
        /// The user has to change something (metrics call it `user_error`).
        case user
        /// A state that should not happen.
        case unexpected
        /// A plain condition with no category prefix.
        case plain

        var prefix: String {
            switch self {
            case .user: return "failed to process the request due to a client error: "
            case .unexpected: return "unexpected behavior which cannot be handled by the controller: "
            case .plain: return ""
            }
        }
    }

    static let abortedPrefix = "cannot continue the updateRun: "
    static let initializationPrefix = abortedPrefix + "failed to validate the updateRun"

    var severity: Severity
    /// The cause with its category prefix, without the "cannot continue" part.
    var cause: String
    /// The whole message, as written into conditions.
    var message: String

    /// A fatal error from an initialization step (also reused by validation).
    static func initialization(_ category: Category, _ detail: String) -> RolloutError {
        let cause = category.prefix + detail
        return RolloutError(
            severity: .fatal, cause: cause, message: initializationPrefix + ": " + cause)
    }

    /// The one initialization error KubeFleet joins with ", " instead of ": ".
    static func initializationComma(_ category: Category, _ detail: String) -> RolloutError {
        let cause = category.prefix + detail
        return RolloutError(
            severity: .fatal, cause: cause, message: initializationPrefix + ", " + cause)
    }

    /// A fatal error found while validating, executing or stopping an initialized run.
    static func aborted(_ category: Category, _ detail: String) -> RolloutError {
        let cause = category.prefix + detail
        return RolloutError(severity: .fatal, cause: cause, message: abortedPrefix + cause)
    }

    /// A transient problem: nothing is recorded as failed.
    static func retriable(_ detail: String) -> RolloutError {
        RolloutError(severity: .retriable, cause: detail, message: detail)
    }

    /// Several errors of one pass as one, as Go's aggregate error prints them; fatal when any is.
    static func aggregate(_ errors: [RolloutError]) -> RolloutError {
        guard errors.count != 1, !errors.isEmpty else {
            return errors.first ?? .retriable("no error")
        }
        let fatal = errors.contains { $0.severity == .fatal }
        let text = "[" + errors.map(\.message).joined(separator: ", ") + "]"
        return RolloutError(severity: fatal ? .fatal : .retriable, cause: text, message: text)
    }
}
