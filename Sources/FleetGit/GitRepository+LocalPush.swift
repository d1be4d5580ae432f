import Foundation
internal import CLibGit2

extension GitRepository {
    /// The folder of `url` when libgit2 would reach it through its local transport (a file://
    /// URL, or a path to an existing folder); nil for network URLs.
    static func localRepositoryPath(_ url: String) -> String? {
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
    /// references. A tick's usual push, of the commit just flushed onto the branch's current
    /// commit, stores the flushed pack instead (`pushFlushedPack`).
    func pushLocally(to path: String, url: String, specs: [PushSpec], context: String) throws {
        let remote = try GitRepository.open(path: path)
        if specs.count == 1, try pushFlushedPack(to: remote, spec: specs[0], context: context) {
            return
        }
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
            try moveBranch(
                of: remote, spec: spec, to: pushed, expected: current, context: context)
        }
    }

    /// Stores the last flushed pack in `remote` and moves the branch from the pack's parent
    /// to its tip, when that is exactly this push: the source is the tip and the branch is
    /// at the parent, so `remote` holds everything else the tip needs. libgit2's push would
    /// find the same objects by first walking every object of the parent's tree. False,
    /// having changed nothing, for any other push.
    private func pushFlushedPack(
        to remote: GitRepository, spec: PushSpec, context: String
    ) throws -> Bool {
        guard let flushed = flushedPack, let parent = flushed.parent, spec.source.hasPrefix("refs/"),
              try reference(spec.source) == flushed.tip,
              try remote.reference(spec.destination) == parent
        else { return false }
        try remote.storePack(flushed.pack.buffer)
        try moveBranch(
            of: remote, spec: spec, to: flushed.tip, expected: parent, context: context)
        return true
    }

    /// Compare-and-swap of the destination; losing the race is a refused fast-forward.
    private func moveBranch(
        of remote: GitRepository, spec: PushSpec, to target: ObjectID, expected: ObjectID?,
        context: String
    ) throws {
        do {
            try remote.updateReference(
                spec.destination, to: target, expected: expected, message: "gitfleet: push")
        } catch let error as GitError where error.code == .modified || error.code == .exists {
            throw GitError(
                code: .nonFastForward,
                message: "'\(spec.destination)' moved while pushing (\(error.message))",
                function: error.function, context: context, errorClass: .reference)
        }
    }
}
