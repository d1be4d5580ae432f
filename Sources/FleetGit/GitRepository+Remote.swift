import Foundation
internal import CLibGit2

extension GitRepository {
    /// Clones `url` into a new repository at `path` (git_clone): an `origin` remote, its
    /// branches under `refs/remotes/origin/`, a local branch for the remote's HEAD and, unless
    /// `bare`, a checked-out work tree. Authenticates like `fetch`.
    package static func clone(url: String, to path: String, bare: Bool) throws -> GitRepository {
        try GitLibrary.ensureInitialized()
        if GitLibrary.usesCertificates(url) { try GitLibrary.loadCertificates() }
        let session = RemoteSession(url: url)
        var options = git_clone_options()
        try check(
            git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)),
            "git_clone_options_init")
        options.bare = bare ? 1 : 0
        session.install(in: &options.fetch_opts.callbacks)
        return try withExtendedLifetime(session) {
            try adopt("git_clone", "cloning '\(redactedURL(url))' into '\(path)'") {
                git_clone($0, url, path, &options)
            }
        }
    }

    /// Fetches `refspecs` from `url` through an anonymous remote (git_remote_fetch), such as
    /// `+refs/heads/main:refs/remotes/origin/main`. `url` is a local path, a file:// URL or
    /// anything libgit2's transports take (https, ssh). Tags are not followed and nothing is
    /// pruned. SSH tries the ssh-agent, then ~/.ssh/id_ed25519 or id_ecdsa, once each.
    package func fetch(url: String, refspecs: [String]) throws {
        let context = "fetching from '\(redactedURL(url))'"
        guard !refspecs.isEmpty else {
            throw GitError(
                code: .invalid, message: "an anonymous remote has no default refspec, so give one",
                function: "fetch", context: context)
        }
        try locked {
            if let path = Self.localRepositoryPath(url),
               try fetchLocally(from: path, refspecs: refspecs, context: context) {
                return
            }
            try withAnonymousRemote(url: url, context: context) { remote, session in
                var options = git_fetch_options()
                try check(
                    git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)),
                    "git_fetch_options_init", context)
                options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
                options.prune = GIT_FETCH_NO_PRUNE
                options.update_fetchhead = 0
                session.install(in: &options.callbacks)
                try withStringArray(refspecs) { array in
                    try check(
                        git_remote_fetch(remote, &array, &options, "gitfleet: fetch"),
                        "git_remote_fetch", context)
                }
            }
        }
    }

    /// Pushes `refspecs` (such as `refs/heads/main:refs/heads/main`; source and destination
    /// are full reference names) to `url`, fast-forward only: forced (`+`) and deleting
    /// refspecs are refused. Refspecs are applied one by one, not atomically. No
    /// remote-tracking reference is updated.
    ///
    /// When the remote branch moved meanwhile, throws `GitError` with code `.nonFastForward`,
    /// whichever layer noticed: libgit2 before sending (git_remote_push returns it), the
    /// server while updating (push_update_reference reports it), or, for a remote on this
    /// machine, FleetGit's own compare-and-swap. Other refusals by a server, such as a hook,
    /// throw `.generic` with the server's text.
    package func push(url: String, refspecs: [String]) throws {
        let context = "pushing to '\(redactedURL(url))'"
        let specs = try refspecs.map { try PushSpec(parsing: $0, context: context) }
        guard !specs.isEmpty else {
            throw GitError(
                code: .invalid, message: "an anonymous remote has no default refspec, so give one",
                function: "push", context: context)
        }
        try locked {
            // The flushed pack serves one push at most; a network push builds its own.
            defer { flushedPack = nil }
            if let path = Self.localRepositoryPath(url) {
                try pushLocally(to: path, url: url, specs: specs, context: context)
            } else {
                try pushThroughLibgit2(url: url, refspecs: specs.map(\.text), context: context)
            }
        }
    }

    /// libgit2's push: objects, then reference updates as the transport does them.
    func pushThroughLibgit2(url: String, refspecs: [String], context: String) throws {
        try withAnonymousRemote(url: url, context: context) { remote, session in
            var options = git_push_options()
            try check(
                git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)),
                "git_push_options_init", context)
            session.install(in: &options.callbacks)
            try withStringArray(refspecs) { array in
                try check(git_remote_push(remote, &array, &options), "git_remote_push", context)
            }
            if let rejection = session.rejections.first {
                throw rejection.error(context: context)
            }
        }
    }

    private func withAnonymousRemote(
        url: String, context: String, _ body: (OpaquePointer, RemoteSession) throws -> Void
    ) throws {
        if GitLibrary.usesCertificates(url) { try GitLibrary.loadCertificates() }
        let session = RemoteSession(url: url)
        try scoped(
            "git_remote_create_anonymous", context,
            acquire: { git_remote_create_anonymous($0, handle, url) },
            release: { git_remote_free($0) }
        ) { remote in
            try withExtendedLifetime(session) { try body(remote, session) }
        }
    }
}

/// One `source:destination` refspec of a push, checked to be a plain fast-forward update.
struct PushSpec {
    var source: String
    var destination: String

    var text: String { "\(source):\(destination)" }

    init(parsing refspec: String, context: String) throws {
        func refuse(_ reason: String) -> GitError {
            GitError(
                code: .invalidSpec, message: "refspec '\(refspec)' \(reason)", function: "push",
                context: context)
        }
        if refspec.hasPrefix("+") {
            throw refuse("would force the update; only fast-forward pushes are allowed")
        }
        let parts = refspec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        source = String(parts[0])
        destination = parts.count > 1 ? String(parts[1]) : source
        if source.isEmpty { throw refuse("would delete the remote reference; that is not allowed") }
        guard destination.hasPrefix("refs/") else {
            throw refuse("needs a full destination reference name starting with 'refs/'")
        }
    }
}

/// A reference update the server refused during a push.
struct PushRejection {
    var reference: String
    var status: String

    /// Server texts that mean "the branch moved under you", from git's receive-pack and the
    /// common hosting services; anything else is a refusal for another reason.
    static let remoteMovedMarkers = [
        "non-fast-forward", "fetch first", "stale info", "failed to update ref",
        "cannot lock ref", "failed to lock", "incorrect old value", "already exists",
    ]

    var isRemoteMoved: Bool {
        let text = status.lowercased()
        return Self.remoteMovedMarkers.contains { text.contains($0) }
    }

    func error(context: String) -> GitError {
        GitError(
            code: isRemoteMoved ? .nonFastForward : .generic,
            message: "the remote refused to update '\(reference)': \(status)",
            function: "push_update_reference", context: context, errorClass: .reference)
    }
}

/// State shared with libgit2's remote callbacks through their payload pointer; lives for one
/// fetch, push or clone, on the calling thread.
final class RemoteSession {
    let url: String
    var usedUsername = false
    var triedAgent = false
    var triedKeyFile = false
    var rejections: [PushRejection] = []

    init(url: String) {
        self.url = url
    }

    /// Sets the credential and push-status callbacks; the caller keeps `self` alive while
    /// libgit2 may call them.
    func install(in callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, _, usernameFromURL, allowedTypes, payload in
            guard let out, let payload else { return GitError.Code.generic.rawValue }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            let username = usernameFromURL.map { String(cString: $0) }
            return session.credential(out, username: username, allowed: allowedTypes)
        }
        callbacks.push_update_reference = { reference, status, payload in
            guard let status, let payload else { return 0 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            session.rejections.append(
                PushRejection(
                    reference: reference.map { String(cString: $0) } ?? "",
                    status: String(cString: status)))
            return 0
        }
    }

    /// Offers one credential per call and gives up once each kind was tried: libgit2 asks
    /// again after every rejection, so without a limit it would loop until the server hangs up.
    private func credential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, username: String?,
        allowed: UInt32
    ) -> Int32 {
        let user = username ?? "git"
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0, !usedUsername {
            usedUsername = true
            return git_credential_username_new(out, user)
        }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            let environment = ProcessInfo.processInfo.environment
            if !triedAgent, environment["SSH_AUTH_SOCK"] != nil {
                triedAgent = true
                return git_credential_ssh_key_from_agent(out, user)
            }
            triedAgent = true
            if !triedKeyFile, let key = Self.defaultKeyFile(home: environment["HOME"]) {
                triedKeyFile = true
                let publicKey = key + ".pub"
                return git_credential_ssh_key_new(
                    out, user, FileManager.default.fileExists(atPath: publicKey) ? publicKey : nil,
                    key, nil)
            }
            return giveUp(
                "no SSH credential was accepted by '\(redactedURL(url))' (tried the ssh-agent "
                    + "and ~/.ssh/id_ed25519 or id_ecdsa without a passphrase)")
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            return giveUp(
                "'\(redactedURL(url))' asks for a user name and password, and gitfleet does not "
                    + "prompt; put a token in the URL or use SSH")
        }
        return giveUp("'\(redactedURL(url))' asks for a kind of credential gitfleet cannot offer")
    }

    private func giveUp(_ message: String) -> Int32 {
        // libgit2 keeps a message set by the callback and returns our code from the operation.
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), message)
        return GitError.Code.auth.rawValue
    }

    private static func defaultKeyFile(home: String?) -> String? {
        guard let home, !home.isEmpty else { return nil }
        return ["id_ed25519", "id_ecdsa"]
            .map { "\(home)/.ssh/\($0)" }
            .first { FileManager.default.fileExists(atPath: $0) }
    }
}

/// `url` with any user name, password, query and fragment removed, safe for messages.
func redactedURL(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return url }
    var rest = url[schemeEnd.upperBound...]
    if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
        rest = rest[..<cut]
    }
    let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    if let at = rest[..<hostEnd].lastIndex(of: "@") {
        rest = rest[rest.index(after: at)...]
    }
    return String(url[..<schemeEnd.upperBound]) + rest
}

/// Lends `strings` to libgit2 as a `git_strarray` for the length of `body`.
func withStringArray<T>(_ strings: [String], _ body: (inout git_strarray) throws -> T) throws -> T {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return try pointers.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}
