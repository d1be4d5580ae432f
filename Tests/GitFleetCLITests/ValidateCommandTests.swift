import Foundation
import FleetAPI
import FleetEngine
import FleetYAML
import GitFleetCLI
import Synchronization
import Testing

@Suite struct ValidateCommandTests {
    /// A throwaway folder with manifests, output folders, hidden files and symbolic links.
    final class Folder {
        let root: URL

        init(_ files: [String: String]) throws {
            root = FileManager.default.temporaryDirectory
                .appendingPathComponent("gitfleet-validate-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            for (path, text) in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        var path: String { root.path }

        func link(_ name: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent(name).path,
                withDestinationPath: root.appendingPathComponent(target).path)
        }
    }

    static let member = """
        apiVersion: cluster.kubernetes-fleet.io/v1beta1
        kind: MemberCluster
        metadata:
          name: member-1

        """

    static func mixedFolder() throws -> Folder {
        let folder = try Folder([
            "members/member-1.yaml": member,
            "runs/run-1.yml": "kind: x\n",
            "runs/notes.txt": "not: [a manifest\n",
            "apps/deploy/app.yaml": "kind: y\n",
            "gitfleet.yaml": "branch: main\n",
            "status/clusterstagedupdateruns/run-1.yaml": "skipped: [\n",
            "deploy/member-1/ns.yaml": "skipped: [\n",
            "reports/member-1.yaml": "skipped: [\n",
            ".github/workflow.yaml": "skipped: [\n",
            "runs/.draft.yaml": "skipped: [\n",
        ])
        try folder.link("link.yaml", to: "members/member-1.yaml")
        try folder.link("linked-folder", to: "runs")
        return folder
    }

    @Test func findsManifestsOutsideOutputFolders() throws {
        let folder = try Self.mixedFolder()
        let got = try ValidateCommand.manifestPaths(under: folder.path)
        #expect(got == ["apps/deploy/app.yaml", "members/member-1.yaml", "runs/run-1.yml"])
        #expect(try ValidateCommand.manifestPaths(under: folder.path + "/runs/run-1.yml") == [""])
    }

    @Test func validatorSeesRepositoryPathsAndBytes() throws {
        let folder = try Self.mixedFolder()
        let seen = Seen()
        let output = try ValidateCommand.run(
            ValidateOptions(path: folder.path + "/"), context: CommandContext(logger: .disabled()),
            validator: { files in
                seen.set(files.map(\.path), String(decoding: files[1].bytes, as: UTF8.self))
                return files.map {
                    Diagnostic("checked", at: SourceLocation(file: $0.path, line: 2))
                }
            })
        #expect(seen.paths == ["apps/deploy/app.yaml", "members/member-1.yaml", "runs/run-1.yml"])
        #expect(seen.second == Self.member)
        #expect(output.exitCode == 1)
        #expect(output.stdout == "")
        #expect(output.stderr == """
            \(folder.path)/apps/deploy/app.yaml:2: checked
            \(folder.path)/members/member-1.yaml:2: checked
            \(folder.path)/runs/run-1.yml:2: checked

            """)
    }

    @Test func exampleRepositoryIsClean() async {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("example-repo").path
        let got = await runCommand(["validate", example])
        #expect(got.stderr == "")
        #expect(got.status == 0)
        #expect(got.stdout == "no problems found in 7 manifest files\n")
    }

    @Test func problemsPrintSortedWithStatusOne() async throws {
        let folder = try Folder([
            "b.yaml": "key: [unclosed\n",
            "a.yaml": Self.member + "---\n" + Self.member,
            "c.yaml": Self.member.replacingOccurrences(of: "member-1", with: "Not_A_Name"),
        ])
        let got = await runCommand(["validate", folder.path])
        #expect(got.status == 1)
        #expect(got.stdout == "")
        let lines = got.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count >= 3)
        #expect(lines.allSatisfy { $0.hasPrefix(folder.path + "/") })
        let files = lines.map { $0.dropFirst(folder.path.count + 1).prefix(6) }
        #expect(files == files.sorted())
        #expect(Set(files) == ["a.yaml", "b.yaml", "c.yaml"])
        #expect(lines.contains { $0.contains("'Not_A_Name'") })
    }

    @Test func cleanFilePrintsSummary() async throws {
        let folder = try Folder(["member.yaml": Self.member])
        let got = await runCommand(["validate", folder.path + "/member.yaml"])
        #expect(got.stderr == "")
        #expect(got.status == 0)
        #expect(got.stdout == "no problems found in 1 manifest file\n")
    }

    @Test func missingPathIsInputError() async {
        let got = await runCommand(["validate", "/nonexistent/gitfleet/folder"])
        #expect(got.status == 1)
        #expect(got.stderr == "error: no file or folder '/nonexistent/gitfleet/folder'\n")
    }
}

/// Records what the validator was given.
private final class Seen: Sendable {
    private let storage = Mutex<(paths: [String], second: String)>(([], ""))

    func set(_ paths: [String], _ second: String) { storage.withLock { $0 = (paths, second) } }

    var paths: [String] { storage.withLock { $0.paths } }
    var second: String { storage.withLock { $0.second } }
}
