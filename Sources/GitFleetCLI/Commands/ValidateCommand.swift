import Foundation
import FleetAPI
import FleetEngine
import FleetYAML

/// `gitfleet validate`: finds the manifests of a folder, checks them, prints the problems.
package enum ValidateCommand {
    /// Checks a set of files given by path (relative to the folder checked) and bytes.
    package typealias Validator = @Sendable ([(path: String, bytes: [UInt8])]) -> [Diagnostic]

    /// Checks the manifests under `options.path` (default: the current folder) together, so
    /// that duplicates and cross-object rules are found too. Problems are printed to standard
    /// error as `file:line: message` lines, sorted, with exit status 1; a clean run prints a
    /// one-line summary to standard output.
    package static func run(
        _ options: ValidateOptions, context: CommandContext,
        validator: Validator = { ManifestValidator.validate(files: $0) }
    ) throws -> CommandOutput {
        let root = options.path ?? "."
        if CommittedFiles.isBareRepository(root) {
            return try runOnCommit(root, context: context, validator: validator)
        }
        let paths = try manifestPaths(under: root)
        var files: [(path: String, bytes: [UInt8])] = []
        for path in paths {
            let display = join(root, path)
            do {
                files.append((path, Array(try Data(contentsOf: URL(fileURLWithPath: display)))))
            } catch {
                throw CLIError.io("cannot read '\(display)': \(error.localizedDescription)")
            }
        }
        context.logger.debug("validating manifests", metadata: [
            "path": "\(root)", "files": "\(files.count)",
        ])
        // The validator sees repository paths, so it recognises the root gitfleet.yaml and
        // names files as the repository does; messages show paths the user can open.
        let problems = ManifestValidator.ordered(validator(files).map { problem in
            var shown = problem
            shown.location?.file = join(root, problem.location?.file ?? "")
            return shown
        })
        guard problems.isEmpty else {
            let lines = problems.map { $0.description + "\n" }
            return CommandOutput(stderr: lines.joined(), exitCode: ExitStatus.inputError)
        }
        let noun = paths.count == 1 ? "file" : "files"
        return CommandOutput(stdout: "no problems found in \(paths.count) manifest \(noun)\n")
    }

    /// A bare repository: the hub files of the commit HEAD names, which is what `sync` reads.
    private static func runOnCommit(
        _ root: String, context: CommandContext, validator: Validator
    ) throws -> CommandOutput {
        let (commit, files) = try CommittedFiles.hubFiles(repositoryPath: root)
        context.logger.debug("validating a commit", metadata: [
            "commit": "\(commit)", "files": "\(files.count)",
        ])
        let problems = ManifestValidator.ordered(validator(files))
        guard problems.isEmpty else {
            let lines = problems.map { $0.description + "\n" }
            return CommandOutput(stderr: lines.joined(), exitCode: ExitStatus.inputError)
        }
        let noun = files.count == 1 ? "file" : "files"
        return CommandOutput(
            stdout: "no problems found in \(files.count) manifest \(noun) of commit \(commit)\n")
    }

    /// The manifests under `root`, relative to it and sorted: the files `sync` would read as
    /// hub objects, given the root's `gitfleet.yaml` (output folders, `ignore` globs and
    /// hidden folders left out). Symbolic links are skipped, as gitfleet reads the
    /// repository's tree where they are never followed. A `root` that is a file gives itself,
    /// as `""`.
    package static func manifestPaths(under root: String) throws -> [String] {
        let manager = FileManager.default
        let configPath = join(root, GitFleetConfig.fileName)
        let configBytes = manager.contents(atPath: configPath).map { Array($0) }
        let config = try GitFleetConfig.decode(configBytes, file: configPath)
        let repositoryPaths = RepositoryPaths(config: config)
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: root, isDirectory: &isFolder) else {
            throw CLIError.input("no file or folder '\(root)'")
        }
        guard isFolder.boolValue else { return [""] }
        var found: [String] = []
        var pending: [String] = [""]
        while let relative = pending.popLast() {
            let folder = join(root, relative)
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: folder)
            } catch {
                throw CLIError.io("cannot list folder '\(folder)': \(error.localizedDescription)")
            }
            for name in names where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : relative + "/" + name
                switch repositoryPaths.owner(of: child) {
                case .status, .deploy, .reports, .config: continue
                case .hub, .other: break
                }
                // attributesOfItem does not follow a final symbolic link, so links show as such.
                let attributes = try? manager.attributesOfItem(atPath: join(root, child))
                let type = attributes?[.type] as? FileAttributeType
                switch type {
                case .typeDirectory?:
                    pending.append(child)
                case .typeRegular?:
                    if repositoryPaths.owner(of: child) == .hub { found.append(child) }
                default:
                    // Symbolic links, sockets and the like are not manifests.
                    continue
                }
            }
        }
        return found.sorted()
    }

    /// `root` joined with a relative path; `.` disappears and `""` stands for `root` itself.
    private static func join(_ root: String, _ relative: String) -> String {
        if relative.isEmpty { return root }
        if root == "." { return relative }
        return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }
}
