internal import CLibGit2
internal import CLibGit2Startup
import Synchronization

/// Process-wide libgit2 setup: initialisation, configuration search paths and owner checks.
package enum GitLibrary {
    // Swift runs a static initialiser exactly once, thread-safely, on first use; libgit2 stays
    // initialised for the life of the process (it is never shut down).
    private static let initResult: Int32 = {
        let result = gitfleet_init_deferring_certificates()
        guard result >= 0 else { return result }
        // libgit2 re-hashes every object it reads; git trusts its object store on reads and
        // checks objects where they enter it (fetch, index-pack), and so does gitfleet now:
        // a tick reads thousands of blobs.
        let strict = gitfleet_set_strict_hash_verification(0)
        guard strict >= 0 else { return strict }
        // libgit2 caches only trees under 4 KiB, so the folders a tick walks again and again
        // (deploy/ with a subfolder per member, status folders with one file per run) were
        // read and inflated from the pack on every lookup. The cache's total size limit
        // (256 MiB by default) still bounds what it keeps.
        return gitfleet_set_cache_object_limit(GIT_OBJECT_TREE, 64 << 20)
    }()

    /// Initialises libgit2 if nothing has yet; every FleetGit entry point calls this first.
    package static func ensureInitialized() throws {
        try check(initResult, "git_libgit2_init", "initialising libgit2")
    }

    private static let certificatesLoaded = Mutex(false)

    /// Parses the CA certificates that initialisation left for later; call before talking to
    /// a remote over HTTP(S). Once it worked, later calls do nothing; a failure is tried
    /// again next time, so a bundle replaced mid-update does not fail a loop for good.
    package static func loadCertificates() throws {
        try ensureInitialized()
        try certificatesLoaded.withLock { loaded in
            guard !loaded else { return }
            try check(
                gitfleet_load_deferred_certificates(), "git_libgit2_opts",
                "loading the CA certificates")
            loaded = true
        }
    }

    /// Whether libgit2 reaches `url` over HTTP or HTTPS, the transports that use the CA
    /// certificates (SSH and local paths do not).
    package static func usesCertificates(_ url: String) -> Bool {
        let lowered = url.lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://")
    }

    /// Points the global, XDG, system and program-data configuration search paths at `folder`
    /// (git_libgit2_opts GIT_OPT_SET_SEARCH_PATH), so a user's ~/.gitconfig cannot change
    /// results. Affects repositories opened afterwards, in the whole process.
    package static func isolateConfiguration(in folder: String) throws {
        try ensureInitialized()
        let levels: [git_config_level_t] = [
            GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG,
            GIT_CONFIG_LEVEL_GLOBAL,
        ]
        for level in levels {
            try check(
                gitfleet_set_search_path(level.rawValue, folder), "git_libgit2_opts",
                "pointing configuration search paths at '\(folder)'")
        }
    }

    /// Turns libgit2's check that a repository belongs to the current user on or off
    /// (GIT_OPT_SET_OWNER_VALIDATION) for the whole process.
    package static func setOwnerValidation(_ enabled: Bool) throws {
        try ensureInitialized()
        try check(
            gitfleet_set_owner_validation(enabled ? 1 : 0), "git_libgit2_opts",
            "setting owner validation")
    }
}
