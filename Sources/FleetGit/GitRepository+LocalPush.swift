import Foundation
internal import CLibGit2

extension GitRepository {
    /// The folder of `url` when libgit2 would reach it through its local transport (a file://
    /// URL, or a path to an existing folder); nil for network URLs.
    func localRepositoryPath(_ url: String) -> String? {
        if url.hasPrefix("file://") {
            var path = String(url.dropFirst("file://".count))
            if path.hasPrefix("localhost/") { path.removeFirst("localhost".count) }
            guard path.hasPrefix("/") else { return nil }
            return path.removingPercentEncoding ?? path
        }
        guard !url.contains("://") else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { return nil }
        return url
    }

    /// Pushes to a repository on this machine without libgit2's local reference update, which
    /// overwrites the destination with no compare-and-swap and so could drop a commit pushed
    /// meanwhile. libgit2 sends the objects to a fresh staging reference; FleetGit then moves
    /// each destination by compare-and-swap, only as a fast-forward, and drops the staging
    /// references.
    func pushLocally(to path: String, url: String, specs: [PushSpec], context: String) throws {
        let remote = try GitRepository.open(path: path)
        let token = UUID().uuidString
        let staging = specs.indices.map { "refs/gitfleet/push/\(token)/\($0)" }
        defer {
            for reference in staging {
                if let id = try? remote.reference(reference) {
                    try? remote.deleteReference(reference, expected: id)
                }
            }
        }
        try pushThroughLibgit2(
            url: url, refspecs: zip(specs, staging).map { "\($0.source):\($1)" }, context: context)

        for (spec, stagingReference) in zip(specs, staging) {
            guard let pushed = try remote.reference(stagingReference) else {
                throw GitError(
                    code: .generic,
                    message: "the pushed commit for '\(spec.destination)' did not arrive",
                    function: "push", context: context)
            }
            let current = try remote.reference(spec.destination)
            if let current {
                if current == pushed { continue }
                guard try remote.isDescendant(pushed, of: current) else {
                    throw GitError(
                        code: .nonFastForward,
                        message: "'\(spec.destination)' is at '\(current.short)', which "
                            + "'\(pushed.short)' does not descend from",
                        function: "push", context: context, errorClass: .reference)
                }
            }
            do {
                try remote.updateReference(
                    spec.destination, to: pushed, expected: current, message: "gitfleet: push")
            } catch let error as GitError where error.code == .modified || error.code == .exists {
                throw GitError(
                    code: .nonFastForward,
                    message: "'\(spec.destination)' moved while pushing (\(error.message))",
                    function: error.function, context: context, errorClass: .reference)
            }
        }
    }
}
