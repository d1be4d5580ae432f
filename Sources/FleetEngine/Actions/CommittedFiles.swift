import FleetAPI
import FleetGit

/// The hub files of a repository's committed tree, for `gitfleet validate` on a clone.
package enum CommittedFiles {
    /// True when `path` is a bare repository, which has no files on disk to check: its
    /// committed tree is validated instead. A clone's folder is checked as its files are,
    /// which is what the next commit will hold.
    package static func isBareRepository(_ path: String) -> Bool {
        (try? GitRepository.open(path: path))?.isBare ?? false
    }

    /// Every hub file of HEAD's tree (outside the output folders, ignored paths and hidden
    /// folders; symlinks never followed), with the commit they come from.
    package static func hubFiles(
        repositoryPath: String
    ) throws -> (commit: String, files: [(path: String, bytes: [UInt8])]) {
        let repository = try GitRepository.open(path: repositoryPath)
        guard let head = try repository.reference("HEAD") else {
            throw Diagnostic("the repository at '\(repositoryPath)' has no commits yet")
        }
        let tree = try repository.treeOfCommit(head)
        let reader = TreeReader(repository: repository)
        let config = try GitFleetConfig.decode(
            try reader.bytes(in: tree, path: GitFleetConfig.fileName))
        let paths = RepositoryPaths(config: config)
        var files: [(path: String, bytes: [UInt8])] = []
        for file in try repository.files(in: tree)
        where file.mode != .symlink && paths.owner(of: file.path) == .hub {
            files.append((file.path, try repository.blob(file.blob)))
        }
        return (head.short, files)
    }
}
