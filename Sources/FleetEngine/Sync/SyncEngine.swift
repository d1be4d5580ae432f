import FleetAPI
import FleetGit
import FleetYAML
import Foundation

/// How `gitfleet sync` reaches the manifest repository and where it keeps its cache clone.
package struct SyncConfiguration: Sendable {
    /// A local path or any URL libgit2 can fetch and push.
    package var remote: String
    package var branch: String
    /// The cache clone; it can always be deleted and rebuilt.
    package var cacheDirectory: String
    /// How many times a tick is redone when someone pushed while it ran.
    package var maxAttempts: Int = 5
    /// Past this many pack files the cache clone is fetched anew as one pack: each tick that
    /// commits adds a pack, and looking an object up costs a little more per pack.
    package var maxCachePacks: Int = 200
    /// Where signed approvals are checked; `gitfleet sync` takes it from its environment.
    package var trust = TrustSettings()
    /// Read every status file on every tick, even where the last tick's index of work under
    /// way allows reading only the placements a tick concerns. Results are the same.
    package var readEverything = false

    package init(remote: String, branch: String = "main", cacheDirectory: String) {
        self.remote = remote
        self.branch = branch
        self.cacheDirectory = cacheDirectory
    }

    /// `$XDG_CACHE_HOME/gitfleet/<hash of the remote>`, or `~/.cache/...`.
    package static func defaultCacheDirectory(for remote: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache")
        let digest = String(SHA256.hex(remote).prefix(16))
        return "\(base)/gitfleet/\(digest)"
    }
}

/// What one tick did.
package struct TickReport: Sendable {
    /// The commit gitfleet pushed, or nil when nothing changed.
    package var commit: String?
    package var events: [String]
    package var held: [Diagnostic]
    package var diagnostics: [Diagnostic]
    /// When a run next wants attention (a timed wait ending), if any.
    package var nextWakeup: Date?
    /// True when some member update will be confirmed by the very next tick (it was pushed).
    package var confirmableNow: Bool
    package var attempts: Int
    /// The placements whose status the tick read, when it did not read everything.
    package var scope: Set<ObjectKey>?
}

/// Errors a sync can end with, each naming what failed.
package enum SyncError: Error, CustomStringConvertible {
    case branchNotFound(branch: String, remote: String)
    case tooManyRefusals(attempts: Int)
    case badStatusFile(path: String, problem: String)

    package var description: String {
        switch self {
        case let .branchNotFound(branch, remote):
            return "branch '\(branch)' not found in '\(remote)'"
        case let .tooManyRefusals(attempts):
            return "the push was refused \(attempts) times because others kept pushing; "
                + "the next tick will try again"
        case let .badStatusFile(path, problem):
            return "cannot read status file '\(path)': \(problem)"
        }
    }
}

/// The steps of a tick attempt at which `SyncEngine.hook` is called.
package enum SyncStep: Sendable {
    /// The tick's changes are planned; nothing is written yet.
    case planned
    /// The commit is made and the cache's branch points at it; the remote is unchanged.
    case committed
    /// The remote has the commit.
    case pushed
}

/// Runs sync ticks against one repository: fetch, plan, commit, fast-forward push, and redo
/// the whole tick when the push is refused because someone pushed meanwhile.
package final class SyncEngine {
    package let configuration: SyncConfiguration
    package let logger: Logger
    private var cache: GitRepository?
    /// What the last tick decoded, for a loop's next tick.
    private var decodedCache: DecodedCache?
    /// The hub index as this process last read or wrote it.
    private var hubIndex: HubIndex?
    /// Called at each step of a tick; tests use it to push a competing commit at the worst
    /// moment, or to stop the tick there as a crash would.
    package var hook: ((SyncStep) throws -> Void)?

    package init(configuration: SyncConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// One tick with the given clock. Never force-pushes; a refused push redoes the tick.
    ///
    /// A tick can be killed at any point and the next one converges to the same state: the
    /// commit is made in the cache clone and only a fast-forward push publishes it, so the
    /// remote holds either the old head or the new commit, never a half.
    package func tick(now: Date) throws -> TickReport {
        // Status files keep whole seconds; a whole-second clock makes what a tick keeps in
        // memory equal to what the next one reads back.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let lock = try CacheLock(directory: configuration.cacheDirectory)
        defer { lock.release() }
        var attempt = 0
        var rebuilt = false
        while true {
            attempt += 1
            let outcome: AttemptOutcome
            do {
                outcome = try runAttempt(now: now, attempt: attempt)
            } catch let error as CacheReadError where !rebuilt {
                // Everything in the cache can be fetched again; a damaged one is rebuilt once.
                logger.warning("cache clone damaged, rebuilding", metadata: [
                    "error": "\(error.underlying)",
                ])
                try discardCache()
                rebuilt = true
                continue
            } catch let error as CacheReadError {
                throw error.underlying
            }
            switch outcome {
            case let .done(report):
                return report
            case .refused:
                logger.info("push refused, redoing the tick", metadata: ["attempt": "\(attempt)"])
                if attempt >= configuration.maxAttempts {
                    throw SyncError.tooManyRefusals(attempts: attempt)
                }
            }
        }
    }

    private enum AttemptOutcome {
        case done(TickReport)
        case refused
    }

    /// A git failure after the fetch worked: it can only come from the cache clone.
    private struct CacheReadError: Error {
        var underlying: any Error
    }

    private func runAttempt(now: Date, attempt: Int) throws -> AttemptOutcome {
        let repository = try openCache()
        let remoteRef = "refs/remotes/origin/\(configuration.branch)"
        do {
            try repository.fetch(
                url: configuration.remote,
                refspecs: ["+refs/heads/\(configuration.branch):\(remoteRef)"])
        } catch let error as GitError where Self.isLocalDamage(error) {
            throw CacheReadError(underlying: error)
        }
        let localRef = "refs/heads/\(configuration.branch)"
        var report: TickReport
        var made: ObjectID?
        var decoded: DecodedCache?
        var renderIndex: RenderIndex?
        let renderIndexPath = configuration.cacheDirectory + "/" + RenderIndex.fileName
        do {
            guard let head = try repository.reference(remoteRef) else {
                throw SyncError.branchNotFound(
                    branch: configuration.branch, remote: configuration.remote)
            }
            var tick = try TickRun(
                repository: repository, head: head, now: now, logger: logger,
                cached: decodedCache)
            tick.trustSettings = trustSettings
            tick.readEverything = configuration.readEverything
            // A loop's warm cache already holds the hub parsed; the index serves cold starts.
            let indexPath = configuration.cacheDirectory + "/" + HubIndex.fileName
            if decodedCache == nil {
                tick.hubIndex = hubIndex
                tick.hubIndexFile = indexPath
            }
            tick.renderIndexFile = renderIndexPath
            report = try tick.run()
            if tick.hubIndex != nil { hubIndex = tick.hubIndex }
            if tick.hubIndexChanged, let index = tick.hubIndex {
                do {
                    try index.save(to: indexPath)
                } catch {
                    logger.warning("cannot save the hub index", metadata: ["error": "\(error)"])
                }
            }
            report.attempts = attempt
            try hook?(.planned)
            made = tick.commit
            decoded = tick.decoded
            renderIndex = tick.renderIndex
            if let commit = made {
                try repository.flushWrites(tip: commit)
                let current = try repository.reference(localRef)
                try repository.updateReference(
                    localRef, to: commit, expected: current, message: "gitfleet: tick")
            }
        } catch let error as GitError {
            throw CacheReadError(underlying: error)
        }
        guard made != nil else {
            decodedCache = decoded
            saveRenderIndex(renderIndex, to: renderIndexPath)
            return .done(report)
        }
        try hook?(.committed)
        do {
            try repository.push(url: configuration.remote, refspecs: ["\(localRef):\(localRef)"])
        } catch let error as GitError where error.code == .nonFastForward {
            return .refused
        }
        decodedCache = decoded
        saveRenderIndex(renderIndex, to: renderIndexPath)
        try hook?(.pushed)
        return .done(report)
    }

    /// Keeps the render index of the commit now on the remote; failing to costs only time.
    private func saveRenderIndex(_ index: RenderIndex?, to path: String) {
        guard let index, RenderIndex.load(from: path) != index else { return }
        do {
            try index.save(to: path)
        } catch {
            logger.warning("cannot save the render index", metadata: ["error": "\(error)"])
        }
    }

    /// A fetch that failed on the cache's side (a corrupt reference or object), not on the
    /// network's: only then is rebuilding the cache worth a full fetch.
    static func isLocalDamage(_ error: GitError) -> Bool {
        switch error.errorClass {
        case .net, .ssl, .ssh, .http, .callback: return false
        default: return error.code != .auth && error.code != .certificate
        }
    }

    private func discardCache() throws {
        cache = nil
        decodedCache = nil
        hubIndex = nil
        let path = configuration.cacheDirectory + "/repo.git"
        if FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }

    /// The trust settings, with the folders a push could write to: the cache and a local remote.
    private var trustSettings: TrustSettings {
        var settings = configuration.trust
        settings.repositoryFolders.append(configuration.cacheDirectory)
        let remote = configuration.remote
        if !remote.contains("://"), !remote.contains("@") { settings.repositoryFolders.append(remote) }
        return settings
    }

    /// The cache clone: a bare repository that only gitfleet writes. One that cannot be opened
    /// is moved aside and rebuilt, since everything in it can be fetched again.
    private func openCache() throws -> GitRepository {
        let path = configuration.cacheDirectory + "/repo.git"
        let fileManager = FileManager.default
        let packs = (try? fileManager.contentsOfDirectory(atPath: path + "/objects/pack"))?
            .filter { $0.hasSuffix(".pack") }.count ?? 0
        if packs > configuration.maxCachePacks {
            logger.info("cache clone holds too many packs, fetching it anew", metadata: [
                "packs": "\(packs)",
            ])
            cache = nil
            try fileManager.removeItem(atPath: path)
        }
        if let cache { return cache }
        if fileManager.fileExists(atPath: path) {
            if let repository = try? GitRepository.open(path: path) {
                try repository.batchWrites()
                try repository.packWithoutDeltaSearch()
                cache = repository
                return repository
            }
            logger.warning("cache clone unreadable, rebuilding", metadata: ["path": "\(path)"])
            try? fileManager.removeItem(atPath: path)
        }
        try fileManager.createDirectory(atPath: configuration.cacheDirectory,
                                        withIntermediateDirectories: true)
        let repository = try GitRepository.create(path: path, bare: true)
        try repository.batchWrites()
        try repository.packWithoutDeltaSearch()
        cache = repository
        return repository
    }
}
