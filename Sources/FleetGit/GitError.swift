internal import CLibGit2

/// A failed libgit2 call (or a check FleetGit makes before calling it): code, class, libgit2's
/// message and the function that failed.
package struct GitError: Error, Sendable {
    /// A libgit2 return code; the named constants are the ones callers act on.
    package struct Code: RawRepresentable, Hashable, Sendable {
        /// The C value.
        package let rawValue: Int32
        /// Wraps a C value; any negative libgit2 code is representable.
        package init(rawValue: Int32) { self.rawValue = rawValue }

        /// GIT_ERROR: a failure with no more specific code.
        package static let generic = Code(rawValue: -1)
        /// GIT_ENOTFOUND: the object, reference or repository does not exist.
        package static let notFound = Code(rawValue: -3)
        /// GIT_EEXISTS: something already exists where it must not.
        package static let exists = Code(rawValue: -4)
        /// GIT_EAMBIGUOUS: a short id or name matches more than one object.
        package static let ambiguous = Code(rawValue: -5)
        /// GIT_EUSER: a callback asked to stop.
        package static let user = Code(rawValue: -7)
        /// GIT_EBAREREPO: the operation needs a work tree.
        package static let bareRepository = Code(rawValue: -8)
        /// GIT_EUNBORNBRANCH: HEAD names a branch with no commits yet.
        package static let unbornBranch = Code(rawValue: -9)
        /// GIT_ENONFASTFORWARD: a push or update would not be a fast-forward.
        package static let nonFastForward = Code(rawValue: -11)
        /// GIT_EINVALIDSPEC: a reference name or refspec is malformed.
        package static let invalidSpec = Code(rawValue: -12)
        /// GIT_ECONFLICT: checkout conflicts prevented the operation.
        package static let conflict = Code(rawValue: -13)
        /// GIT_ELOCKED: a lock file is held by someone else.
        package static let locked = Code(rawValue: -14)
        /// GIT_EMODIFIED: a reference no longer has the value the caller expected.
        package static let modified = Code(rawValue: -15)
        /// GIT_EAUTH: the remote refused every credential offered.
        package static let auth = Code(rawValue: -16)
        /// GIT_ECERTIFICATE: the server's certificate or host key was not accepted.
        package static let certificate = Code(rawValue: -17)
        /// GIT_EPEEL: an object cannot be peeled to the requested type.
        package static let peel = Code(rawValue: -19)
        /// GIT_EEOF: the remote closed the connection early.
        package static let endOfFile = Code(rawValue: -20)
        /// GIT_EINVALID: invalid input, such as a bad path in a tree edit.
        package static let invalid = Code(rawValue: -21)
        /// GIT_EDIRECTORY: the operation is not valid for a directory.
        package static let directory = Code(rawValue: -23)
        /// GIT_EMISMATCH: an object's content does not match its id.
        package static let mismatch = Code(rawValue: -33)
        /// GIT_EOWNER: the repository belongs to another user and owner validation is on.
        package static let owner = Code(rawValue: -36)

        /// A short lower-case name for messages.
        package var name: String {
            switch rawValue {
            case -1: "error"
            case -3: "not found"
            case -4: "exists"
            case -5: "ambiguous"
            case -7: "stopped by callback"
            case -8: "bare repository"
            case -9: "unborn branch"
            case -11: "non-fast-forward"
            case -12: "invalid spec"
            case -13: "conflict"
            case -14: "locked"
            case -15: "modified"
            case -16: "authentication"
            case -17: "certificate"
            case -19: "peel"
            case -20: "end of file"
            case -21: "invalid"
            case -23: "directory"
            case -33: "mismatch"
            case -36: "owner"
            default: "code \(rawValue)"
            }
        }
    }

    /// libgit2's error class (`git_error_t`): which subsystem reported the failure.
    package struct ErrorClass: RawRepresentable, Hashable, Sendable {
        /// The C value.
        package let rawValue: Int32
        /// Wraps a C value.
        package init(rawValue: Int32) { self.rawValue = rawValue }

        /// No class: libgit2 left no error, or FleetGit raised the error itself.
        package static let none = ErrorClass(rawValue: 0)
        /// GIT_ERROR_OS: a system call failed.
        package static let os = ErrorClass(rawValue: 2)
        /// GIT_ERROR_INVALID: invalid input.
        package static let invalid = ErrorClass(rawValue: 3)
        /// GIT_ERROR_REFERENCE: references.
        package static let reference = ErrorClass(rawValue: 4)
        /// GIT_ERROR_REPOSITORY: opening or creating repositories.
        package static let repository = ErrorClass(rawValue: 6)
        /// GIT_ERROR_CONFIG: configuration, including ownership checks.
        package static let config = ErrorClass(rawValue: 7)
        /// GIT_ERROR_ODB: the object database.
        package static let odb = ErrorClass(rawValue: 9)
        /// GIT_ERROR_NET: network transports.
        package static let net = ErrorClass(rawValue: 12)
        /// GIT_ERROR_TREE: trees and tree builders.
        package static let tree = ErrorClass(rawValue: 14)
        /// GIT_ERROR_SSL: TLS.
        package static let ssl = ErrorClass(rawValue: 16)
        /// GIT_ERROR_SSH: the SSH transport.
        package static let ssh = ErrorClass(rawValue: 23)
        /// GIT_ERROR_CALLBACK: a callback failed.
        package static let callback = ErrorClass(rawValue: 26)
        /// GIT_ERROR_HTTP: the HTTP transport.
        package static let http = ErrorClass(rawValue: 34)
    }

    /// The return code.
    package let code: Code
    /// The subsystem libgit2 named.
    package let errorClass: ErrorClass
    /// libgit2's own message, or FleetGit's when it raised the error itself.
    package let message: String
    /// The libgit2 function (or FleetGit operation) that failed.
    package let function: String
    /// What FleetGit was doing, with user values quoted, such as "fetching from 'url'".
    package let context: String?

    /// Builds an error FleetGit raises itself, without a libgit2 call behind it.
    package init(
        code: Code, message: String, function: String, context: String? = nil,
        errorClass: ErrorClass = .none
    ) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.function = function
        self.context = context
    }

    /// Reads libgit2's thread-local error right after `function` returned `result`, then
    /// clears it so a later failure cannot report this stale text.
    static func fromLastError(_ result: Int32, function: String, context: String?) -> GitError {
        var message = "libgit2 gave no details"
        var errorClass = ErrorClass.none
        if let last = git_error_last() {
            errorClass = ErrorClass(rawValue: last.pointee.klass)
            if let text = last.pointee.message {
                message = String(cString: text)
            }
        }
        git_error_clear()
        return GitError(
            code: Code(rawValue: result), message: message, function: function,
            context: context, errorClass: errorClass)
    }

    /// The same error with different context, for rewording a failure callers often meet.
    func with(context: String?, message: String? = nil) -> GitError {
        GitError(
            code: code, message: message ?? self.message, function: function,
            context: context, errorClass: errorClass)
    }
}

extension GitError: CustomStringConvertible {
    /// One sentence: what failed, in which function, libgit2's text and the code's name.
    package var description: String {
        var text = message
        while text.last == "." || text.last == "\n" || text.last == " " {
            text.removeLast()
        }
        let prefix = context.map { "\($0) failed in \(function)" } ?? "\(function) failed"
        return "\(prefix): \(text) (\(code.name))"
    }
}

/// Turns a libgit2 return code into a throw: the single place FleetGit reads git_error_last.
/// Negative codes fail; zero and positive values (counts, booleans) pass.
func check(
    _ result: Int32, _ function: String, _ context: @autoclosure () -> String? = nil
) throws {
    guard result < 0 else { return }
    throw GitError.fromLastError(result, function: function, context: context())
}
