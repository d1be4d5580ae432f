import Testing
@testable import FleetAPI

/// Runs, approval requests, members, workloads and what every document needs.
@Suite struct ObjectValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var want: [String]
        var source: DocumentSource = .repository
        var testDescription: String { name }
    }

    static let name64 = String(repeating: "r", count: 64)

    static let rejected: [Case] = [
        Case(name: "run name of 64 characters",
             yaml: runYAML(name: name64, spec: "placementName: p\nstagedRolloutStrategyName: s"),
             want: ["metadata.name max length is 63"]),
        Case(name: "run without placementName", yaml: runYAML(spec: "stagedRolloutStrategyName: s"),
             want: ["spec.placementName is required"]),
        Case(name: "run without strategy", yaml: runYAML(spec: "placementName: p"),
             want: ["spec.stagedRolloutStrategyName is required"]),
        Case(name: "run with placementName of 256 characters",
             yaml: runYAML(spec: "placementName: \(String(repeating: "p", count: 256))\n"
                 + "stagedRolloutStrategyName: s"),
             want: ["spec.placementName: must be at most 255 characters"]),
        Case(name: "unknown run state",
             yaml: runYAML(spec: "placementName: p\nstagedRolloutStrategyName: s\nstate: Running"),
             want: ["spec.state: 'Running' is not valid, use 'Initialize', 'Run' or 'Stop'"]),
        Case(name: "run status file without origin",
             yaml: runYAML(spec: "placementName: p\nstagedRolloutStrategyName: s"),
             want: ["metadata: annotation 'gitfleet.io/origin' must be 'commit:<sha>' or "
                 + "'file:<path>'"], source: .status),
        Case(name: "approval request without targetStage", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterApprovalRequest
            metadata:
              name: r-after-a
            spec:
              parentStageRollout: r
            """, want: ["spec.targetStage is required"]),
        Case(name: "member with a bad availability", yaml: """
            apiVersion: cluster.kubernetes-fleet.io/v1
            kind: MemberCluster
            metadata:
              name: m1
              annotations:
                gitfleet.io/availability: sometimes
            """, want: ["metadata.annotations: annotation 'gitfleet.io/availability' must be "
                + "'pushed' or 'reported', got 'sometimes'"]),
        Case(name: "member with a bad label key", yaml: """
            apiVersion: cluster.kubernetes-fleet.io/v1
            kind: MemberCluster
            metadata:
              name: m1
              labels:
                "-env": prod
            """, want: ["metadata.labels: key '-env' must consist of letters, digits, '-', '_' "
                + "and '.', and start and end with a letter or digit"]),
        Case(name: "missing apiVersion", yaml: "kind: ConfigMap\nmetadata:\n  name: a",
             want: ["apiVersion is required"]),
        Case(name: "missing kind", yaml: "apiVersion: v1\nmetadata:\n  name: a",
             want: ["kind is required"]),
        Case(name: "missing metadata", yaml: "apiVersion: v1\nkind: Namespace",
             want: ["metadata is required"]),
        Case(name: "missing name", yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: {}",
             want: ["metadata.name is required"]),
        Case(name: "missing fleet object name",
             yaml: "apiVersion: cluster.kubernetes-fleet.io/v1\nkind: MemberCluster\n"
                 + "metadata: {labels: {}}",
             want: ["metadata.name is required"]),
        Case(name: "document that is a list", yaml: "- a\n- b",
             want: ["a document must be a mapping, got a list"]),
        Case(name: "unsupported fleet version", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1alpha1
            kind: ClusterStagedUpdateRun
            metadata:
              name: r
            """, want: ["apiVersion: version 'v1alpha1' of 'placement.kubernetes-fleet.io' is not "
                + "supported, use 'v1' or 'v1beta1'"]),
        Case(name: "misspelt fleet kind", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1
            kind: ClusterStagedUpdateStratgy
            metadata:
              name: s
            """, want: ["kind: 'ClusterStagedUpdateStratgy' is not a kind of group "
                + "'placement.kubernetes-fleet.io'"]),
        Case(name: "fleet kind in the wrong group", yaml: """
            apiVersion: cluster.kubernetes-fleet.io/v1
            kind: ClusterResourcePlacement
            metadata:
              name: p
            """, want: ["kind: 'ClusterResourcePlacement' is not a kind of group "
                + "'cluster.kubernetes-fleet.io'"]),
        Case(name: "snapshot written by hand", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourceSnapshot
            metadata:
              name: p-0-snapshot
            """, want: ["kind: 'ClusterResourceSnapshot' objects are written by gitfleet under "
                + "status/, not by hand"]),
        Case(name: "binding as its own document", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourceBinding
            metadata:
              name: p-m1
            """, want: ["kind: 'ClusterResourceBinding' objects are kept in their placement's "
                + "status file, not as separate documents"], source: .status),
        Case(name: "member with two bindings", yaml: placementStatusYAML(bindings: """
            - spec:
                state: Scheduled
                schedulingPolicySnapshotName: p-0
              targetClusters: [m1, m2]
            - spec:
                state: Bound
                schedulingPolicySnapshotName: p-0
              targetClusters: [m2]
            """), want: ["status.bindings[1]: member 'm2' already has a binding"],
             source: .status),
        Case(name: "binding group with targetCluster", yaml: placementStatusYAML(bindings: """
            - spec:
                state: Scheduled
                schedulingPolicySnapshotName: p-0
                targetCluster: m1
              targetClusters: [m1]
            """), want: ["status.bindings[0].spec.targetCluster: a binding group names its "
                + "members in 'targetClusters'"], source: .status),
        Case(name: "binding group with a name", yaml: placementStatusYAML(bindings: """
            - metadata:
                name: p-m1
              spec:
                state: Scheduled
                schedulingPolicySnapshotName: p-0
              targetClusters: [m1]
            """), want: ["status.bindings[0].metadata.name: a binding group has no name: its "
                + "placement's applies"], source: .status),
        Case(name: "binding group with an invalid member", yaml: placementStatusYAML(bindings: """
            - spec:
                state: Scheduled
                schedulingPolicySnapshotName: p-0
              targetClusters: [m1, M_2]
            """), want: ["status.bindings[0].targetClusters[1]: 'M_2' must consist of lower-case "
                + "letters, digits, '-' and '.', and start and end with a letter or digit"],
             source: .status),
        Case(name: "ConfigMap without namespace",
             yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a",
             want: ["metadata: namespaced kind 'ConfigMap' needs metadata.namespace"]),
        Case(name: "Namespace with a namespace",
             yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  namespace: b",
             want: ["metadata.namespace: cluster-scoped kind 'Namespace' cannot have "
                 + "metadata.namespace"]),
        Case(name: "ClusterRole with a namespace", yaml: """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: reader
              namespace: team
            """, want: ["metadata.namespace: cluster-scoped kind 'ClusterRole' cannot have "
                + "metadata.namespace"]),
        Case(name: "Deployment in an invalid namespace", yaml: """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: Team_A
            """, want: ["metadata.namespace: 'Team_A' must consist of lower-case letters, digits "
                + "and '-', and start and end with a letter or digit"]),
        Case(name: "workload name with a slash",
             yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a/b\n  namespace: n",
             want: ["metadata.name: 'a/b' must not contain '/' or '%'"]),
        Case(name: "Namespace name with a dot",
             yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a.b",
             want: ["metadata.name: 'a.b' must consist of lower-case letters, digits and '-', "
                 + "and start and end with a letter or digit"]),
        Case(name: "workload label value too long", yaml: """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: a
              labels:
                app: \(String(repeating: "x", count: 64))
            """, want: ["metadata.labels: value '\(String(repeating: "x", count: 64))' is longer "
                + "than 63 characters"]),
        Case(name: "generation 0",
             yaml: "apiVersion: cluster.kubernetes-fleet.io/v1\nkind: MemberCluster\n"
                 + "metadata:\n  name: m\n  generation: 0",
             want: ["metadata.generation: must be at least 1, got 0"]),
        Case(name: "bad creationTimestamp",
             yaml: "apiVersion: cluster.kubernetes-fleet.io/v1\nkind: MemberCluster\n"
                 + "metadata:\n  name: m\n  creationTimestamp: yesterday",
             want: ["metadata.creationTimestamp: 'yesterday' is not an RFC 3339 time such as "
                 + "'2024-05-01T12:00:00Z'"]),
    ]

    static func placementStatusYAML(bindings: String) -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterResourcePlacement
        metadata:
          name: p
        status:
          bindings:

        """ + bindings.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")
    }

    @Test(arguments: rejected)
    func rejectsInvalidObject(_ test: Case) {
        let decoded = decode(test.yaml, source: test.source)
        #expect(decoded.diagnostics.map(\.message) == test.want)
        #expect(decoded.content == nil)
    }

    @Test func runDefaultsAndOrigin() {
        let yaml = runYAML(spec: "placementName: p\nstagedRolloutStrategyName: s\n"
            + "resourceSnapshotIndex: 0")
        let decoded = decode(yaml, file: "runs/r.yaml")
        guard case let .updateRun(run)? = decoded.fleetObject else {
            Issue.record("not decoded: \(decoded.diagnostics)")
            return
        }
        #expect(run.spec == UpdateRunSpec(placementName: "p", resourceSnapshotIndex: "0",
                                          stagedRolloutStrategyName: "s", state: .initialize))
        #expect(run.origin == .committed(file: "runs/r.yaml"))
        #expect(run.status == UpdateRunStatus())
        #expect(run.meta.generation == 1)
    }

    @Test func runNameOf63Characters() {
        let yaml = runYAML(name: String(repeating: "r", count: 63),
                           spec: "placementName: p\nstagedRolloutStrategyName: s")
        #expect(messages(yaml) == [])
    }

    @Test func workloadKeepsTheWholeDocument() {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: team
              labels: {app: web, tier: "08"}
              annotations: {note: on}
            spec:
              replicas: 010
            """
        let decoded = decode(yaml)
        guard let workload = decoded.workload else {
            Issue.record("not decoded: \(decoded.diagnostics)")
            return
        }
        #expect(workload.gvk == GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"))
        #expect(workload.namespace == "team")
        #expect(workload.labels == ["app": "web", "tier": "08"])
        #expect(workload.annotations == ["note": "on"])
        #expect(workload.node["spec"]?["replicas"]?.scalar?.text == "010")
        #expect(decoded.ref?.description == "Deployment/team/web")
    }

    @Test(arguments: [
        "ClusterResourceEnvelope", "ClusterResourcePlacementDisruptionBudget",
        "ClusterResourcePlacementEviction",
    ])
    func otherKubeFleetKindsAreWorkloads(_ kind: String) {
        let yaml = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: \(kind)\n"
            + "metadata:\n  name: x"
        #expect(decode(yaml).workload?.gvk.kind == kind)
    }

    @Test func userApprovalWithUnknownConditions() {
        let yaml = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterApprovalRequest
            metadata:
              name: r-after-a
            spec:
              parentStageRollout: r
              targetStage: a
            status:
              conditions:
                - type: ReviewedBySecurity
                  reviewer: {name: alice}
                  lastTransitionTime: last week
                - type: Approved
                  status: "True"
                  observedGeneration: 1
            """
        let decoded = decode(yaml)
        guard case let .approvalRequest(request)? = decoded.fleetObject else {
            Issue.record("not decoded: \(decoded.diagnostics)")
            return
        }
        #expect(request.conditions.items.map(\.type) == [.approved])
        #expect(request.isApproved)
        #expect(request.conditions[.approved]?.reason == "")
    }

    @Test func duplicateConditionIsReported() {
        let yaml = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterApprovalRequest
            metadata:
              name: r-after-a
            spec: {parentStageRollout: r, targetStage: a}
            status:
              conditions:
                - {type: Approved, status: "True", observedGeneration: 1}
                - {type: Approved, status: "False", observedGeneration: 1}
            """
        #expect(messages(yaml) == [
            "status.conditions[1].type: condition type 'Approved' appears more than once",
        ])
    }

    static let transitions: [(UpdateRunState, UpdateRunState, [String])] = [
        (.initialize, .run, []), (.run, .stop, []), (.stop, .run, []), (.run, .run, []),
        (.initialize, .stop, ["invalid state transition: cannot transition from Initialize to Stop"]),
        (.run, .initialize, ["invalid state transition: cannot transition from Run to Initialize"]),
        (.stop, .initialize, ["invalid state transition: cannot transition from Stop to Initialize"]),
    ]

    @Test(arguments: transitions)
    func stateTransitions(_ from: UpdateRunState, _ to: UpdateRunState, _ want: [String]) {
        let old = UpdateRunSpec(placementName: "p", stagedRolloutStrategyName: "s", state: from)
        var new = old
        new.state = to
        #expect(new.transitionErrors(from: old) == want)
    }

    @Test func immutableRunFields() {
        let old = UpdateRunSpec(placementName: "p", resourceSnapshotIndex: "1",
                                stagedRolloutStrategyName: "s")
        let new = UpdateRunSpec(placementName: "q", resourceSnapshotIndex: "2",
                                stagedRolloutStrategyName: "t")
        #expect(new.transitionErrors(from: old) == [
            "placementName is immutable", "resourceSnapshotIndex is immutable",
            "stagedRolloutStrategyName is immutable",
        ])
        var added = old
        added.resourceSnapshotIndex = nil
        #expect(old.transitionErrors(from: added) == [])
    }
}
