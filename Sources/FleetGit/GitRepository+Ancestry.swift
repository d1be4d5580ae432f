internal import CLibGit2

extension GitRepository {
    /// Every commit reachable from `head` but not from `excluding`, merged branches included,
    /// children before parents (a topological revwalk hiding `excluding`, as
    /// `git rev-list head ^excluding`). A nil `excluding` lists head's whole history.
    package func commits(from head: ObjectID, excluding: ObjectID?) throws -> [ObjectID] {
        try locked {
            let context = "listing commits from '\(head.short)'"
            return try scoped(
                "git_revwalk_new", context,
                acquire: { git_revwalk_new($0, handle) },
                release: { git_revwalk_free($0) }
            ) { walk in
                try check(
                    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue),
                    "git_revwalk_sorting", context)
                var headOID = head.oid
                try check(git_revwalk_push(walk, &headOID), "git_revwalk_push", context)
                if let excluding {
                    var hidden = excluding.oid
                    try check(git_revwalk_hide(walk, &hidden), "git_revwalk_hide", context)
                }
                return try drain(walk, context: context)
            }
        }
    }
}
