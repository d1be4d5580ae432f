import FleetAPI
import Foundation

/// ed25519 keys and SSH signatures made with `ssh-keygen`, as a person's git would make them.
enum SigningKeys {
    /// Makes a key pair `folder/name` (and `.pub`) with no passphrase; returns the private key.
    static func make(_ name: String, email: String, in folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let key = "\(folder)/\(name)"
        try run(["-q", "-t", "ed25519", "-N", "", "-C", email, "-f", key])
        return key
    }

    /// Writes an allowed_signers file that lets each email sign git commits with its key.
    static func allowedSigners(_ keys: [(email: String, key: String)], at path: String) throws {
        var lines: [String] = []
        for (email, key) in keys {
            let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            lines.append("\(email) namespaces=\"git\" \(publicKey)")
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
    }

    /// An SSH signature of `content` in the `git` namespace (`ssh-keygen -Y sign`).
    static func sign(_ content: [UInt8], key: String) throws -> [UInt8] {
        let folder = NSTemporaryDirectory() + "gitfleet-sign-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/commit"
        try Data(content).write(to: URL(fileURLWithPath: file))
        try run(["-q", "-Y", "sign", "-f", key, "-n", "git", file])
        return Array(try Data(contentsOf: URL(fileURLWithPath: file + ".sig")))
    }

    private static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Diagnostic("ssh-keygen \(arguments.joined(separator: " ")) failed with status "
                + "\(process.terminationStatus)")
        }
    }
}
