import Foundation
import Testing
import FleetGit

/// Process-wide test setup: libgit2's configuration search paths point at one empty folder,
/// so a developer's ~/.gitconfig cannot change results.
enum Isolation {
    // One fixed folder shared by every run: it stays empty, so reusing it is harmless, and
    // runs leave nothing new behind.
    private static let folder: Result<String, any Error> = Result {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("fleetgit-empty-config").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: path)
        guard leftovers.isEmpty else {
            throw CLIError(arguments: [], output: "'\(path)' should be empty but holds \(leftovers)")
        }
        try GitLibrary.isolateConfiguration(in: path)
        return path
    }

    /// The empty configuration folder, after isolating libgit2.
    static func emptyFolder() throws -> String {
        try folder.get()
    }
}

/// A temporary folder for one test's repositories, removed when the test ends.
final class Sandbox {
    let root: String

    init() throws {
        _ = try Isolation.emptyFolder()
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("fleetgit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ name: String) -> String {
        root + "/" + name
    }

    /// A bare repository standing in for the hub, with one commit on main.
    func remoteWithCommit(
        files: [String: String] = ["README.md": "hello\n"]
    ) throws -> (remote: GitRepository, head: ObjectID) {
        let remote = try GitRepository.create(path: path("remote.git"), bare: true)
        let head = try remote.commitFiles(files, parents: [], message: "initial")
        try remote.updateReference("refs/heads/main", to: head, expected: nil, message: "initial")
        return (remote, head)
    }
}

let alice = Signature(
    name: "Alice", email: "alice@example.com", time: Date(timeIntervalSince1970: 1_700_000_000),
    timeZoneOffsetMinutes: 60)

extension GitRepository {
    /// Writes `files` (path to text) as a whole tree and commits it on top of `parents`.
    func commitFiles(
        _ files: [String: String], parents: [ObjectID], message: String
    ) throws -> ObjectID {
        var edits: [String: TreeEdit] = [:]
        for (path, text) in files {
            edits[path] = .blob(try writeBlob(Array(text.utf8)))
        }
        let tree = try writeTree(files: edits)
        return try createCommit(
            tree: tree, parents: parents, author: alice, committer: alice, message: message)
    }

    /// Commits `edits` (path to new text, nil to delete) on top of `parent`'s tree.
    func commitEdits(
        _ edits: [String: String?], parent: ObjectID, message: String
    ) throws -> ObjectID {
        var treeEdits: [String: TreeEdit] = [:]
        for (path, text) in edits {
            treeEdits[path] = try text.map { .blob(try writeBlob(Array($0.utf8))) } ?? .delete
        }
        let tree = try editTree(base: try treeOfCommit(parent), edits: treeEdits)
        return try createCommit(
            tree: tree, parents: [parent], author: alice, committer: alice, message: message)
    }

    /// The text of the file at `path` in `tree`, or nil.
    func text(in tree: ObjectID, at path: String) throws -> String? {
        guard let file = try entry(in: tree, path: path) else { return nil }
        return String(decoding: try blob(file.blob), as: UTF8.self)
    }
}

/// Runs the git command line for fixtures and cross-checks only, with HOME and the global
/// configuration pointed at the empty folder.
@discardableResult
func gitCLI(_ arguments: [String], in directory: String) throws -> String {
    let empty = try Isolation.emptyFolder()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = empty
    environment["XDG_CONFIG_HOME"] = empty
    environment["GIT_CONFIG_GLOBAL"] = empty + "/gitconfig"
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_AUTHOR_NAME"] = "Bob"
    environment["GIT_AUTHOR_EMAIL"] = "bob@example.com"
    environment["GIT_COMMITTER_NAME"] = "Bob"
    environment["GIT_COMMITTER_EMAIL"] = "bob@example.com"
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw CLIError(arguments: arguments, output: text)
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

struct CLIError: Error, CustomStringConvertible {
    var arguments: [String]
    var output: String
    var description: String { "git \(arguments.joined(separator: " ")) failed: \(output)" }
}

/// Runs `body` and returns the GitError it throws, recording an issue if it throws nothing
/// or something else.
func gitError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> GitError? {
    do {
        try body()
        Issue.record("expected a GitError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as GitError {
        return error
    } catch {
        Issue.record("expected a GitError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
