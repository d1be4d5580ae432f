import FleetAPI
import FleetGit
import FleetYAML
import Foundation

/// `gitfleet report`: records in `reports/<member>.yaml` which snapshot a member has applied
/// and whether it is available, and commits it. A member's agent or CI runs it.
package enum Reporting {
    package static func report(
        repositoryPath: String, member: String, placement: ObjectKey, snapshot: String,
        applied: Bool, available: Bool, message: String?, now: Date
    ) throws -> ObjectID {
        if let problem = KubernetesName.subdomainProblem(member) {
            throw Diagnostic("member name '\(member)' is not valid: \(problem)")
        }
        // A report names things of the committed state; a typo would wait forever unnoticed.
        let committed = try CommittedState.load(repositoryPath: repositoryPath).state
        guard committed.members[member] != nil else {
            throw Diagnostic("no MemberCluster '\(member)' in the committed state")
        }
        let kind = FleetKind.placement(placement.scope)
        guard committed.placements[placement] != nil else {
            throw Diagnostic("no \(kind.rawValue) '\(placement)' in the committed state")
        }
        guard committed.resourceSnapshots[ObjectKey(namespace: placement.namespace, name: snapshot)]
            != nil else {
            throw Diagnostic("no resource snapshot '\(snapshot)' of '\(placement)' in the "
                + "committed state")
        }
        let repository = try CommittedState.openClone(repositoryPath)
        let head = try repository.reference("HEAD")
        let tree = try head.map { try repository.treeOfCommit($0) }
        let reader = TreeReader(repository: repository)
        let paths = tree.map(reader.paths(in:)) ?? RepositoryPaths(config: GitFleetConfig())
        let path = paths.reportPath(member: member)
        var report = MemberReport(member: member, entries: [])
        if let tree, let bytes = try reader.bytes(in: tree, path: path) {
            report = try MemberReport.decode(bytes, file: path)
        }
        report.entries.removeAll { $0.placement == placement }
        report.entries.append(MemberReport.Entry(
            placement: placement, snapshot: snapshot, applied: applied, available: available,
            time: now))
        report.entries.sort { $0.placement < $1.placement }
        let signature = try repository.defaultSignature(time: now)
        let state = available ? "available" : (applied ? "applied" : "not applied")
        return try CommittedState.commit(
            path, bytes: try report.encode(),
            message: "Report \(member): \(snapshot) \(state)\n"
                + (message.map { "\n\($0)\n" } ?? ""),
            signature: signature, in: repository)
    }
}
