import Foundation
internal import CLibGit2

/// A signed commit's signature and the exact bytes it signs: the commit object without its
/// signature header, which is what `ssh-keygen -Y verify` or `gpg --verify` must check.
package struct CommitSignature: Sendable, Hashable {
    /// The signature as stored in the header, continuation spaces removed.
    package var signature: [UInt8]
    /// The commit object as it was before signing.
    package var signedData: [UInt8]

    /// Makes a value from the two buffers.
    package init(signature: [UInt8], signedData: [UInt8]) {
        self.signature = signature
        self.signedData = signedData
    }

    /// True for an OpenSSH signature (`-----BEGIN SSH SIGNATURE-----`), as `git commit -S`
    /// writes with `gpg.format=ssh`.
    package var isSSH: Bool {
        signature.starts(with: Array("-----BEGIN SSH SIGNATURE-----".utf8))
    }
}

extension GitRepository {
    /// The signature in header `field` of commit `id` and the data it signs
    /// (git_commit_extract_signature); nil when the commit carries no such header.
    package func commitSignature(
        _ id: ObjectID, field: String = "gpgsig"
    ) throws -> CommitSignature? {
        try locked {
            var signature = git_buf()
            var signedData = git_buf()
            defer {
                git_buf_dispose(&signature)
                git_buf_dispose(&signedData)
            }
            var oid = id.oid
            let result = git_commit_extract_signature(&signature, &signedData, handle, &oid, field)
            if result == GitError.Code.notFound.rawValue {
                git_error_clear()
                return nil
            }
            try check(result, "git_commit_extract_signature",
                      "reading the signature of commit '\(id.short)'")
            return CommitSignature(
                signature: Self.bytes(signature), signedData: Self.bytes(signedData))
        }
    }

    /// The commit object that `createCommit` would write, as bytes to sign
    /// (git_commit_create_buffer); nothing is stored.
    package func commitContent(
        tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
        message: String
    ) throws -> [UInt8] {
        try locked {
            let context = "preparing a commit of tree '\(tree.short)'"
            var parentCommits = try lookUpParents(parents)
            defer { parentCommits.forEach { git_commit_free($0) } }
            return try withSignature(author, context: context) { authorSignature in
                try withSignature(committer, context: context) { committerSignature in
                    try withTree(tree) { treeObject in
                        var buffer = git_buf()
                        defer { git_buf_dispose(&buffer) }
                        try parentCommits.withUnsafeMutableBufferPointer { parentsBuffer in
                            try check(
                                git_commit_create_buffer(
                                    &buffer, handle, authorSignature, committerSignature, nil,
                                    message, treeObject, parentsBuffer.count,
                                    parentsBuffer.baseAddress),
                                "git_commit_create_buffer", context)
                        }
                        return Self.bytes(buffer)
                    }
                }
            }
        }
    }

    /// Stores `content` (from `commitContent`) with `signature` in header `field`
    /// (git_commit_create_with_signature) and returns the commit id; updates no reference.
    /// A trailing line end of the signature is dropped, since libgit2 adds its own.
    package func createSignedCommit(
        content: [UInt8], signature: [UInt8], field: String = "gpgsig"
    ) throws -> ObjectID {
        try locked {
            let context = "writing a signed commit"
            guard !content.contains(0), !signature.contains(0) else {
                throw GitError(
                    code: .invalid, message: "the commit or its signature contains a NUL byte",
                    function: "git_commit_create_with_signature", context: context)
            }
            var trimmed = signature
            while trimmed.last == UInt8(ascii: "\n") { trimmed.removeLast() }
            let contentText = String(decoding: content, as: UTF8.self)
            let signatureText = String(decoding: trimmed, as: UTF8.self)
            var result = git_oid()
            try check(
                git_commit_create_with_signature(
                    &result, handle, contentText, signatureText, field),
                "git_commit_create_with_signature", context)
            return ObjectID(result)
        }
    }

    private static func bytes(_ buffer: git_buf) -> [UInt8] {
        guard let pointer = buffer.ptr, buffer.size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: buffer.size))
    }
}
