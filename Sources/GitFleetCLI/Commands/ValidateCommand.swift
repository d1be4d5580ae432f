import Foundation
import FleetAPI
import FleetYAML

/// One manifest file given to a validator: its path as messages show it, and its text.
package struct ManifestFile: Equatable, Sendable {
    package var path: String
    package var text: String

    package init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// `gitfleet validate`: finds the manifests of a folder, has them checked, prints problems.
package enum ValidateCommand {
    /// Output folders at the root of the repository, written by gitfleet and members.
    // FIXME: `ignore` globs and other output folder names set in gitfleet.yaml are not
    // honoured yet; validate checks those files like any other manifest.
    package static let outputFolders: Set<String> = ["status", "deploy", "reports"]

    /// Checks the manifests under `options.path` (default: the current folder). Problems are
    /// printed to standard error as sorted `file:line: message` lines with exit status 1; a
    /// clean run prints a one-line summary to standard output.
    package static func run(
        _ options: ValidateOptions, actions: some CommandActions, context: CommandContext
    ) throws -> CommandOutput {
        let root = options.path ?? "."
        let paths = try manifestPaths(under: root)
        var problems: [Diagnostic] = []
        var files: [ManifestFile] = []
        for path in paths {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CLIError.io("cannot read '\(path)': \(error.localizedDescription)")
            }
            if let text = String(data: data, encoding: .utf8) {
                files.append(ManifestFile(path: path, text: text))
            } else {
                problems.append(Diagnostic(
                    "the file is not UTF-8 text", at: SourceLocation(file: path, line: 1)))
            }
        }
        context.logger.debug("validating manifests", metadata: [
            "path": "\(root)", "files": "\(files.count)",
        ])
        problems += try actions.validate(files, context: context)
        guard problems.isEmpty else {
            let lines = sorted(problems).map { $0.description + "\n" }
            return CommandOutput(stderr: lines.joined(), exitCode: ExitStatus.inputError)
        }
        let noun = paths.count == 1 ? "file" : "files"
        return CommandOutput(stdout: "no problems found in \(paths.count) manifest \(noun)\n")
    }

    /// Problems in file, line and column order; those without a file come first.
    package static func sorted(_ problems: [Diagnostic]) -> [Diagnostic] {
        problems.sorted { a, b in
            let left = (a.location?.file ?? "", a.location?.line ?? 0, a.location?.column ?? 0)
            let right = (b.location?.file ?? "", b.location?.line ?? 0, b.location?.column ?? 0)
            return left != right ? left < right : a.description < b.description
        }
    }

    /// The manifests under `root`, sorted: every `*.yaml` and `*.yml` file except under the
    /// root's output folders, and except hidden files and folders. Symbolic links are skipped,
    /// as gitfleet reads the repository's tree where they are never followed. A `root` that
    /// is a file is returned as is. Paths start with `root` unless it is `.`.
    package static func manifestPaths(under root: String) throws -> [String] {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: root, isDirectory: &isFolder) else {
            throw CLIError.input("no file or folder '\(root)'")
        }
        guard isFolder.boolValue else { return [root] }
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
                if relative.isEmpty && outputFolders.contains(name) { continue }
                let path = join(root, child)
                // attributesOfItem does not follow a final symbolic link, so links show as such.
                let attributes = try? manager.attributesOfItem(atPath: path)
                let type = attributes?[.type] as? FileAttributeType
                switch type {
                case .typeDirectory?:
                    pending.append(child)
                case .typeRegular?:
                    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { found.append(path) }
                default:
                    // Symbolic links, sockets and the like are not manifests.
                    continue
                }
            }
        }
        return found.sorted()
    }

    private static func join(_ root: String, _ relative: String) -> String {
        if relative.isEmpty { return root }
        if root == "." { return relative }
        return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }
}
