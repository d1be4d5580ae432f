internal import CLibGit2

extension GitRepository {
    /// Fetches forced refspecs (`+refs/heads/main:refs/remotes/origin/main`) from the
    /// repository at `path` by packing what each new commit adds to its parent, compared
    /// folder by folder. libgit2's local transport first marks every object of the commits
    /// this repository already has as old, a walk of the whole tree that made a one-file
    /// change cost as much as the repository's size.
    ///
    /// Returns false, having changed nothing, when the shortcut does not apply: a refspec
    /// that is not forced or has a wildcard, a source reference the remote lacks, a merge
    /// among the new commits, or a remote it cannot read. libgit2's fetch does those.
    package func fetchLocally(
        from path: String, refspecs: [String], context: String
    ) throws -> Bool {
        guard let specs = FetchSpec.parseAll(refspecs),
              let remote = try? GitRepository.open(path: path)
        else { return false }
        var tips: [ObjectID] = []
        for spec in specs {
            guard let tip = try? remote.reference(spec.source) else { return false }
            tips.append(tip)
        }
        guard let commits = newCommits(from: tips, in: remote) else { return false }
        if !commits.isEmpty {
            let pack: PackBuffer
            do {
                try remote.useConfiguration(of: self)
                pack = try remote.pack(commits, context: context)
            } catch {
                return false
            }
            // The buffer belongs to `pack`, which must outlive the copy handed over.
            try withExtendedLifetime(pack) { try storePack(pack.buffer) }
            for tip in tips where !hasObject(tip) {
                throw GitError(
                    code: .generic,
                    message: "commit '\(tip.short)' did not arrive from '\(path)'",
                    function: "fetch", context: context)
            }
        }
        for (spec, tip) in zip(specs, tips) {
            let current = try reference(spec.destination)
            guard current != tip else { continue }
            try updateReference(spec.destination, to: tip, expected: current,
                                message: "gitfleet: fetch")
        }
        return true
    }

    /// The commits of `remote` reachable from `tips` that this repository lacks, following
    /// first parents down to one it has (or a root); nil when one of them is a merge or
    /// cannot be read. A repository that has a commit has everything the commit reaches:
    /// every fetch and every flushed batch stores whole histories. Objects of a write batch
    /// not flushed yet count as present too, so callers flush before fetching; a commit
    /// another repository holds reached it only through a push, which follows a flush.
    private func newCommits(from tips: [ObjectID], in remote: GitRepository) -> [Commit]? {
        var commits: [Commit] = []
        var seen = Set<ObjectID>()
        for tip in tips {
            var next: ObjectID? = tip
            while let id = next, !seen.contains(id), !hasObject(id) {
                guard let commit = try? remote.commit(id), commit.parents.count <= 1 else {
                    return nil
                }
                seen.insert(id)
                commits.append(commit)
                next = commit.parents.first
            }
        }
        return commits
    }

    /// Whether the object database holds `id`, in any backend (git_odb_exists).
    func hasObject(_ id: ObjectID) -> Bool {
        locked {
            (try? withObjectDatabase { odb in
                var oid = id.oid
                return git_odb_exists(odb, &oid) == 1
            }) ?? false
        }
    }

    /// Reads configuration from `other`'s configuration file only, so packs this handle
    /// builds follow `other`'s pack settings (git_repository_set_config).
    private func useConfiguration(of other: GitRepository) throws {
        let file = other.path + "/config"
        try locked {
            try scoped(
                "git_config_open_ondisk", "opening configuration '\(file)'",
                acquire: { git_config_open_ondisk($0, file) },
                release: { git_config_free($0) }
            ) { config in
                try check(git_repository_set_config(handle, config), "git_repository_set_config",
                          "using configuration '\(file)'")
            }
        }
    }
}

/// One `+source:destination` fetch refspec naming single references.
private struct FetchSpec {
    var source: String
    var destination: String

    /// Nil unless every refspec is forced, has both sides under `refs/` and no wildcard.
    static func parseAll(_ refspecs: [String]) -> [FetchSpec]? {
        var specs: [FetchSpec] = []
        for refspec in refspecs {
            guard refspec.hasPrefix("+"), !refspec.contains("*") else { return nil }
            let parts = refspec.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.hasPrefix("refs/") }) else { return nil }
            specs.append(FetchSpec(source: String(parts[0]), destination: String(parts[1])))
        }
        return specs.isEmpty ? nil : specs
    }
}
