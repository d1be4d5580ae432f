import FleetAPI
import FleetGit
import FleetYAML
import Foundation

/// `gitfleet approve`: adds an `Approved` condition to an approval request in a clone and
/// commits it, exactly what a person would commit by hand (design.md section 6).
package enum Approval {
    package static let reason = "ApprovedByGitfleetCLI"

    /// Approves `name` (in `namespace` for an ApprovalRequest) and returns the new commit.
    package static func approve(
        repositoryPath: String, name: String, namespace: String?, message: String?, now: Date
    ) throws -> ObjectID {
        let repository = try CommittedState.openClone(repositoryPath)
        guard let head = try repository.reference("HEAD") else {
            throw Diagnostic("the repository at '\(repositoryPath)' has no commits yet")
        }
        let tree = try repository.treeOfCommit(head)
        let reader = TreeReader(repository: repository)
        let paths = reader.paths(in: tree)
        let kind = FleetKind.approvalRequest(namespace == nil ? .cluster : .namespaced)
        let key = ObjectKey(namespace: namespace, name: name)
        if let problem = KubernetesName.subdomainProblem(name) {
            throw Diagnostic("approval request name '\(name)' is not valid: \(problem)")
        }
        let path = try paths.statusPath(kind: kind, key: key)
        guard let bytes = try reader.bytes(in: tree, path: path) else {
            let scope = namespace.map { " in namespace '\($0)'" } ?? ""
            throw Diagnostic("\(kind.rawValue) '\(name)'\(scope) not found in the committed "
                + "state; pull, or check the name with 'gitfleet get \(kind.shortNames[0])'")
        }
        let decoded = FleetDecoder.decodeFile(path: path, bytes: bytes, source: .status)
        guard case let .approvalRequest(request)? = decoded.documents.first?.fleetObject else {
            throw Diagnostic("'\(path)' does not hold a valid \(kind.rawValue)")
        }
        if request.isAccepted || request.isApproved {
            throw Diagnostic("\(kind.rawValue) '\(key)' is already approved")
        }
        guard var node = try YAMLParser.parse(bytes, file: path).first else {
            throw Diagnostic("'\(path)' is empty")
        }
        var status = node["status"] ?? .mapping([])
        var conditions = (status["conditions"]?.items ?? []).filter {
            $0["type"]?.scalar?.text != ApprovalRequestConditionType.approved.rawValue
        }
        conditions.append(.mapping([
            ("type", .string(ApprovalRequestConditionType.approved.rawValue)),
            ("status", .string(ConditionStatus.true.rawValue)),
            ("reason", .string(reason)),
            ("message", .string(message ?? "approved with gitfleet approve")),
            ("observedGeneration", .int(request.meta.generation)),
            ("lastTransitionTime", .string(Timestamp.format(now))),
        ]))
        status.set("conditions", .sequence(conditions))
        node.set("status", status)
        let text = try YAMLWriter.write(node)
        let signature = try repository.defaultSignature(time: now)
        return try CommittedState.commit(
            path, bytes: Array(text.utf8),
            message: "Approve \(kind.rawValue) \(key)\n\n\(message ?? "")"
                .trimmingCharacters(in: .whitespacesAndNewlines) + "\n",
            signature: signature, in: repository)
    }
}
