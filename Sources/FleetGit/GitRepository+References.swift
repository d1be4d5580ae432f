internal import CLibGit2

extension GitRepository {
    /// The commit `name` points at, following symbolic references such as HEAD
    /// (git_reference_name_to_id); nil when the reference or its target does not exist.
    package func reference(_ name: String) throws -> ObjectID? {
        try locked {
            var oid = git_oid()
            let result = git_reference_name_to_id(&oid, handle, name)
            if result == GitError.Code.notFound.rawValue {
                git_error_clear()
                return nil
            }
            try check(result, "git_reference_name_to_id", "reading reference '\(name)'")
            return ObjectID(oid)
        }
    }

    /// Compare-and-swap: points direct reference `name` at `target` only if it currently
    /// points at `expected` (git_reference_create_matching), or, when `expected` is nil, only
    /// if it does not exist yet (git_reference_create without force). Losing the race throws
    /// `.modified` (the reference moved or was deleted) or `.exists` and leaves it untouched.
    /// Symbolic references such as HEAD are refused, so they are never turned into direct ones.
    package func updateReference(
        _ name: String, to target: ObjectID, expected: ObjectID?, message: String
    ) throws {
        try locked {
            let context = "updating reference '\(name)' to '\(target.short)'"
            try refuseSymbolic(name, context: context)
            var newOID = target.oid
            var created: OpaquePointer?
            defer { git_reference_free(created) }
            guard let expected else {
                try check(
                    git_reference_create(&created, handle, name, &newOID, 0, message),
                    "git_reference_create", context)
                return
            }
            var oldOID = expected.oid
            let result = git_reference_create_matching(
                &created, handle, name, &newOID, 1, &oldOID, message)
            if result == GitError.Code.notFound.rawValue {
                // libgit2 reports a vanished reference as "not found"; for a compare-and-swap
                // that is the same lost race as a moved one.
                let error = GitError.fromLastError(
                    result, function: "git_reference_create_matching", context: context)
                throw GitError(
                    code: .modified,
                    message: "the reference no longer exists, expected '\(expected.short)' "
                        + "(\(error.message))",
                    function: error.function, context: context, errorClass: error.errorClass)
            }
            try check(result, "git_reference_create_matching", context)
        }
    }

    /// Deletes reference `name` if it points at `expected` (git_reference_delete after a
    /// matching lookup); a reference that is already gone is not an error.
    package func deleteReference(_ name: String, expected: ObjectID) throws {
        try locked {
            let context = "deleting reference '\(name)'"
            var reference: OpaquePointer?
            let result = git_reference_lookup(&reference, handle, name)
            defer { git_reference_free(reference) }
            if result == GitError.Code.notFound.rawValue {
                git_error_clear()
                return
            }
            try check(result, "git_reference_lookup", context)
            guard let reference else { return }
            let current = git_reference_target(reference).map { ObjectID($0.pointee) }
            guard current == expected else {
                throw GitError(
                    code: .modified,
                    message: "it points at '\(current?.short ?? "a symbolic target")', "
                        + "expected '\(expected.short)'",
                    function: "deleteReference", context: context)
            }
            try check(git_reference_delete(reference), "git_reference_delete", context)
        }
    }

    /// Points HEAD at `refName`, which need not exist yet (git_repository_set_head).
    package func setHead(_ refName: String) throws {
        try locked {
            try check(
                git_repository_set_head(handle, refName), "git_repository_set_head",
                "pointing HEAD at '\(refName)'")
        }
    }

    /// The reference HEAD names (such as `refs/heads/main`), or nil when HEAD is detached.
    package func headReferenceName() throws -> String? {
        try locked {
            try scoped(
                "git_reference_lookup", "reading HEAD",
                acquire: { git_reference_lookup($0, handle, "HEAD") },
                release: { git_reference_free($0) }
            ) { head in
                guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC,
                    let target = git_reference_symbolic_target(head)
                else { return nil }
                return String(cString: target)
            }
        }
    }

    private func refuseSymbolic(_ name: String, context: String) throws {
        var reference: OpaquePointer?
        let result = git_reference_lookup(&reference, handle, name)
        defer { git_reference_free(reference) }
        if result == GitError.Code.notFound.rawValue {
            git_error_clear()
            return
        }
        try check(result, "git_reference_lookup", context)
        if let reference, git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC {
            throw GitError(
                code: .invalidSpec,
                message: "'\(name)' is a symbolic reference; update the branch it names instead",
                function: "updateReference", context: context)
        }
    }
}
