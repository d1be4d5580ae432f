import FleetAPI
import FleetEngine
import FleetGit
import Foundation

/// The real actions behind `sync`, `get`, `approve` and `report`.
package struct EngineActions: CommandActions {
    package init() {}

    package func sync(_ options: SyncOptions, context: CommandContext) async throws -> Int32 {
        let remote = Self.absoluteIfLocal(options.repo)
        if remote.hasPrefix("/"), !FileManager.default.fileExists(atPath: remote) {
            throw Diagnostic("no repository at '\(remote)'")
        }
        var configuration = SyncConfiguration(
            remote: remote, branch: options.branch ?? "main",
            cacheDirectory: options.cache ?? SyncConfiguration.defaultCacheDirectory(for: remote))
        configuration.trust = .environment()
        let engine = SyncEngine(configuration: configuration, logger: context.logger)
        if options.once {
            let report = try engine.tick(now: context.now())
            engine.log(report)
            return ExitStatus.success
        }
        await engine.loop(interval: options.interval ?? .seconds(30), clock: context.now)
        return ExitStatus.success
    }

    package func loadState(repository: String?, context: CommandContext) throws -> FleetState {
        let loaded = try CommittedState.load(repositoryPath: repository ?? ".")
        for problem in loaded.statusProblems {
            // Left out until the next tick restores the file: say so rather than show less.
            context.logger.warning(
                "status file unreadable, objects left out", metadata: ["problem": "\(problem)"])
        }
        return loaded.state
    }

    package func approve(_ options: ApproveOptions, context: CommandContext) throws -> String {
        let commit = try Approval.approve(
            repositoryPath: options.repo ?? ".", name: options.name, namespace: options.namespace,
            message: options.message, now: context.now())
        return "approved \(options.name) in commit \(commit.short); push it to take effect\n"
    }

    package func report(_ options: ReportOptions, context: CommandContext) throws -> String {
        // A bare index names the placement's snapshot with that index.
        let isIndex = !options.snapshot.isEmpty
            && options.snapshot.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let snapshot = isIndex ? Int(options.snapshot).map {
            ResourceSnapshot.name(placement: options.placement, index: $0)
        } ?? options.snapshot : options.snapshot
        let commit = try Reporting.report(
            repositoryPath: options.repo ?? ".", member: options.member,
            placement: ObjectKey(namespace: options.namespace, name: options.placement),
            snapshot: snapshot, applied: options.applied || options.available,
            available: options.available, message: options.message, now: context.now())
        return "reported \(snapshot) for \(options.member) in commit \(commit.short); "
            + "push it to take effect\n"
    }

    /// A relative local path would mean something else once libgit2 runs in the cache folder.
    static func absoluteIfLocal(_ repo: String) -> String {
        guard !repo.contains("://"), !repo.contains("@"), !repo.hasPrefix("/") else { return repo }
        return URL(fileURLWithPath: repo).standardizedFileURL.path
    }
}
