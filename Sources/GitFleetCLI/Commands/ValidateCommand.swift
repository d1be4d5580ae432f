import Foundation
import FleetAPI
import FleetYAML

/// `gitfleet validate`: finds the manifests of a folder, checks them, prints the problems.
package enum ValidateCommand {
    /// Checks a set of files given by path (relative to the folder checked) and bytes.
    package typealias Validator = @Sendable ([(path: String, bytes: [UInt8])]) -> [Diagnostic]

    /// Output folders at the root of the repository, written by gitfleet and members.
    // FIXME: `ignore` globs and other output folder names set in gitfleet.yaml are not
    // honoured yet; validate checks those files like any other manifest.
    package static let outputFolders: Set<String> = ["status", "deploy", "reports"]

    /// Checks the manifests under `options.path` (default: the current folder) together, so
    /// that duplicates and cross-object rules are found too. Problems are printed to standard
    /// error as `file:line: message` lines, sorted, with exit status 1; a clean run prints a
    /// one-line summary to standard output.
    package static func run(
        _ options: ValidateOptions, context: CommandContext,
        validator: Validator = { ManifestValidator.validate(files: $0) }
    ) throws -> CommandOutput {
        let root = options.path ?? "."
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

    /// The manifests under `root`, relative to it and sorted: every `*.yaml` and `*.yml` file
    /// except under the root's output folders, the root's `gitfleet.yaml`, and hidden files
    /// and folders. Symbolic links are skipped, as gitfleet reads the repository's tree where
    /// they are never followed. A `root` that is a file gives itself, as `""`.
    package static func manifestPaths(under root: String) throws -> [String] {
        let manager = FileManager.default
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
                if relative.isEmpty,
                   outputFolders.contains(name) || name == ManifestSet.configFile {
                    continue
                }
                let child = relative.isEmpty ? name : relative + "/" + name
                // attributesOfItem does not follow a final symbolic link, so links show as such.
                let attributes = try? manager.attributesOfItem(atPath: join(root, child))
                let type = attributes?[.type] as? FileAttributeType
                switch type {
                case .typeDirectory?:
                    pending.append(child)
                case .typeRegular?:
                    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { found.append(child) }
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
