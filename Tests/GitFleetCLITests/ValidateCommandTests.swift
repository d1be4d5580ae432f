import Foundation
import FleetAPI
import FleetYAML
import GitFleetCLI
import Testing
import Synchronization

@Suite struct ValidateCommandTests {
    /// A throwaway folder with manifests, output folders, hidden files and a symbolic link.
    final class Repo {
        let root: URL

        init() throws {
            root = FileManager.default.temporaryDirectory
                .appendingPathComponent("gitfleet-validate-\(UUID().uuidString)")
            let files: [String: String] = [
                "placement.yaml": "kind: ClusterResourcePlacement\n",
                "runs/run-1.yml": "kind: ClusterStagedUpdateRun\nbad: yes\n",
                "runs/notes.txt": "bad: not a manifest\n",
                "apps/deploy/app.yaml": "kind: Namespace\nbad: nested deploy is not output\n",
                "status/clusterstagedupdateruns/run-1.yaml": "bad: skipped\n",
                "deploy/member-1/ns.yaml": "bad: skipped\n",
                "reports/member-1.yaml": "bad: skipped\n",
                ".github/workflow.yaml": "bad: skipped\n",
                "runs/.draft.yaml": "bad: skipped\n",
            ]
            for (path, text) in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            try Data([0x6B, 0x3A, 0xFF, 0x0A]).write(to: root.appendingPathComponent("binary.yaml"))
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent("link.yaml").path,
                withDestinationPath: root.appendingPathComponent("placement.yaml").path)
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent("linked-folder").path,
                withDestinationPath: root.appendingPathComponent("runs").path)
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        var path: String { root.path }
    }

    /// Reports every line that starts with `bad:` at its line number.
    static let lineChecker: @Sendable ([ManifestFile]) throws -> [Diagnostic] = { files in
        files.flatMap { file in
            file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                .compactMap { index, line in
                    line.hasPrefix("bad:")
                        ? Diagnostic("unexpected field 'bad'",
                                     at: SourceLocation(file: file.path, line: index + 1))
                        : nil
                }
        }.reversed()
    }

    @Test func findsManifestsOutsideOutputFolders() throws {
        let repo = try Repo()
        let got = try ValidateCommand.manifestPaths(under: repo.path)
        #expect(got == [
            "apps/deploy/app.yaml", "binary.yaml", "placement.yaml", "runs/run-1.yml",
        ].map { repo.path + "/" + $0 })
    }

    @Test func problemsAreSortedLinesWithStatusOne() async throws {
        let repo = try Repo()
        var actions = FixtureActions()
        actions.validator = Self.lineChecker
        let got = await runCommand(["validate", repo.path], actions: actions)
        #expect(got.status == 1)
        #expect(got.stdout == "")
        #expect(got.stderr == """
            \(repo.path)/apps/deploy/app.yaml:2: unexpected field 'bad'
            \(repo.path)/binary.yaml:1: the file is not UTF-8 text
            \(repo.path)/runs/run-1.yml:2: unexpected field 'bad'

            """)
    }

    @Test func cleanFolderPrintsSummary() async throws {
        let repo = try Repo()
        let got = await runCommand(["validate", repo.path + "/placement.yaml"])
        #expect(got.status == 0)
        #expect(got.stdout == "no problems found in 1 manifest file\n")
        #expect(got.stderr == "")
    }

    @Test func missingPathIsInputError() async {
        let got = await runCommand(["validate", "/nonexistent/gitfleet/folder"])
        #expect(got.status == 1)
        #expect(got.stderr == "error: no file or folder '/nonexistent/gitfleet/folder'\n")
    }

    @Test func validatorSeesPathsAndText() throws {
        let repo = try Repo()
        let seen = Seen()
        var actions = FixtureActions()
        actions.validator = { files in
            seen.set(files)
            return []
        }
        let output = try ValidateCommand.run(
            ValidateOptions(path: repo.path + "/"), actions: actions,
            context: CommandContext(logger: .disabled()))
        // binary.yaml never reaches the validator: it is reported as not UTF-8 text.
        #expect(output.exitCode == 1)
        #expect(output.stderr == repo.path + "/binary.yaml:1: the file is not UTF-8 text\n")
        #expect(seen.files.map(\.path) == [
            repo.path + "/apps/deploy/app.yaml", repo.path + "/placement.yaml",
            repo.path + "/runs/run-1.yml",
        ])
        #expect(seen.files[1].text == "kind: ClusterResourcePlacement\n")
    }

    @Test func diagnosticsWithoutFileComeFirst() {
        let sorted = ValidateCommand.sorted([
            Diagnostic("b", at: SourceLocation(file: "a.yaml", line: 10)),
            Diagnostic("a", at: SourceLocation(file: "a.yaml", line: 9)),
            Diagnostic("duplicate name", object: "ClusterStagedUpdateRun/run-1"),
        ])
        #expect(sorted.map(\.description) == [
            "ClusterStagedUpdateRun/run-1: duplicate name", "a.yaml:9: a", "a.yaml:10: b",
        ])
    }
}

/// Records what the validator was given.
private final class Seen: Sendable {
    private let storage = Mutex<[ManifestFile]>([])

    func set(_ files: [ManifestFile]) { storage.withLock { $0 = files } }

    var files: [ManifestFile] { storage.withLock { $0 } }
}
