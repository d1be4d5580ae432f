import FleetGit
import Foundation

/// Where `gitfleet sync` finds the public keys allowed to sign approvals: an OpenSSH
/// allowed_signers file that must live outside the repository and gitfleet's cache, so nobody
/// can add a key by pushing. It is given by the environment of `gitfleet sync`, never by
/// `gitfleet.yaml`.
package struct TrustSettings: Sendable, Hashable {
    /// The environment variable `gitfleet sync` reads the file's path from.
    package static let allowedSignersVariable = "GITFLEET_ALLOWED_SIGNERS"

    /// The allowed signers file, if one is configured.
    package var allowedSignersFile: String?
    /// Folders the file must not be in: the repository when it is local, and the cache.
    package var repositoryFolders: [String] = []

    /// Settings with `allowedSignersFile`, or none.
    package init(allowedSignersFile: String? = nil) {
        self.allowedSignersFile = allowedSignersFile
    }

    /// The settings named by the environment (`GITFLEET_ALLOWED_SIGNERS`).
    package static func environment(
        _ values: [String: String] = ProcessInfo.processInfo.environment
    ) -> TrustSettings {
        TrustSettings(allowedSignersFile: values[allowedSignersVariable].flatMap {
            $0.isEmpty ? nil : $0
        })
    }

    /// The usable allowed signers file, or why there is none.
    func signersFile() -> Result<String, SignatureProblem> {
        guard let file = allowedSignersFile else {
            return .failure(SignatureProblem(
                reason: "AllowedSignersMissing",
                message: "signed approvals are required but gitfleet sync has no allowed "
                    + "signers file (set \(Self.allowedSignersVariable))"))
        }
        let resolved = Self.resolved(file)
        for folder in repositoryFolders.map(Self.resolved)
        where resolved == folder || resolved.hasPrefix(folder + "/") {
            return .failure(SignatureProblem(
                reason: "AllowedSignersInRepository",
                message: "the allowed signers file '\(file)' is inside the repository or "
                    + "gitfleet's cache, where a push could change it; keep it outside"))
        }
        guard FileManager.default.isReadableFile(atPath: resolved) else {
            return .failure(SignatureProblem(
                reason: "AllowedSignersUnreadable",
                message: "cannot read the allowed signers file '\(file)'"))
        }
        return .success(resolved)
    }

    private static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

/// Why a commit's signature was not accepted: a condition reason and one sentence.
struct SignatureProblem: Error, Hashable {
    var reason: String
    var message: String
}

/// Checks that a commit carries a valid SSH signature by its author: the signature and the
/// signed bytes come from libgit2, and `ssh-keygen -Y verify` checks them against the allowed
/// signers file with the author's email as the principal and `git` as the namespace.
struct SignatureVerifier {
    let repository: GitRepository
    let signers: Result<String, SignatureProblem>

    /// Hostile commits cannot make a check expensive: larger signatures or commits are refused.
    static let maxSignatureBytes = 64 * 1024
    static let maxSignedBytes = 1024 * 1024

    init(repository: GitRepository, settings: TrustSettings) {
        self.repository = repository
        var settings = settings
        settings.repositoryFolders.append(repository.path)
        self.signers = settings.signersFile()
    }

    /// Nil when `commit` is validly signed by its author.
    func problem(with commit: Commit) -> SignatureProblem? {
        let signersFile: String
        switch signers {
        case let .success(file): signersFile = file
        case let .failure(problem): return problem
        }
        let signature: CommitSignature
        do {
            guard let found = try repository.commitSignature(commit.id) else {
                return SignatureProblem(
                    reason: "ApprovalNotSigned",
                    message: "commit '\(commit.id.short)' is not signed and signed approvals "
                        + "are required")
            }
            signature = found
        } catch {
            return SignatureProblem(
                reason: "SignatureUnreadable",
                message: "cannot read the signature of commit '\(commit.id.short)': \(error)")
        }
        guard signature.isSSH else {
            return SignatureProblem(
                reason: "SignatureNotSSH",
                message: "commit '\(commit.id.short)' has a signature that is not an SSH "
                    + "signature; gitfleet checks SSH signatures only")
        }
        guard signature.signature.count <= Self.maxSignatureBytes,
              signature.signedData.count <= Self.maxSignedBytes else {
            return SignatureProblem(
                reason: "SignatureTooLarge",
                message: "commit '\(commit.id.short)' is too large to check its signature")
        }
        return verify(signature, email: commit.author.email, signersFile: signersFile,
                      commit: commit.id)
    }

    private func verify(
        _ signature: CommitSignature, email: String, signersFile: String, commit: ObjectID
    ) -> SignatureProblem? {
        let fileManager = FileManager.default
        let folder = NSTemporaryDirectory() + "gitfleet-verify-\(UUID().uuidString)"
        defer { try? fileManager.removeItem(atPath: folder) }
        let signaturePath = folder + "/commit.sig"
        let dataPath = folder + "/commit"
        let errorPath = folder + "/stderr"
        do {
            try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(signature.signature).write(to: URL(fileURLWithPath: signaturePath))
            try Data(signature.signedData).write(to: URL(fileURLWithPath: dataPath))
            _ = fileManager.createFile(atPath: errorPath, contents: nil)
            guard let input = FileHandle(forReadingAtPath: dataPath),
                  let errors = FileHandle(forWritingAtPath: errorPath) else {
                throw CocoaError(.fileNoSuchFile)
            }
            defer {
                try? input.close()
                try? errors.close()
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.keygenPath())
            process.arguments = [
                "-Y", "verify", "-f", signersFile, "-I", email, "-n", "git", "-s", signaturePath,
            ]
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            if process.terminationReason == .exit, process.terminationStatus == 0 { return nil }
        } catch {
            return SignatureProblem(
                reason: "SignatureUnchecked",
                message: "cannot run ssh-keygen to check commit '\(commit.short)': \(error)")
        }
        let output = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        let detail = output.split(whereSeparator: \.isNewline).first.map {
            ": " + String($0.prefix(160))
        } ?? ""
        return SignatureProblem(
            reason: "SignatureInvalid",
            message: "the signature of commit '\(commit.short)' does not verify for '\(email)' "
                + "with the allowed signers file\(detail)")
    }

    /// `ssh-keygen` from PATH, or its usual place.
    private static func keygenPath() -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/ssh-keygen"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/ssh-keygen"
    }
}
