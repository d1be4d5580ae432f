import FleetAPI
import FleetGit
import Foundation

// Who may approve, and who may change that. An approval is the commit that gave the request's
// `Approved` condition the value head has; its author must be allowed by the approver rules in
// force, and with `requireSignedApprovals` the commit must carry a valid SSH signature by that
// author. The rules live in `gitfleet.yaml`, but a change to them counts only when the rules in
// force allow its author to change them; `status/sync.yaml` keeps the rules in force.

extension TrustCheck {
    /// Decides which approval rules are in force after this tick's commits.
    mutating func settlePolicy(syncState: SyncState) throws {
        let reader = TreeReader(repository: repository)
        func rules(in tree: ObjectID) throws -> ApproverPolicy? {
            let bytes = try reader.bytes(in: tree, path: GitFleetConfig.fileName)
            return (try? GitFleetConfig.decode(bytes)).map(ApproverPolicy.init(config:))
        }
        // Before gitfleet recorded rules, the ones its newest commit saw are taken as they are.
        let inForce = try syncState.approverPolicy
            ?? baselineTree.flatMap { try rules(in: $0) } ?? .open
        policy = inForce
        guard !range.isEmpty else { return }
        guard let wanted = try rules(in: headTree) else {
            note("'\(GitFleetConfig.fileName)' does not parse: the approver rules in force stay",
                 refused: true)
            return
        }
        guard wanted != inForce else { return }
        // The commit that wrote head's gitfleet.yaml vouches for the rules in it, so a refused
        // change takes effect once an allowed author commits the file again.
        let file = { (tree: ObjectID) throws -> TreeFile? in
            try repository.entry(in: tree, path: GitFleetConfig.fileName)
        }
        guard let id = try introducer(of: file) else {
            note("the approver rules in '\(GitFleetConfig.fileName)' differ from the rules in "
                + "force kept in '\(paths.syncStatePath)': an earlier change to them was refused",
                 refused: true)
            return
        }
        let commit = try repository.commit(id)
        let author = commit.author.email
        let change = "'\(GitFleetConfig.fileName)' as committed in \(id.short) by '\(author)' "
            + "changes the approver rules in force"
        if !inForce.mayChangeRules(author) {
            note("\(change); refused: only an approver of every stage may change them",
                 refused: true)
        } else if inForce.requireSignedApprovals, let problem = verifier.problem(with: commit) {
            note("\(change); refused: \(problem.message)", refused: true)
        } else {
            policy = wanted
            note("approver rules changed in commit \(id.short) by '\(author)'", refused: false)
        }
    }

    /// Checks the approval that head's version of a request carries, and takes it out with an
    /// `ApprovalRefused` condition saying why when it does not pass.
    mutating func authorizeApproval(
        _ key: ObjectKey, path: String, in state: inout FleetState
    ) throws {
        guard var request = state.approvalRequests[key],
              request.conditions[.approved]?.status == .true else { return }
        let refusal: SignatureProblem?
        var by = ""
        let approved = { (tree: ObjectID) throws -> String? in
            try TreeReader(repository: repository).bytes(in: tree, path: path)
                .flatMap { Self.singleDocument($0, path: path) }
                .flatMap(Self.approvedItem).map(Self.canonical)
        }
        if let id = try introducer(of: approved) {
            let commit = try repository.commit(id)
            by = " in commit \(id.short) by '\(commit.author.email)'"
            let run = state.updateRuns[ObjectKey(namespace: key.namespace,
                                                 name: request.parentStageRollout)]
            refusal = problem(approving: request, in: commit, run: run)
        } else {
            refusal = SignatureProblem(
                reason: "ApprovalUnattributed",
                message: "no commit since gitfleet's last one added this Approved condition")
        }
        guard let refusal else {
            request.conditions.remove(.approvalRefused)
            state.approvalRequests[key] = request
            return
        }
        let message = "the approval\(by) was refused: \(refusal.message)"
        request.conditions.remove(.approved)
        request.conditions.set(
            .approvalRefused, .true, reason: refusal.reason, message: message,
            generation: request.meta.generation, now: now)
        state.approvalRequests[key] = request
        refusedApprovals.insert(key)
        note("\(request.kind.rawValue)/\(key): \(message)", refused: true)
    }

    /// Why `commit` may not approve `request`, or nil when it may.
    private func problem(
        approving request: ApprovalRequest, in commit: Commit, run: UpdateRun?
    ) -> SignatureProblem? {
        let author = commit.author.email
        guard let run else {
            return SignatureProblem(
                reason: "ApprovalRunUnknown",
                message: "its run '\(request.parentStageRollout)' is unknown")
        }
        let strategy = run.spec.stagedRolloutStrategyName
        if let allowed = policy.approvers(strategy: strategy, stage: request.targetStage),
           !allowed.contains(ApproverPolicy.normalized(author)) {
            return SignatureProblem(
                reason: "ApproverNotAllowed",
                message: "'\(author)' may not approve stage '\(request.targetStage)' of "
                    + "strategy '\(strategy)' under the approvers in '\(GitFleetConfig.fileName)'")
        }
        if policy.requireSignedApprovals { return verifier.problem(with: commit) }
        return nil
    }
}
