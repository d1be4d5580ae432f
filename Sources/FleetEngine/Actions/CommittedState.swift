import FleetAPI
import FleetGit

/// The committed state of a clone: HEAD's hub objects merged with what gitfleet wrote under
/// `status/`, as `gitfleet get` shows it. Uncommitted edits are not part of it.
package enum CommittedState {
    /// The state, and what is wrong with the status files: an object gitfleet cannot read
    /// back (a hand edit, say) is left out of the state until the next tick restores it.
    package static func load(
        repositoryPath: String
    ) throws -> (state: FleetState, statusProblems: [Diagnostic]) {
        let repository = try openClone(repositoryPath)
        guard let head = try repository.reference("HEAD") else {
            throw Diagnostic("the repository at '\(repositoryPath)' has no commits yet")
        }
        let tree = try repository.treeOfCommit(head)
        let reader = TreeReader(repository: repository)
        let paths = reader.paths(in: tree)
        var files: [(path: String, bytes: [UInt8])] = []
        for file in try repository.files(in: tree) where file.mode != .symlink {
            switch paths.owner(of: file.path) {
            case .hub:
                files.append((file.path, try repository.blob(file.blob)))
            case .status where file.path.hasSuffix(".yaml") && file.path != paths.syncStatePath:
                files.append((file.path, try repository.blob(file.blob)))
            case .status, .deploy, .reports, .config, .other:
                continue
            }
        }
        let set = ManifestSet.load(files: files, statusRoot: paths.config.statusFolder)
        let statusRoot = paths.config.statusFolder + "/"
        let problems = (set.parseErrors + set.diagnostics).filter {
            $0.location?.file.hasPrefix(statusRoot) == true
        }
        return (set.state, problems)
    }

    /// The clone containing `path`, or a clear error when there is none.
    static func openClone(_ path: String) throws -> GitRepository {
        do {
            return try GitRepository.discover(from: path)
        } catch let error as GitError where error.code == .notFound {
            throw Diagnostic("no git repository at '\(path)': run this in a clone of the "
                + "manifest repository, or give --repo")
        }
    }

    /// Commits one file for a person, turning a refusal to overwrite their own uncommitted
    /// edits into an input error that says what to do.
    static func commit(
        _ path: String, bytes: [UInt8], message: String, signature: Signature,
        in repository: GitRepository
    ) throws -> ObjectID {
        do {
            return try repository.commitFile(
                path, bytes: bytes, message: message, signature: signature)
        } catch let error as GitError where error.code == .conflict {
            throw Diagnostic("'\(path)' has uncommitted changes: commit or discard them first")
        } catch let error as GitError where error.code == .unbornBranch {
            throw Diagnostic("HEAD names no branch (a detached checkout or a rebase in "
                + "progress): check out the branch first")
        } catch let error as GitError where error.code == .bareRepository {
            throw Diagnostic("'\(repository.path)' is a bare repository: run this in a clone")
        }
    }
}
