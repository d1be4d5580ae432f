import FleetAPI
import FleetEngine
import FleetGit
import FleetYAML
import Foundation
import Testing

/// The trust model on real repositories: pushed edits of gitfleet's output folders are
/// restored and reported and never change what members get; approvals count only from allowed
/// approvers, and only when signed if signatures are required.
@Suite("trust, end to end")
struct TrustTests {
    static let request = "status/clusterapprovalrequests/run-before-canary.yaml"
    static let snapshot = "status/clusterresourcesnapshots/example-placement-0-snapshot.yaml"
    static let placementStatus = "status/clusterresourceplacements/example-placement.yaml"

    /// The tutorial fleet with `run` started on member2 and waiting for `run-before-canary`;
    /// with `oneEngine`, every tick runs in one engine that keeps decoded files, as a loop does.
    func waitingForApproval(config: String? = nil, oneEngine: Bool = false) throws -> FleetFixture {
        let fleet = try FleetFixture()
        if oneEngine { fleet.keepOneEngine() }
        try fleet.commitFolder(Manifests.exampleRepo)
        if let config { try fleet.commit(["gitfleet.yaml": config], message: "Configure") }
        try fleet.tick()
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        try fleet.tick()
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        #expect(try fleet.file(Self.request) != nil)
        #expect(try values(fleet) == [nil, "value1", nil])
        return fleet
    }

    func values(_ fleet: FleetFixture) throws -> [String?] {
        try ["member1", "member2", "member3"].map {
            try fleet.configMapValue(member: $0, namespace: "test-namespace", name: "test-cm")
        }
    }

    func request(_ fleet: FleetFixture) throws -> ApprovalRequest? {
        if case let .approvalRequest(request)? = try fleet.statusObject(Self.request) {
            return request
        }
        return nil
    }

    func approve(
        _ fleet: FleetFixture, as author: String = "person@example.com",
        signingKey: String? = nil
    ) throws -> ObjectID {
        let text = try #require(try fleet.file(Self.request))
        return try fleet.commit([Self.request: try Manifests.approved(text)],
                                message: "Approve the canary", author: author,
                                signingKey: signingKey)
    }

    func syncState(_ fleet: FleetFixture) throws -> SyncState {
        try SyncState.decode(Array(try #require(try fleet.file("status/sync.yaml")).utf8),
                             file: "status/sync.yaml")
    }

    /// Replaces `old` with `new` in a file of the remote, as a hand edit.
    func edit(_ fleet: FleetFixture, _ path: String, _ old: String, _ new: String) throws
        -> ObjectID {
        let text = try #require(try fleet.file(path))
        #expect(text.contains(old), "'\(old)' not in \(path)")
        return try fleet.commit([path: text.replacingOccurrences(of: old, with: new)],
                                message: "Edit \(path) by hand")
    }

    // MARK: - Output folders

    @Test("a tampered snapshot is restored, reported, and members still get the original",
          arguments: [false, true])
    func tamperedSnapshot(oneEngine: Bool) throws {
        let fleet = try waitingForApproval(oneEngine: oneEngine)
        let original = try #require(try fleet.file(Self.snapshot))
        let tamper = try edit(fleet, Self.snapshot, "value1", "evil")
        try fleet.tick()
        #expect(try fleet.file(Self.snapshot) == original)
        let line = "refused edit of '\(Self.snapshot)' in commit \(tamper.short) by "
            + "'person@example.com': restored gitfleet's version"
        #expect(try fleet.log().first?.contains(line) == true)
        #expect(try syncState(fleet).refusedEdits == [line])
        guard case let .placementStatus(placement)? = try fleet.statusObject(Self.placementStatus)
        else { Issue.record("no placement status"); return }
        #expect(placement.errors == [line])

        _ = try approve(fleet)
        try fleet.tick()
        try fleet.tick()
        #expect(try values(fleet) == ["value1", "value1", "value1"])
        try fleet.settle()
        #expect(try fleet.file(Self.snapshot) == original)
    }

    @Test("a hand-edited binding does not move a member")
    func tamperedBinding() throws {
        let fleet = try waitingForApproval()
        let original = try #require(try fleet.file(Self.placementStatus))
        // member1 and member3 wait in the last stage; claim they run snapshot 0 already.
        let scheduled = """
                  state: Scheduled
                  schedulingPolicySnapshotName: example-placement-0
            """
        let bound = """
                  state: Bound
                  resourceSnapshotName: example-placement-0-snapshot
                  schedulingPolicySnapshotName: example-placement-0
            """
        #expect(original.contains(scheduled))
        let tamper = try fleet.commit(
            [Self.placementStatus: original.replacingOccurrences(of: scheduled, with: bound)],
            message: "Bind member1")
        try fleet.tick()
        #expect(try values(fleet) == [nil, "value1", nil], "member1 and member3 got nothing")
        #expect(try fleet.files(under: "deploy/member1").isEmpty)
        let line = "refused edit of '\(Self.placementStatus)' in commit \(tamper.short) by "
            + "'person@example.com': restored gitfleet's version"
        #expect(try fleet.log().first?.contains(line) == true)
        guard case let .placementStatus(before) = try #require(FleetDecoder.decodeFile(
                  path: Self.placementStatus, bytes: Array(original.utf8), source: .status)
                  .documents.first?.fleetObject),
              case let .placementStatus(after)? = try fleet.statusObject(Self.placementStatus)
        else { Issue.record("no placement status"); return }
        #expect(after.bindings == before.bindings)
        #expect(after.errors == [line])
    }

    @Test("gitfleet get warns about a status file it cannot read back")
    func unreadableStatusForGet() throws {
        let fleet = try waitingForApproval()
        let original = try #require(try fleet.file(Self.placementStatus))
        // A second entry for member1, as a careless hand edit leaves it.
        let duplicate = original.replacingOccurrences(
            of: "  bindings:\n", with: """
                  bindings:
                  - spec:
                      state: Scheduled
                      schedulingPolicySnapshotName: example-placement-0
                    targetClusters:
                    - member1

                """)
        #expect(duplicate != original)
        try fleet.commit([Self.placementStatus: duplicate], message: "Edit by hand")
        let loaded = try CommittedState.load(repositoryPath: fleet.remote)
        #expect(loaded.statusProblems.map(\.description).contains {
            $0.contains(Self.placementStatus)
                && $0.contains("member 'member1' already has a binding")
        })
    }

    @Test("an edited or added deploy file is put back, and reported in status/sync.yaml")
    func tamperedDeploy() throws {
        let fleet = try waitingForApproval()
        let file = "deploy/member2/test-namespace/configmap_test-cm.yaml"
        let tamper = try fleet.commit([
            file: Manifests.configMap("test-cm", namespace: "test-namespace", value: "evil"),
            "deploy/member1/extra.yaml": Manifests.configMap("x", namespace: "x", value: "x"),
        ], message: "Deploy by hand")
        try fleet.tick()
        #expect(try values(fleet) == [nil, "value1", nil])
        #expect(try fleet.files(under: "deploy/member1").isEmpty)
        let refused = try syncState(fleet).refusedEdits
        #expect(refused == [
            "refused edit of 'deploy/member1/extra.yaml' in commit \(tamper.short) by "
                + "'person@example.com': removed",
            "refused edit of '\(file)' in commit \(tamper.short) by 'person@example.com': "
                + "restored gitfleet's version",
        ])
        #expect(try fleet.settle() == 0)
    }

    @Test("a hand-written approval request never approves; gitfleet writes its own")
    func handWrittenRequest() throws {
        let fleet = try FleetFixture()
        try fleet.commitFolder(Manifests.exampleRepo)
        try fleet.tick()
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        try fleet.tick()
        // Before gitfleet asks for it, a person writes the request, approved.
        let forged = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterApprovalRequest
            metadata:
              name: run-before-canary
              generation: 1
            spec:
              parentStageRollout: run
              targetStage: canary
            status:
              conditions:
              - type: Approved
                status: "True"
                reason: ByHand
                observedGeneration: 1
                lastTransitionTime: "2027-01-15T08:00:00Z"

            """
        let tamper = try fleet.commit([Self.request: forged], message: "Approve ahead")
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        try fleet.tick()
        let own = try #require(try request(fleet))
        #expect(own.conditions[.approved] == nil)
        #expect(!own.isAccepted)
        #expect(own.meta.labels["kubernetes-fleet.io/targetUpdateRun"] == "run",
                "gitfleet's own request")
        #expect(own.conditions[.approvalRefused] == nil, "the hand-written file concerned no object")
        #expect(try values(fleet) == [nil, "value1", nil], "the canary waits")
        #expect(try fleet.log().contains {
            $0.contains("refused edit of '\(Self.request)' in commit \(tamper.short)")
        })

        _ = try approve(fleet)
        try fleet.tick()
        #expect(try values(fleet) == [nil, "value1", "value1"])
    }

    @Test("a forged approval request, naming another stage, fails the run")
    func forgedRequest() throws {
        let fleet = try waitingForApproval()
        let text = try #require(try fleet.file(Self.request))
        try fleet.commit([Self.request: try Manifests.approved(text).replacingOccurrences(
            of: "targetStage: canary", with: "targetStage: staging")], message: "Forge")
        try fleet.tick()
        let run = try #require(try fleet.run("run"))
        #expect(run.status.conditions[.succeeded]?.status == .false)
        #expect(run.status.conditions[.succeeded]?.message.contains("stage `staging`") == true)
        let restored = try #require(try request(fleet))
        #expect(restored.targetStage == "canary", "gitfleet's spec is back")
        #expect(restored.conditions[.approved] == nil)
        try fleet.settle()
        #expect(try values(fleet) == [nil, "value1", nil])
    }

    @Test("an approval in a commit that also edits the request elsewhere is kept; the rest is not")
    func approvalWithForbiddenEdit() throws {
        let fleet = try waitingForApproval()
        let text = try #require(try fleet.file(Self.request))
        let tamper = try fleet.commit([Self.request: try Manifests.approved(text)
            .replacingOccurrences(of: "taskType: beforeStage", with: "taskType: afterStage")],
            message: "Approve and relabel")
        try fleet.tick()
        let accepted = try #require(try request(fleet))
        #expect(accepted.isAccepted)
        #expect(accepted.meta.labels["kubernetes-fleet.io/taskType"] == "beforeStage")
        #expect(try values(fleet) == [nil, "value1", "value1"])
        #expect(try syncState(fleet).refusedEdits == ["refused edit of '\(Self.request)' in "
            + "commit \(tamper.short) by 'person@example.com': restored gitfleet's version"])
    }

    @Test("a merge that brings gitfleet's commits in beside a person's older work is no tampering")
    func mergeIsNoTampering() throws {
        let fleet = try FleetFixture()
        try fleet.commitFolder(Manifests.exampleRepo)
        try fleet.tick()
        try fleet.commit(["runs/run.yaml": Manifests.clusterRun("run")])
        try fleet.tick()
        let older = try #require(try fleet.fetchHead())
        try fleet.tick()
        fleet.advance(seconds: 61)
        try fleet.tick()
        #expect(try fleet.file(Self.request) != nil)
        try fleet.commitAndMerge(["docs/notes.md": "side work\n"], onto: older)
        try fleet.tick()
        #expect(try syncState(fleet).refusedEdits.isEmpty)
        #expect(try fleet.log().allSatisfy { !$0.contains("refused") })
        _ = try approve(fleet)
        try fleet.tick()
        #expect(try values(fleet) == [nil, "value1", "value1"])
    }

    @Test("a run per commit may be stopped in its status file; other edits there are refused")
    func runPerCommitState() throws {
        let fleet = try FleetFixture()
        var files = RolloutModesTests.members(4)
        files["app/namespace.yaml"] = RolloutModesTests.namespace
        files["app/config.yaml"] = Manifests.configMap("config", namespace: "app", value: "v1")
        files["app/placement.yaml"] = RolloutModesTests.placement(strategy: "    type: External")
        files["strategies/prod.yaml"] = RolloutModesTests.strategy.replacingOccurrences(
            of: "maxConcurrency: 2", with: "maxConcurrency: 1")
        try fleet.commit(files)
        try fleet.tick()
        let path = "status/clusterstagedupdateruns/app-run-0.yaml"
        _ = try edit(fleet, path, "  state: Run\nstatus:", "  state: Stop\nstatus:")
        try fleet.settle()
        let stopped = try #require(try fleet.run("app-run-0"))
        #expect(stopped.spec.state == .stop)
        #expect(stopped.meta.annotations[TrustAnnotation.refusedEdit] == nil)

        let text = try #require(try fleet.file(path))
        let tamper = try fleet.commit([path: text
            .replacingOccurrences(of: "  state: Stop\nstatus:", with: "  state: Run\nstatus:")
            .replacingOccurrences(of: "resourceSnapshotIndex: \"0\"",
                                  with: "resourceSnapshotIndex: \"7\"")], message: "Edit run")
        try fleet.tick()
        let run = try #require(try fleet.run("app-run-0"))
        #expect(run.spec.state == .run, "the allowed part of the edit is kept")
        #expect(run.spec.resourceSnapshotIndex == "0")
        #expect(run.meta.annotations[TrustAnnotation.refusedEdit]?
            .contains("in commit \(tamper.short)") == true)
    }

    // MARK: - Approvers

    static let approvers = """
        approvers:
        - emails: [admin@example.com]
        - stage: canary
          emails: [alice@example.com]

        """

    @Test("an approval by someone the rules do not list is refused with a reason; an approver's counts")
    func approverRules() throws {
        let fleet = try waitingForApproval(config: Self.approvers)
        let refused = try approve(fleet, as: "bob@example.com")
        try fleet.tick()
        let refusedRequest = try #require(try request(fleet))
        #expect(refusedRequest.conditions[.approved] == nil)
        let condition = try #require(refusedRequest.conditions[.approvalRefused])
        #expect(condition.reason == "ApproverNotAllowed")
        #expect(condition.message == "the approval in commit \(refused.short) by "
            + "'bob@example.com' was refused: 'bob@example.com' may not approve stage 'canary' "
            + "of strategy 'example-strategy' under the approvers in 'gitfleet.yaml'")
        #expect(try values(fleet) == [nil, "value1", nil])
        #expect(try syncState(fleet).refusedEdits.count == 1)

        _ = try approve(fleet, as: "Alice@Example.com")
        try fleet.tick()
        let accepted = try #require(try request(fleet))
        #expect(accepted.isAccepted)
        #expect(accepted.conditions[.approvalRefused] == nil)
        #expect(try values(fleet) == [nil, "value1", "value1"])
    }

    @Test("the approver rules change only by an approver of every stage")
    func rulesChange() throws {
        let fleet = try waitingForApproval(config: Self.approvers)
        let widened = Self.approvers.replacingOccurrences(
            of: "[alice@example.com]", with: "[alice@example.com, bob@example.com]")
        let change = try fleet.commit(["gitfleet.yaml": widened], message: "Add bob",
                                      author: "bob@example.com")
        try fleet.tick()
        let state = try syncState(fleet)
        #expect(state.approverPolicy?.rules.last?.emails == ["alice@example.com"])
        #expect(state.refusedEdits == ["'gitfleet.yaml' as committed in \(change.short) by "
            + "'bob@example.com' changes the approver rules in force; refused: only an approver "
            + "of every stage may change them"])
        _ = try approve(fleet, as: "bob@example.com")
        try fleet.tick()
        #expect(try request(fleet)?.conditions[.approvalRefused]?.reason == "ApproverNotAllowed")

        try fleet.commit(["gitfleet.yaml": widened + "# approved by the admin\n"],
                         message: "Add bob", author: "admin@example.com")
        _ = try approve(fleet, as: "bob@example.com")
        try fleet.tick()
        #expect(try syncState(fleet).approverPolicy?.rules.last?.emails
            == ["alice@example.com", "bob@example.com"])
        #expect(try request(fleet)?.isAccepted == true)
    }

    // MARK: - Signed approvals

    @Test("with signed approvals required, only a valid signature of an allowed key counts")
    func signedApprovals() throws {
        let fleet = try waitingForApproval(config: Self.approvers + "requireSignedApprovals: true\n")
        let keys = fleet.root + "-keys"
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let alice = try SigningKeys.make("alice", email: "alice@example.com", in: keys)
        let stranger = try SigningKeys.make("stranger", email: "alice@example.com", in: keys)
        try SigningKeys.allowedSigners([("alice@example.com", alice)], at: keys + "/allowed")
        fleet.trust = TrustSettings(allowedSignersFile: keys + "/allowed")

        _ = try approve(fleet, as: "alice@example.com")
        try fleet.tick()
        #expect(try request(fleet)?.conditions[.approvalRefused]?.reason == "ApprovalNotSigned")

        _ = try approve(fleet, as: "alice@example.com", signingKey: stranger)
        try fleet.tick()
        #expect(try request(fleet)?.conditions[.approvalRefused]?.reason == "SignatureInvalid")
        #expect(try values(fleet) == [nil, "value1", nil])

        let signed = try approve(fleet, as: "alice@example.com", signingKey: alice)
        try fleet.tick()
        let approved = try #require(try request(fleet))
        #expect(approved.isAccepted, "\(approved.conditions)")
        #expect(try values(fleet) == [nil, "value1", "value1"])
        #expect(try fleet.log().contains { $0.contains("Approve the canary") }
            && signed.sha.count == 40)
    }

    @Test("with signed approvals required, a change of the rules must be signed too")
    func signedRulesChange() throws {
        let config = Self.approvers + "requireSignedApprovals: true\n"
        let fleet = try waitingForApproval(config: config)
        let keys = fleet.root + "-keys"
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let admin = try SigningKeys.make("admin", email: "admin@example.com", in: keys)
        try SigningKeys.allowedSigners([("admin@example.com", admin)], at: keys + "/allowed")
        fleet.trust = TrustSettings(allowedSignersFile: keys + "/allowed")
        let open = "approvers:\n- emails: [admin@example.com, person@example.com]\n"

        let unsigned = try fleet.commit(["gitfleet.yaml": open], message: "Open up",
                                        author: "admin@example.com")
        try fleet.tick()
        #expect(try syncState(fleet).approverPolicy?.requireSignedApprovals == true)
        #expect(try syncState(fleet).refusedEdits.first?.contains(
            "committed in \(unsigned.short) by 'admin@example.com' changes the approver rules "
                + "in force; refused: commit '\(unsigned.short)' is not signed") == true)

        try fleet.commit(["gitfleet.yaml": open + "# signed\n"], message: "Open up, signed",
                         author: "admin@example.com", signingKey: admin)
        try fleet.tick()
        let policy = try #require(try syncState(fleet).approverPolicy)
        #expect(!policy.requireSignedApprovals)
        #expect(policy.rules.first?.emails == ["admin@example.com", "person@example.com"])
        _ = try approve(fleet)
        try fleet.tick()
        #expect(try request(fleet)?.isAccepted == true, "unsigned approvals count again")
    }

    @Test("signed approvals need an allowed signers file outside the repository")
    func signersInsideRepository() throws {
        let fleet = try waitingForApproval(config: "requireSignedApprovals: true\n")
        fleet.trust = TrustSettings(allowedSignersFile: fleet.remote + "/allowed_signers")
        try "".write(toFile: fleet.remote + "/allowed_signers", atomically: true, encoding: .utf8)
        _ = try approve(fleet)
        try fleet.tick()
        #expect(try request(fleet)?.conditions[.approvalRefused]?.reason
            == "AllowedSignersInRepository")
        fleet.trust = TrustSettings()
        _ = try approve(fleet)
        try fleet.tick()
        #expect(try request(fleet)?.conditions[.approvalRefused]?.reason
            == "AllowedSignersMissing")
        #expect(try values(fleet) == [nil, "value1", nil])
    }

    @Test("a pushed edit of status/sync.yaml cannot make gitfleet skip commits")
    func tamperedSyncState() throws {
        let fleet = try waitingForApproval()
        let snapshotEdit = try edit(fleet, Self.snapshot, "value1", "evil")
        let head = try #require(try fleet.fetchHead())
        let sync = try #require(try fleet.file("status/sync.yaml"))
        let current = try syncState(fleet).lastProcessedCommit ?? ""
        _ = try edit(fleet, "status/sync.yaml", current, head.sha)
        #expect(sync.contains(current))
        try fleet.tick()
        #expect(try fleet.file(Self.snapshot)?.contains("evil") == false)
        #expect(try syncState(fleet).refusedEdits.contains {
            $0.contains("'\(Self.snapshot)' in commit \(snapshotEdit.short)")
        })
    }
}
