import FleetYAML
import Foundation
import Testing
@testable import FleetAPI

/// `decode(encode(x)) == x` for every kind, in memory and through YAML text.
@Suite struct RoundTripTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var object: FleetObject
        var source: DocumentSource
        var testDescription: String { name }
    }

    static let apply: ApplyStrategy = {
        var apply = ApplyStrategy()
        apply.type = "ServerSideApply"
        apply.whenToApply = "IfNotDrifted"
        apply.allowCoOwnership = true
        apply.serverSideApplyForce = false
        return apply
    }()

    static let stages = [
        StageConfig(name: "staging",
                    labelSelector: LabelSelector(matchLabels: ["environment": "staging"]),
                    afterStageTasks: [StageTask(type: .timedWait,
                                                waitTime: WaitDuration(text: "1m0s", seconds: 60))]),
        StageConfig(name: "canary",
                    labelSelector: LabelSelector(
                        matchLabels: ["environment": "canary"],
                        matchExpressions: [.init(key: "tier", operator: .notIn, values: ["no", "08"]),
                                           .init(key: "zone", operator: .exists)]),
                    sortingLabelKey: "order", maxConcurrency: .percent(50),
                    beforeStageTasks: [StageTask(type: .approval)],
                    afterStageTasks: [StageTask(type: .approval),
                                      StageTask(type: .timedWait,
                                                waitTime: WaitDuration(text: "1h30m", seconds: 5400))]),
        StageConfig(name: "prod", labelSelector: LabelSelector(), maxConcurrency: .count(3)),
        StageConfig(name: "empty"),
    ]

    static func condition<K: ConditionType>(
        _ type: K, _ status: ConditionStatus = .true, _ seconds: Int = 0
    ) -> Condition<K> {
        Condition(type: type, status: status, reason: "Reason\(seconds)",
                  message: seconds == 0 ? "" : "message: with 'quotes' and #hash",
                  observedGeneration: 2, lastTransitionTime: time(seconds))
    }

    static let runStatus = UpdateRunStatus(
        policySnapshotIndexUsed: "0", policyObservedClusterCount: 3,
        resourceSnapshotIndexUsed: "1", appliedStrategy: ApplyStrategy(),
        stagedUpdateStrategySnapshot: stages,
        stagesStatus: [
            StageUpdatingStatus(
                stageName: "staging",
                clusters: [ClusterUpdatingStatus(clusterName: "member2", conditions: Conditions([
                    condition(ClusterUpdatingConditionType.started, .true, 10),
                    condition(ClusterUpdatingConditionType.succeeded, .true, 20),
                ]))],
                afterStageTaskStatus: [StageTaskStatus(type: .timedWait, conditions: Conditions([
                    condition(StageTaskConditionType.waitTimeElapsed, .true, 80),
                ]))],
                startTime: time(10), endTime: time(80),
                conditions: Conditions([condition(StageConditionType.progressing, .false, 80),
                                        condition(StageConditionType.succeeded, .true, 80)])),
            StageUpdatingStatus(
                stageName: "canary",
                clusters: [ClusterUpdatingStatus(clusterName: "member3"),
                           ClusterUpdatingStatus(clusterName: "member1")],
                beforeStageTaskStatus: [StageTaskStatus(
                    type: .approval, approvalRequestName: "run-before-canary",
                    conditions: Conditions([
                        condition(StageTaskConditionType.approvalRequestCreated, .true, 81),
                    ]))],
                conditions: Conditions([condition(StageConditionType.progressing, .false, 81)])),
        ],
        deletionStageStatus: StageUpdatingStatus(stageName: StageUpdatingStatus.deletionStageName),
        conditions: Conditions([condition(UpdateRunConditionType.initialized, .true, 1),
                                condition(UpdateRunConditionType.progressing, .false, 81)]))

    static let bindings = [
        Binding(meta: ObjectMeta(name: "p-member1", labels: ["extra": "x"], generation: 3,
                                 creationTimestamp: time(5)),
                placementName: "p", targetCluster: "member1", state: .bound,
                resourceSnapshotName: "p-1-snapshot", schedulingPolicySnapshotName: "p-0",
                applyStrategy: apply,
                conditions: Conditions([condition(BindingConditionType.rolloutStarted, .true, 9),
                                        condition(BindingConditionType.available, .unknown, 9)]),
                renderedCommit: "0123abc"),
        Binding(meta: ObjectMeta(name: "p-member2"), placementName: "p",
                targetCluster: "member2", state: .scheduled, schedulingPolicySnapshotName: "p-0"),
    ]

    static let selected: [YAMLNode] = [
        .mapping([("apiVersion", .string("v1")), ("kind", .string("Namespace")),
                  ("metadata", .mapping([("name", .string("test-namespace"))]))]),
        .mapping([("apiVersion", .string("v1")), ("kind", .string("ConfigMap")),
                  ("metadata", .mapping([("name", .string("test-cm")),
                                         ("namespace", .string("test-namespace"))])),
                  ("data", .mapping([("key", .string("value1")), ("flag", .string("no")),
                                     ("count", .int(8)), ("list", .sequence([.bool(true)]))]))]),
    ]

    static let cases: [Case] = [
        Case(name: "member cluster", object: .memberCluster(MemberCluster(meta: ObjectMeta(
            name: "member1", labels: ["environment": "canary", "order": "2", "on": "no"],
            annotations: ["gitfleet.io/availability": "reported"], generation: 4,
            creationTimestamp: time(0)))), source: .repository),
        Case(name: "cluster placement", object: .placement(Placement(
            meta: ObjectMeta(name: "p", annotations: ["gitfleet.io/staged-update-strategy": "s"]),
            spec: PlacementSpec(
                resourceSelectors: [
                    ResourceSelector(group: "", version: "v1", kind: "Namespace", name: "ns",
                                     selectionScope: .namespaceOnly),
                    ResourceSelector(group: "rbac.authorization.k8s.io", version: "v1",
                                     kind: "ClusterRole",
                                     labelSelector: LabelSelector(matchLabels: ["app": "web"])),
                ],
                policy: PlacementPolicy(
                    placementType: .pickN, numberOfClusters: 2,
                    affinity: ClusterAffinity(
                        requiredTerms: [LabelSelector(matchExpressions: [
                            .init(key: "cpu", operator: .gt, values: ["4"])])],
                        preferred: [.init(weight: -20, preference: LabelSelector(
                            matchLabels: ["zone": "west"]))])),
                strategy: RolloutStrategy(type: .external, applyStrategy: apply),
                revisionHistoryLimit: 5))), source: .repository),
        Case(name: "namespaced placement with rolling update", object: .placement(Placement(
            meta: ObjectMeta(name: "rp", namespace: "team"),
            spec: PlacementSpec(
                resourceSelectors: [ResourceSelector(group: "apps", version: "v1", kind: "Deployment")],
                policy: PlacementPolicy(placementType: .pickFixed, clusterNames: ["m1", "m2"]),
                strategy: RolloutStrategy(rollingUpdate: RollingUpdateConfig(
                    maxUnavailable: .count(1), maxSurge: .percent(0),
                    unavailablePeriodSeconds: 30))))), source: .repository),
        Case(name: "cluster strategy", object: .strategy(StagedUpdateStrategy(
            meta: ObjectMeta(name: "example-strategy"), stages: stages)), source: .repository),
        Case(name: "namespaced strategy with no stages", object: .strategy(StagedUpdateStrategy(
            meta: ObjectMeta(name: "s", namespace: "team"), stages: [])), source: .status),
        Case(name: "run per commit with status", object: .updateRun(UpdateRun(
            meta: ObjectMeta(name: "run", annotations: ["note": "x"], generation: 2),
            spec: UpdateRunSpec(placementName: "p", stagedRolloutStrategyName: "s", state: .run),
            status: runStatus, origin: .perCommit(commit: "0123456789abcdef"))), source: .status),
        Case(name: "committed namespaced run", object: .updateRun(UpdateRun(
            meta: ObjectMeta(name: "run", namespace: "team"),
            spec: UpdateRunSpec(placementName: "rp", resourceSnapshotIndex: "01",
                                stagedRolloutStrategyName: "s", state: .stop),
            status: UpdateRunStatus(stagedUpdateStrategySnapshot: []),
            origin: .committed(file: "runs/my run.yaml"))), source: .status),
        Case(name: "approval request", object: .approvalRequest(ApprovalRequest(
            meta: ObjectMeta(name: "run-before-canary", labels: [
                FleetLabel.targetUpdateRun: "run", FleetLabel.targetUpdatingStage: "canary",
                FleetLabel.taskType: "beforeStage", FleetLabel.isLatestUpdateRunApproval: "true",
            ]),
            parentStageRollout: "run", targetStage: "canary",
            conditions: Conditions([condition(ApprovalRequestConditionType.approved, .true, 3),
                                    condition(ApprovalRequestConditionType.approvalAccepted,
                                              .true, 4)]))), source: .status),
        Case(name: "namespaced approval request without conditions",
             object: .approvalRequest(ApprovalRequest(
                meta: ObjectMeta(name: "r-after-a", namespace: "team"),
                parentStageRollout: "r", targetStage: "a")), source: .repository),
        Case(name: "resource snapshot", object: .resourceSnapshot(ResourceSnapshot(
            meta: ObjectMeta(name: "p-1-snapshot", creationTimestamp: time(7)), placementName: "p",
            index: 1, isLatest: true, resourceHash: String(repeating: "ab", count: 32),
            envelopeCount: 2, sourceCommit: "0123abc", selectedResources: selected)),
             source: .status),
        Case(name: "empty namespaced resource snapshot", object: .resourceSnapshot(ResourceSnapshot(
            meta: ObjectMeta(name: "rp-0-snapshot", namespace: "team"), placementName: "rp",
            index: 0, isLatest: false, resourceHash: "00", sourceCommit: "c",
            selectedResources: [])), source: .status),
        Case(name: "policy snapshot", object: .policySnapshot(PolicySnapshot(
            meta: ObjectMeta(name: "p-0"), placementName: "p", index: 0, isLatest: true,
            policy: PlacementPolicy(placementType: .pickN, numberOfClusters: 2),
            policyHash: "beef", numberOfClusters: 2, placementGeneration: 3,
            targetClusters: ["member1", "member3"],
            conditions: Conditions([condition(PolicySnapshotConditionType.scheduled)]))),
             source: .status),
        Case(name: "policy snapshot without policy", object: .policySnapshot(PolicySnapshot(
            meta: ObjectMeta(name: "rp-2", namespace: "team"), placementName: "rp", index: 2,
            isLatest: false, policy: nil, policyHash: "0", placementGeneration: 1)),
             source: .status),
        Case(name: "placement status with bindings", object: .placementStatus(PlacementStatus(
            placementKey: ObjectKey(name: "p"), observedGeneration: 2,
            conditions: Conditions([condition(PlacementConditionType.scheduled),
                                    condition(PlacementConditionType.rolloutStarted, .unknown, 5)]),
            observedResourceIndex: "1", bindings: bindings,
            errors: ["selecting resources failed: 'x'"])), source: .status),
        Case(name: "empty namespaced placement status", object: .placementStatus(PlacementStatus(
            placementKey: ObjectKey(namespace: "team", name: "rp"))), source: .status),
        Case(name: "override", object: .override(kind: .resourceOverride,
                                                 key: ObjectKey(namespace: "team", name: "o")),
             source: .repository),
    ]

    static let layouts: [FleetEncoder.Layout] = [.api, .statusFile]

    @Test(arguments: cases, layouts)
    func decodeEncodedObject(_ test: Case, layout: FleetEncoder.Layout) {
        let decoded = FleetDecoder.decode(FleetEncoder.encode(test.object, layout: layout),
                                          file: "x.yaml", source: test.source)
        #expect(decoded.diagnostics == [])
        #expect(decoded.fleetObject == test.object)
        #expect(decoded.ref == test.object.ref)
    }

    @Test(arguments: cases, layouts)
    func decodeEncodedObjectThroughText(_ test: Case, layout: FleetEncoder.Layout) throws {
        let text = try YAMLWriter.write(FleetEncoder.encode(test.object, layout: layout))
        let nodes = try YAMLParser.parse(text, file: "x.yaml")
        #expect(nodes.count == 1)
        let decoded = FleetDecoder.decode(nodes[0], file: "x.yaml", source: test.source)
        #expect(decoded.diagnostics == [])
        #expect(decoded.fleetObject == test.object, "\(text)")
    }

    @Test func encodingIsStable() throws {
        for test in Self.cases {
            let once = try YAMLWriter.write(FleetEncoder.encode(test.object))
            let nodes = try YAMLParser.parse(once, file: "x.yaml")
            let object = try #require(FleetDecoder.decode(nodes[0], file: "x.yaml",
                                                          source: test.source).fleetObject)
            #expect(try YAMLWriter.write(FleetEncoder.encode(object)) == once)
        }
    }

    @Test func runStatusFileLayout() throws {
        let run = UpdateRun(
            meta: ObjectMeta(name: "run", labels: ["b": "2", "a": "1"], creationTimestamp: time(0)),
            spec: UpdateRunSpec(placementName: "p", resourceSnapshotIndex: "0",
                                stagedRolloutStrategyName: "s", state: .run),
            status: UpdateRunStatus(conditions: Conditions([
                Condition(type: .initialized, status: .true, reason: "UpdateRunInitializedSuccessfully",
                          message: "The UpdateRun initialized successfully",
                          observedGeneration: 1, lastTransitionTime: time(0))])),
            origin: .perCommit(commit: "abc123"))
        let text = try YAMLWriter.write(FleetEncoder.encode(.updateRun(run)))
        #expect(text == """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterStagedUpdateRun
            metadata:
              name: run
              labels:
                a: "1"
                b: "2"
              annotations:
                gitfleet.io/origin: commit:abc123
              generation: 1
              creationTimestamp: "2024-05-01T12:00:00Z"
            spec:
              placementName: p
              resourceSnapshotIndex: "0"
              stagedRolloutStrategyName: s
              state: Run
            status:
              conditions:
              - type: Initialized
                status: "True"
                observedGeneration: 1
                lastTransitionTime: "2024-05-01T12:00:00Z"
                reason: UpdateRunInitializedSuccessfully
                message: The UpdateRun initialized successfully

            """)
    }

    @Test func statusFilesGroupConsecutiveClustersWithEqualConditions() throws {
        var run = try #require(Self.cases.compactMap { test -> UpdateRun? in
            if case let .updateRun(run) = test.object, !run.status.stagesStatus.isEmpty {
                return run
            }
            return nil
        }.first)
        let done = run.status.stagesStatus[0].clusters[0].conditions
        run.status.stagesStatus[0].clusters = ["m1", "m2", "m3", "m4"].map { name in
            ClusterUpdatingStatus(clusterName: name, conditions: name == "m3" ? Conditions() : done)
        }
        let node = FleetEncoder.encode(.updateRun(run), layout: .statusFile)
        let stage = node["status"]?["stagesStatus"]?.items?.first
        #expect(stage?["clusters"] == nil)
        #expect(stage?["clusterGroups"]?.items?.map {
            $0["clusterNames"]?.items?.compactMap(\.scalar?.text) ?? []
        } == [["m1", "m2"], ["m3"], ["m4"]])
        let decoded = FleetDecoder.decode(node, file: "x.yaml", source: .status)
        #expect(decoded.fleetObject == .updateRun(run))
    }

    @Test func placementConditionsCarryTheFlavourPrefix() {
        let conditions = Conditions([Self.condition(PlacementConditionType.scheduled)])
        let cluster = FleetEncoder.encode(.placementStatus(PlacementStatus(
            placementKey: ObjectKey(name: "p"), conditions: conditions)))
        let namespaced = FleetEncoder.encode(.placementStatus(PlacementStatus(
            placementKey: ObjectKey(namespace: "n", name: "p"), conditions: conditions)))
        #expect(cluster["status"]?["conditions"]?.items?.first?["type"]?.scalar?.text
            == "ClusterResourcePlacementScheduled")
        #expect(namespaced["status"]?["conditions"]?.items?.first?["type"]?.scalar?.text
            == "ResourcePlacementScheduled")
    }

    @Test func bindingsDifferingOnlyInMemberShareOneEntry() throws {
        var third = try #require(Self.bindings.last)
        third.targetCluster = "member0"
        third.meta.name = Binding.name(placement: "p", member: "member0")
        let status = PlacementStatus(placementKey: ObjectKey(name: "p"),
                                     bindings: [third] + Self.bindings.reversed())
        let node = FleetEncoder.encode(.placementStatus(status))
        let items = node["status"]?["bindings"]?.items ?? []
        // Entries are ordered by their first member, members by name.
        #expect(items.map { $0["targetClusters"]?.items?.compactMap(\.scalar?.text) }
            == [["member0", "member2"], ["member1"]])
        #expect(items.first?["kind"] == nil)
        #expect(items.first?["metadata"]?["name"] == nil)
        #expect(items.first?["spec"]?["targetCluster"] == nil)
        #expect(items.first?["metadata"]?["labels"]?["kubernetes-fleet.io/parent-CRP"] == nil)
        let bytes = try YAMLWriter.bytes(node)
        let read = FleetDecoder.decodeFile(path: "p.yaml", bytes: bytes, source: .status)
        guard case let .placementStatus(back)? = read.documents.first?.fleetObject else {
            Issue.record("not a placement status")
            return
        }
        #expect(back.bindings.map(\.meta.name) == ["p-member0", "p-member1", "p-member2"])
    }
}
