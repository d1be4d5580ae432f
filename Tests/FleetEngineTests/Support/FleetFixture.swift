import FleetAPI
import FleetEngine
import FleetGit
import FleetYAML
import Foundation
import Testing

/// A manifest repository for end-to-end tests: a bare "remote", a person's clone that commits
/// and pushes through FleetGit, a gitfleet cache folder, and a test clock.
final class FleetFixture {
    let root: String
    let remote: String
    let cache: String
    private let person: GitRepository
    var now: Date
    var logger = Logger.disabled()
    /// What `gitfleet sync` would get from its environment for signed approvals.
    var trust = TrustSettings()
    /// Every tick reads every status file (the engine's reference behaviour).
    var readEverything = false
    /// Pack files the cache clone may hold before it is fetched anew.
    var maxCachePacks = 200

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    init(name: String = #function) throws {
        try Self.isolateGitConfiguration()
        root = NSTemporaryDirectory() + "gitfleet-e2e-\(UUID().uuidString)"
        remote = root + "/remote.git"
        cache = root + "/cache"
        _ = try GitRepository.create(path: remote, bare: true)
        person = try GitRepository.create(path: root + "/person.git", bare: true)
        now = Self.start
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    private static let isolation: Result<Void, any Error> = Result {
        let empty = NSTemporaryDirectory() + "gitfleet-empty-git-config"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try GitLibrary.isolateConfiguration(in: empty)
    }

    static func isolateGitConfiguration() throws {
        try isolation.get()
    }

    // MARK: - The person's side

    /// The remote's branch head, fetched into the person's clone.
    func fetchHead() throws -> ObjectID? {
        try person.fetch(url: remote, refspecs: ["+refs/heads/main:refs/remotes/origin/main"])
        return try person.reference("refs/remotes/origin/main")
    }

    /// Commits files (nil deletes) on top of the remote's head and pushes, as a person would;
    /// with `signingKey` (an ssh-keygen private key file), the commit is SSH-signed as
    /// `git commit -S` with `gpg.format=ssh` would sign it.
    @discardableResult
    func commit(
        _ files: [String: String?], message: String = "Change manifests",
        author: String = "person@example.com", signingKey: String? = nil
    ) throws -> ObjectID {
        let head = try fetchHead()
        var edits: [String: TreeEdit] = [:]
        for (path, text) in files {
            edits[path] = try text.map { .blob(try person.writeBlob(Array($0.utf8)), .blob) } ?? .delete
        }
        let base = try head.map { try person.treeOfCommit($0) }
        let tree = try person.editTree(base: base, edits: edits)
        let signature = Signature(name: "Person", email: author, time: now)
        let parents = head.map { [$0] } ?? []
        let commit: ObjectID
        if let signingKey {
            let content = try person.commitContent(
                tree: tree, parents: parents, author: signature, committer: signature,
                message: message + "\n")
            commit = try person.createSignedCommit(
                content: content, signature: try SigningKeys.sign(content, key: signingKey))
        } else {
            commit = try person.createCommit(
                tree: tree, parents: parents, author: signature, committer: signature,
                message: message + "\n")
        }
        try person.updateReference(
            "refs/heads/main", to: commit, expected: try person.reference("refs/heads/main"),
            message: "commit")
        try person.push(url: remote, refspecs: ["refs/heads/main:refs/heads/main"])
        return commit
    }

    /// Commits `files` on top of `base`, an older commit, then merges the remote's head into
    /// it with the person's commit as first parent, as `git pull` does, and pushes the merge.
    @discardableResult
    func commitAndMerge(_ files: [String: String], onto base: ObjectID) throws -> ObjectID {
        let head = try #require(try fetchHead())
        var edits: [String: TreeEdit] = [:]
        for (path, text) in files {
            edits[path] = .blob(try person.writeBlob(Array(text.utf8)), .blob)
        }
        let signature = Signature(name: "Person", email: "person@example.com", time: now)
        let side = try person.createCommit(
            tree: try person.editTree(base: try person.treeOfCommit(base), edits: edits),
            parents: [base], author: signature, committer: signature, message: "Side work\n")
        let merge = try person.createCommit(
            tree: try person.editTree(base: try person.treeOfCommit(head), edits: edits),
            parents: [side, head], author: signature, committer: signature,
            message: "Merge the remote's main\n")
        try person.updateReference(
            "refs/heads/main", to: merge, expected: try person.reference("refs/heads/main"),
            message: "merge")
        try person.push(url: remote, refspecs: ["refs/heads/main:refs/heads/main"])
        return merge
    }

    /// Commits every file of a folder on disk (e.g. example-repo), relative to the folder.
    @discardableResult
    func commitFolder(_ folder: String, message: String = "Add the fleet") throws -> ObjectID {
        var files: [String: String?] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            files[path] = try String(contentsOfFile: folder + "/" + path, encoding: .utf8)
        }
        return try commit(files, message: message)
    }

    // MARK: - gitfleet's side

    @discardableResult
    func tick(beforePush: (() throws -> Void)? = nil) throws -> TickReport {
        try tick { step in
            if case .committed = step { try beforePush?() }
        }
    }

    /// A tick whose engine calls `hook` at each step; a throwing hook stops the tick there.
    @discardableResult
    func tick(hook: @escaping (SyncStep) throws -> Void) throws -> TickReport {
        let engine = longLived ?? SyncEngine(configuration: configuration, logger: logger)
        engine.hook = hook
        return try engine.tick(now: now)
    }

    /// One engine for every tick, as `sync --interval` keeps, instead of a fresh process each.
    private var longLived: SyncEngine?

    func keepOneEngine() {
        longLived = SyncEngine(configuration: configuration, logger: logger)
    }

    private var configuration: SyncConfiguration {
        var configuration = SyncConfiguration(remote: remote, cacheDirectory: cache)
        configuration.trust = trust
        configuration.readEverything = readEverything
        configuration.maxCachePacks = maxCachePacks
        return configuration
    }

    /// Ticks until a tick commits nothing, at most `limit` times; returns how many committed.
    @discardableResult
    func settle(limit: Int = 20) throws -> Int {
        for count in 0..<limit where try tick().commit == nil { return count }
        return limit
    }

    /// Commit messages of the remote's first-parent line, newest first.
    func log() throws -> [String] {
        guard let head = try fetchHead() else { return [] }
        return try person.firstParentHistory(from: head, until: nil).reversed()
            .map { try person.commit($0).message }
    }

    func advance(seconds: TimeInterval) {
        now = now.addingTimeInterval(seconds)
    }

    // MARK: - Reading the remote

    /// A file of the remote's head, or nil.
    func file(_ path: String) throws -> String? {
        guard let head = try fetchHead() else { return nil }
        let tree = try person.treeOfCommit(head)
        guard let entry = try person.entry(in: tree, path: path) else { return nil }
        return String(decoding: try person.blob(entry.blob), as: UTF8.self)
    }

    /// Paths of the remote's head under a folder.
    func files(under folder: String) throws -> [String] {
        guard let head = try fetchHead() else { return [] }
        let tree = try person.treeOfCommit(head)
        guard try person.subtree(in: tree, path: folder) != nil else { return [] }
        return try person.files(in: tree, under: folder).map(\.path).sorted()
    }

    /// The number of commits on the remote's first-parent line.
    func commitCount() throws -> Int {
        guard let head = try fetchHead() else { return 0 }
        return try person.firstParentHistory(from: head, until: nil).count
    }

    /// The decoded object in a status file.
    func statusObject(_ path: String) throws -> FleetObject? {
        guard let text = try file(path) else { return nil }
        let decoded = FleetDecoder.decodeFile(path: path, bytes: Array(text.utf8), source: .status)
        return decoded.documents.first?.fleetObject
    }

    func run(_ name: String, namespace: String? = nil) throws -> UpdateRun? {
        let kind: FleetKind = namespace == nil ? .clusterStagedUpdateRun : .stagedUpdateRun
        let path = "status/\(kind.plural)/" + (namespace.map { "\($0)/" } ?? "") + "\(name).yaml"
        if case let .updateRun(run)? = try statusObject(path) { return run }
        return nil
    }

    /// The value of `key` in a rendered ConfigMap of a member, or nil when not rendered.
    func configMapValue(member: String, namespace: String, name: String, key: String = "key")
        throws -> String? {
        guard let text = try file("deploy/\(member)/\(namespace)/configmap_\(name).yaml") else {
            return nil
        }
        let node = try YAMLParser.parse(text, file: "configmap").first
        return node?["data"]?[key]?.scalar?.text
    }
}
