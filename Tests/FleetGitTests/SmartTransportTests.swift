import Foundation
import Testing
import FleetGit

/// Pushes over git:// to a local `git daemon`, the one smart transport a test can run without
/// network or keys; the server, not libgit2, decides about ref updates there.
@Suite struct SmartTransportTests {
    static let pushMain = ["refs/heads/main:refs/heads/main"]

    @Test func serverAcceptsFastForward() throws {
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        let daemon = try GitDaemon(base: sandbox.root)
        defer { daemon.stop() }
        let url = daemon.url(for: "remote.git")
        let clone = try GitRepository.clone(url: url, to: sandbox.path("c.git"), bare: true)
        let next = try clone.commitEdits(["x": "1"], parent: first, message: "next")
        try clone.updateReference("refs/heads/main", to: next, expected: first, message: "next")
        try clone.push(url: url, refspecs: Self.pushMain)
        #expect(try remote.reference("refs/heads/main") == next)
    }

    @Test func staleAdvertisementIsNonFastForward() throws {
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        let daemon = try GitDaemon(base: sandbox.root)
        defer { daemon.stop() }
        let url = daemon.url(for: "remote.git")
        let clone = try GitRepository.clone(url: url, to: sandbox.path("c.git"), bare: true)
        let theirs = try remote.commitEdits(["x": "theirs"], parent: first, message: "theirs")
        try remote.updateReference("refs/heads/main", to: theirs, expected: first, message: "t")
        let ours = try clone.commitEdits(["x": "ours"], parent: first, message: "ours")
        try clone.updateReference("refs/heads/main", to: ours, expected: first, message: "o")
        let error = try #require(gitError { try clone.push(url: url, refspecs: Self.pushMain) })
        #expect(error.code == .nonFastForward)
        #expect(error.function == "git_remote_push")
        #expect(try remote.reference("refs/heads/main") == theirs)
    }

    @Test func serverSideRaceIsNonFastForward() throws {
        // The update hook moves main just before receive-pack updates it, as a concurrent
        // push would: the server then reports the failure through push_update_reference.
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        let racer = try remote.commitEdits(["x": "racer"], parent: first, message: "racer")
        try installHook(
            "update", in: remote,
            body: "[ \"$1\" = refs/heads/main ] && git update-ref refs/heads/main \(racer.sha)\nexit 0")
        let daemon = try GitDaemon(base: sandbox.root)
        defer { daemon.stop() }
        let url = daemon.url(for: "remote.git")
        let clone = try GitRepository.clone(url: url, to: sandbox.path("c.git"), bare: true)
        let ours = try clone.commitEdits(["x": "ours"], parent: first, message: "ours")
        try clone.updateReference("refs/heads/main", to: ours, expected: first, message: "o")
        let error = try #require(gitError { try clone.push(url: url, refspecs: Self.pushMain) })
        #expect(error.code == .nonFastForward)
        #expect(error.function == "push_update_reference")
        #expect(error.message.contains("'refs/heads/main'"))
        #expect(try remote.reference("refs/heads/main") == racer)
    }

    @Test func hookRefusalIsNotMistakenForRace() throws {
        let sandbox = try Sandbox()
        let (remote, first) = try sandbox.remoteWithCommit()
        try installHook("pre-receive", in: remote, body: "echo 'main is frozen' >&2\nexit 1")
        let daemon = try GitDaemon(base: sandbox.root)
        defer { daemon.stop() }
        let url = daemon.url(for: "remote.git")
        let clone = try GitRepository.clone(url: url, to: sandbox.path("c.git"), bare: true)
        let ours = try clone.commitEdits(["x": "ours"], parent: first, message: "ours")
        try clone.updateReference("refs/heads/main", to: ours, expected: first, message: "o")
        let error = try #require(gitError { try clone.push(url: url, refspecs: Self.pushMain) })
        #expect(error.code == .generic)
        #expect(error.function == "push_update_reference")
        #expect(error.message.contains("hook declined"))
        #expect(try remote.reference("refs/heads/main") == first)
    }

    private func installHook(_ name: String, in repository: GitRepository, body: String) throws {
        let path = repository.path + "/hooks/" + name
        try FileManager.default.createDirectory(
            atPath: repository.path + "/hooks", withIntermediateDirectories: true)
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
}

/// A `git daemon` serving `base` with pushes enabled, on a free local port.
final class GitDaemon {
    private let process: Process
    let port: Int

    init(base: String) throws {
        let empty = try Isolation.emptyFolder()
        // Run git-daemon itself, not through the `git` wrapper, so the process we stop is the
        // one listening.
        let daemonPath = try gitCLI(["--exec-path"], in: base) + "/git-daemon"
        var lastOutput = ""
        for _ in 0..<8 {
            let port = Int.random(in: 20_000..<60_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: daemonPath)
            process.arguments = [
                "--reuseaddr", "--export-all", "--enable=receive-pack",
                "--listen=127.0.0.1", "--port=\(port)", "--base-path=\(base)", "--verbose", base,
            ]
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = empty
            environment["GIT_CONFIG_GLOBAL"] = empty + "/gitconfig"
            environment["GIT_CONFIG_NOSYSTEM"] = "1"
            process.environment = environment
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // The daemon announces readiness on stderr; if it dies (port taken) we read EOF.
            var output = ""
            while !output.contains("Ready to rumble") {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                output += String(decoding: chunk, as: UTF8.self)
            }
            if output.contains("Ready to rumble") {
                self.process = process
                self.port = port
                return
            }
            lastOutput = output
            process.waitUntilExit()
        }
        throw CLIError(arguments: ["daemon"], output: lastOutput)
    }

    func url(for repository: String) -> String {
        "git://127.0.0.1:\(port)/\(repository)"
    }

    /// Kills the daemon. SIGKILL, because the test runner starts children with SIGTERM
    /// blocked, so `terminate()` would leave the daemon running.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
