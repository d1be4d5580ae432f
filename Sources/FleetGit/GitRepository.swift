import Foundation
internal import CLibGit2

/// An open git repository: owns one libgit2 `git_repository` handle, freed in deinit.
///
/// `@unchecked Sendable` because every method takes the instance's recursive lock around its
/// libgit2 calls: a `git_repository` must not be used by two threads at once, the lock makes
/// callers take turns, and the raw handle never leaves this type.
package final class GitRepository: @unchecked Sendable {
    let handle: OpaquePointer
    private let lock = NSRecursiveLock()
    /// Objects kept in memory until flushed as one pack; nil until `batchWrites()`.
    var writeBatch: WriteBatch?
    /// The last flushed pack, kept for a push to a repository on this machine.
    var flushedPack: FlushedPack?

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        git_repository_free(handle)
    }

    // MARK: - Opening and creating

    /// Opens the repository at `path`, a bare repository or a work tree (git_repository_open).
    /// Does not search parent folders.
    package static func open(path: String) throws -> GitRepository {
        try GitLibrary.ensureInitialized()
        do {
            return try adopt("git_repository_open", "opening repository '\(path)'") {
                git_repository_open($0, path)
            }
        } catch let error as GitError where error.isOwnershipRefusal {
            throw error.with(
                context: "opening repository '\(path)'",
                message: "the repository belongs to another user, and libgit2 refuses it "
                    + "while owner validation is on (\(error.message))")
        }
    }

    /// Creates a new, empty repository at `path` whose HEAD names `initialBranch`
    /// (git_repository_init_ext); missing parent folders are created.
    package static func create(
        path: String, bare: Bool, initialBranch: String = "main"
    ) throws -> GitRepository {
        try GitLibrary.ensureInitialized()
        var options = git_repository_init_options()
        try check(
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "git_repository_init_options_init")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue
        if bare { options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue }
        return try initialBranch.withCString { head in
            options.initial_head = head
            return try adopt("git_repository_init_ext", "creating repository '\(path)'") {
                git_repository_init_ext($0, path, &options)
            }
        }
    }

    /// Runs a libgit2 call that produces a repository handle and wraps the handle.
    static func adopt(
        _ function: String, _ context: String,
        _ body: (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    ) throws -> GitRepository {
        var pointer: OpaquePointer?
        try check(body(&pointer), function, context)
        guard let pointer else {
            throw GitError(
                code: .generic, message: "libgit2 returned no repository", function: function,
                context: context)
        }
        return GitRepository(handle: pointer)
    }

    // MARK: - Properties

    /// The repository's git folder (the `.git` folder of a work tree), without a trailing slash.
    package var path: String {
        locked { Self.trimmedPath(git_repository_path(handle)) ?? "" }
    }

    /// The work tree's folder, or nil for a bare repository.
    package var workingDirectory: String? {
        locked { Self.trimmedPath(git_repository_workdir(handle)) }
    }

    /// Whether the repository has no work tree (git_repository_is_bare).
    package var isBare: Bool {
        locked { git_repository_is_bare(handle) == 1 }
    }

    private static func trimmedPath(_ text: UnsafePointer<CChar>?) -> String? {
        guard let text else { return nil }
        var path = String(cString: text)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    // MARK: - Scoping helpers

    /// Runs `body` holding this repository's lock; every public method goes through here.
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Acquires a short-lived libgit2 object, hands it to `body` and frees it on every path,
    /// so an early throw cannot leak it.
    func scoped<T>(
        _ function: String, _ context: @autoclosure () -> String?,
        acquire: (UnsafeMutablePointer<OpaquePointer?>) -> Int32,
        release: (OpaquePointer) -> Void,
        _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        var pointer: OpaquePointer?
        try check(acquire(&pointer), function, context())
        guard let pointer else {
            throw GitError(
                code: .generic, message: "libgit2 returned no object", function: function,
                context: context())
        }
        defer { release(pointer) }
        return try body(pointer)
    }

    /// Looks up commit `id` for the length of `body` (git_commit_lookup).
    func withCommit<T>(_ id: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var oid = id.oid
        return try scoped(
            "git_commit_lookup", "reading commit '\(id.short)'",
            acquire: { git_commit_lookup($0, handle, &oid) },
            release: { git_commit_free($0) }, body)
    }

    /// Looks up tree `id` for the length of `body` (git_tree_lookup).
    func withTree<T>(_ id: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var oid = id.oid
        return try scoped(
            "git_tree_lookup", "reading tree '\(id.short)'",
            acquire: { git_tree_lookup($0, handle, &oid) },
            release: { git_tree_free($0) }, body)
    }

    /// Like `withTree`, passing nil through for "no tree".
    func withOptionalTree<T>(_ id: ObjectID?, _ body: (OpaquePointer?) throws -> T) throws -> T {
        guard let id else { return try body(nil) }
        return try withTree(id) { try body($0) }
    }
}

extension GitError {
    /// Whether libgit2 refused a repository because another user owns it. libgit2 1.5 reports
    /// this with a message about `safe.directory`, and not always with GIT_EOWNER.
    var isOwnershipRefusal: Bool {
        code == .owner || message.contains("not owned by current user")
            || message.contains("safe.directory")
    }
}

/// Converts a pointer libgit2 promised to be non-null into an id, throwing if it was null.
func objectID(_ pointer: UnsafePointer<git_oid>?, _ function: String) throws -> ObjectID {
    guard let pointer else {
        throw GitError(code: .generic, message: "libgit2 returned no object id", function: function)
    }
    return ObjectID(pointer.pointee)
}
