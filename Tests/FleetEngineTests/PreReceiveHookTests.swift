import Foundation
import Testing

/// hooks/pre-receive on a bare repository, with pushes made by the `git` command line as a
/// person's would be.
@Suite("pre-receive hook")
struct PreReceiveHookTests {
    struct Server {
        let root: String
        let work: String
        let environment: [String: String]

        init(gitfleet: String) throws {
            root = NSTemporaryDirectory() + "gitfleet-hook-\(UUID().uuidString)"
            work = root + "/work"
            let home = root + "/home"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            environment = [
                "HOME": home, "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1",
                "GITFLEET": gitfleet, "GIT_AUTHOR_NAME": "Person",
                "GIT_AUTHOR_EMAIL": "person@example.com", "GIT_COMMITTER_NAME": "Person",
                "GIT_COMMITTER_EMAIL": "person@example.com",
            ]
            try git(["init", "-q", "--bare", "-b", "main", root + "/remote.git"])
            let hook = root + "/remote.git/hooks/pre-receive"
            try FileManager.default.copyItem(atPath: Self.hookPath, toPath: hook)
            try git(["clone", "-q", root + "/remote.git", work])
            try git(["-C", work, "checkout", "-q", "-b", "main"])
        }

        static var hookPath: String {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("hooks/pre-receive").path
        }

        @discardableResult
        func git(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = arguments
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        /// Writes files in the clone, commits them and pushes; returns the push's result.
        func push(_ files: [String: String], message: String = "Change") throws
            -> (status: Int32, output: String) {
            for (path, text) in files {
                let url = URL(fileURLWithPath: work + "/" + path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            try git(["-C", work, "add", "-A"])
            try git(["-C", work, "commit", "-q", "-m", message])
            let result = try git(["-C", work, "push", "-q", "origin", "main"])
            if result.status != 0 {
                try git(["-C", work, "reset", "-q", "--hard", "HEAD~1"])
            }
            return result
        }
    }

    static var gitfleet: String? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("gitfleet").path,
            FileManager.default.currentDirectoryPath + "/.build/debug/gitfleet",
        ]
        return candidates.first(where: FileManager.default.isExecutableFile)
    }

    @Test("manifest changes pass; deploy edits, forged trailers, status edits and invalid manifests do not")
    func hookRules() throws {
        let gitfleet = try #require(Self.gitfleet, "the gitfleet binary is not built")
        let server = try Server(gitfleet: gitfleet)
        defer { try? FileManager.default.removeItem(atPath: server.root) }
        var files: [String: String] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: Manifests.exampleRepo)
        where name.hasSuffix(".yaml") {
            files[name] = try String(contentsOfFile: Manifests.exampleRepo + "/" + name,
                                     encoding: .utf8)
        }
        #expect(try server.push(files, message: "Add the fleet").status == 0)

        let deploy = try server.push(["deploy/member1/x.yaml": "a: 1\n"])
        #expect(deploy.status != 0)
        #expect(deploy.output.contains("changes deploy/"))

        let trailer = try server.push(["notes.yaml": "a: 1\n"],
                                      message: "Sneaky\n\nGitfleet-Tick: yes")
        #expect(trailer.status != 0)
        #expect(trailer.output.contains("trailer"))

        let snapshot = try server.push(
            ["status/clusterresourcesnapshots/example-placement-0-snapshot.yaml": "a: 1\n"])
        #expect(snapshot.status != 0)
        #expect(snapshot.output.contains("status/clusterresourcesnapshots"))

        var broken = files["strategies/example-strategy.yaml"] ?? ""
        broken = broken.replacingOccurrences(of: "maxConcurrency: 50%", with: "maxConcurrency: 0")
        let invalid = try server.push(["strategies/example-strategy.yaml": broken])
        #expect(invalid.status != 0)
        #expect(invalid.output.contains("strategies/example-strategy.yaml:"))

        let change = try server.push(["workloads/test-cm.yaml": Manifests.configMap(
            "test-cm", namespace: "test-namespace", value: "value2")])
        #expect(change.status == 0, "\(change.output)")
    }
}
