import Foundation
import FleetYAML

/// Writes fleet objects as YAML nodes in KubeFleet's shape, so `decode(encode(x)) == x`.
///
/// Output is deterministic: fields in Kubernetes order (apiVersion, kind, metadata with name,
/// namespace, sorted labels, sorted annotations, generation, creationTimestamp; then spec and
/// status), empty optional lists left out, times in RFC 3339, strings quoted when plain text
/// would read as something else. Facts that a type keeps as fields but KubeFleet keeps in
/// labels or annotations (snapshot indices, hashes, a run's origin, a binding's placement)
/// are written from the fields; the decoder moves them back. Workload resources are not
/// encoded here: they are written as authored.
package enum FleetEncoder {
    /// The apiVersion of every placement-group kind written.
    package static let placementAPIVersion = "\(FleetKind.placementGroup)/v1beta1"
    /// The apiVersion of MemberCluster.
    package static let clusterAPIVersion = "\(FleetKind.clusterGroup)/v1beta1"

    /// How a document is laid out.
    package enum Layout: Sendable {
        /// KubeFleet's shape, as `gitfleet get -o yaml` shows objects.
        case api
        /// As kept under `status/`: the same, except that a run's stages list their clusters
        /// in groups of consecutive clusters with equal conditions. A stage of thousands of
        /// clusters moves in a few batches, so its file holds a few groups instead of an
        /// entry per cluster, and reading and writing it follows the batches, not the fleet.
        case statusFile
    }

    /// The whole document of `object`.
    package static func encode(_ object: FleetObject, layout: Layout = .api) -> YAMLNode {
        switch object {
        case let .memberCluster(member):
            return document(.memberCluster, metadata(member.meta))
        case let .placement(placement):
            return document(placement.kind, metadata(placement.meta),
                            spec: placementSpec(placement.spec))
        case let .strategy(strategy):
            return document(.strategy(strategy.scope), metadata(strategy.meta),
                            spec: .mapping([("stages", .sequence(strategy.stages.map(stage)))]))
        case let .updateRun(run):
            return updateRun(run, layout: layout)
        case let .approvalRequest(request):
            return document(
                request.kind, metadata(request.meta),
                spec: .mapping([("parentStageRollout", .string(request.parentStageRollout)),
                                ("targetStage", .string(request.targetStage))]),
                status: optionalMapping([("conditions", conditions(request.conditions))]))
        case let .resourceSnapshot(snapshot):
            return resourceSnapshot(snapshot)
        case let .policySnapshot(snapshot):
            return policySnapshot(snapshot)
        case let .placementStatus(status):
            return placementStatus(status)
        case let .override(kind, key):
            return document(kind, metadata(ObjectMeta(name: key.name, namespace: key.namespace)))
        }
    }

    /// A binding as a whole object, as kept in its placement's status file and as
    /// `gitfleet get crb -o yaml` shows it.
    package static func encode(binding: Binding) -> YAMLNode {
        var labels = binding.meta.labels
        labels[FleetLabel.parentPlacement] = binding.placementName
        var annotations = binding.meta.annotations
        annotations[FleetAnnotation.renderedCommit] = binding.renderedCommit
        let spec = YAMLNode.mapping([
            ("state", .string(binding.state.rawValue)),
            ("resourceSnapshotName", binding.resourceSnapshotName.map(YAMLNode.string)),
            ("schedulingPolicySnapshotName", .string(binding.schedulingPolicySnapshotName)),
            ("targetCluster", .string(binding.targetCluster)),
            ("applyStrategy", binding.applyStrategy.map(applyStrategy)),
        ])
        return document(binding.kind,
                        metadata(binding.meta, labels: labels, annotations: annotations),
                        spec: spec,
                        status: optionalMapping([("conditions", conditions(binding.conditions))]))
    }

    // MARK: - Documents and metadata

    private static func document(
        _ kind: FleetKind, _ metadata: YAMLNode, spec: YAMLNode? = nil, status: YAMLNode? = nil
    ) -> YAMLNode {
        .mapping([
            ("apiVersion", .string(kind == .memberCluster ? clusterAPIVersion : placementAPIVersion)),
            ("kind", .string(kind.rawValue)),
            ("metadata", metadata),
            ("spec", spec),
            ("status", status),
        ])
    }

    static func metadata(
        _ meta: ObjectMeta, labels: [String: String]? = nil, annotations: [String: String]? = nil
    ) -> YAMLNode {
        .mapping([
            ("name", .string(meta.name)),
            ("namespace", meta.namespace.map(YAMLNode.string)),
            ("labels", stringMap(labels ?? meta.labels)),
            ("annotations", stringMap(annotations ?? meta.annotations)),
            ("generation", .int(meta.generation)),
            ("creationTimestamp", meta.creationTimestamp.map(time)),
        ])
    }

    /// Sorted by key; nil when empty.
    static func stringMap(_ map: [String: String]) -> YAMLNode? {
        map.isEmpty ? nil : .mapping(map.keys.sorted().map { ($0, .string(map[$0] ?? "")) })
    }

    /// nil when no pair has a value, so an empty `status:` is left out.
    static func optionalMapping(_ pairs: [(String, YAMLNode?)]) -> YAMLNode? {
        pairs.contains { $0.1 != nil } ? .mapping(pairs) : nil
    }

    /// nil when empty.
    static func list<T>(_ items: [T], _ encode: (T) -> YAMLNode) -> YAMLNode? {
        items.isEmpty ? nil : .sequence(items.map(encode))
    }

    static func time(_ date: Date) -> YAMLNode { .string(Timestamp.format(date)) }

    static func conditions<Kind: ConditionType>(
        _ conditions: Conditions<Kind>, prefix: String = ""
    ) -> YAMLNode? {
        list(conditions.items) { condition in
            .mapping([
                ("type", .string(prefix + condition.type.rawValue)),
                ("status", .string(condition.status.rawValue)),
                ("observedGeneration", .int(condition.observedGeneration)),
                ("lastTransitionTime", time(condition.lastTransitionTime)),
                ("reason", .string(condition.reason)),
                ("message", .string(condition.message)),
            ])
        }
    }

    // MARK: - Placements

    static func placementSpec(_ spec: PlacementSpec) -> YAMLNode {
        .mapping([
            ("resourceSelectors", .sequence(spec.resourceSelectors.map(resourceSelector))),
            ("policy", spec.policy.map(policy)),
            ("strategy", rolloutStrategy(spec.strategy)),
            ("revisionHistoryLimit", .int(spec.revisionHistoryLimit)),
        ])
    }

    private static func resourceSelector(_ selector: ResourceSelector) -> YAMLNode {
        .mapping([
            ("group", .string(selector.group)),
            ("version", .string(selector.version)),
            ("kind", .string(selector.kind)),
            ("name", selector.name.map(YAMLNode.string)),
            ("labelSelector", selector.labelSelector.map(labelSelector)),
            ("selectionScope", selector.selectionScope == .namespaceWithResources
                ? nil : .string(selector.selectionScope.rawValue)),
        ])
    }

    static func policy(_ policy: PlacementPolicy) -> YAMLNode {
        .mapping([
            ("placementType", .string(policy.placementType.rawValue)),
            ("clusterNames", list(policy.clusterNames, YAMLNode.string)),
            ("numberOfClusters", policy.numberOfClusters.map(YAMLNode.int)),
            ("affinity", policy.affinity.map(affinity)),
        ])
    }

    private static func affinity(_ affinity: ClusterAffinity) -> YAMLNode {
        func term(_ selector: LabelSelector) -> YAMLNode {
            .mapping([("labelSelector", labelSelector(selector))])
        }
        let required = affinity.requiredTerms.map { terms in
            YAMLNode.mapping([("clusterSelectorTerms", .sequence(terms.map(term)))])
        }
        let preferred = list(affinity.preferred) { item in
            .mapping([("weight", .int(item.weight)), ("preference", term(item.preference))])
        }
        return .mapping([("clusterAffinity", .mapping([
            ("requiredDuringSchedulingIgnoredDuringExecution", required),
            ("preferredDuringSchedulingIgnoredDuringExecution", preferred),
        ]))])
    }

    private static func rolloutStrategy(_ strategy: RolloutStrategy) -> YAMLNode {
        let rollingUpdate = strategy.rollingUpdate.map { config in
            YAMLNode.mapping([
                ("maxUnavailable", intOrPercent(config.maxUnavailable)),
                ("maxSurge", intOrPercent(config.maxSurge)),
                ("unavailablePeriodSeconds", .int(config.unavailablePeriodSeconds)),
            ])
        }
        return .mapping([
            ("type", .string(strategy.type.rawValue)),
            ("rollingUpdate", rollingUpdate),
            ("applyStrategy", strategy.applyStrategy == ApplyStrategy()
                ? nil : applyStrategy(strategy.applyStrategy)),
        ])
    }

    static func applyStrategy(_ apply: ApplyStrategy) -> YAMLNode {
        .mapping([
            ("type", .string(apply.type)),
            ("comparisonOption", .string(apply.comparisonOption)),
            ("whenToApply", .string(apply.whenToApply)),
            ("whenToTakeOver", .string(apply.whenToTakeOver)),
            ("allowCoOwnership", .bool(apply.allowCoOwnership)),
            ("serverSideApplyConfig", apply.serverSideApplyForce.map { force in
                .mapping([("force", .bool(force))])
            }),
        ])
    }

    static func intOrPercent(_ value: IntOrPercent) -> YAMLNode {
        switch value {
        case let .count(n): return .int(n)
        case .percent: return .string(value.description)
        }
    }

    static func labelSelector(_ selector: LabelSelector) -> YAMLNode {
        .mapping([
            ("matchLabels", stringMap(selector.matchLabels)),
            ("matchExpressions", list(selector.matchExpressions) { requirement in
                .mapping([
                    ("key", .string(requirement.key)),
                    ("operator", .string(requirement.operator.rawValue)),
                    ("values", list(requirement.values, YAMLNode.string)),
                ])
            }),
        ])
    }

    // MARK: - Strategies and runs

    static func stage(_ stage: StageConfig) -> YAMLNode {
        func tasks(_ tasks: [StageTask]) -> YAMLNode? {
            list(tasks) { task in
                .mapping([("type", .string(task.type.rawValue)),
                          ("waitTime", task.waitTime.map { .string($0.text) })])
            }
        }
        return .mapping([
            ("name", .string(stage.name)),
            ("labelSelector", stage.labelSelector.map(labelSelector)),
            ("sortingLabelKey", stage.sortingLabelKey.map(YAMLNode.string)),
            ("maxConcurrency", stage.maxConcurrency.map(intOrPercent)),
            ("beforeStageTasks", tasks(stage.beforeStageTasks)),
            ("afterStageTasks", tasks(stage.afterStageTasks)),
        ])
    }

    private static func updateRun(_ run: UpdateRun, layout: Layout) -> YAMLNode {
        let stageStatus = { (stage: StageUpdatingStatus) in Self.stageStatus(stage, layout: layout) }
        var annotations = run.meta.annotations
        annotations[FleetAnnotation.origin] = run.origin.annotation
        let spec = YAMLNode.mapping([
            ("placementName", .string(run.spec.placementName)),
            ("resourceSnapshotIndex", run.spec.resourceSnapshotIndex.map(YAMLNode.string)),
            ("stagedRolloutStrategyName", .string(run.spec.stagedRolloutStrategyName)),
            ("state", .string(run.spec.state.rawValue)),
        ])
        let status = run.status
        let statusNode = optionalMapping([
            ("policySnapshotIndexUsed", status.policySnapshotIndexUsed.map(YAMLNode.string)),
            ("policyObservedClusterCount", status.policyObservedClusterCount.map(YAMLNode.int)),
            ("resourceSnapshotIndexUsed", status.resourceSnapshotIndexUsed.map(YAMLNode.string)),
            ("appliedStrategy", status.appliedStrategy.map(applyStrategy)),
            ("stagedUpdateStrategySnapshot", status.stagedUpdateStrategySnapshot.map { stages in
                .mapping([("stages", .sequence(stages.map(stage)))])
            }),
            ("stagesStatus", list(status.stagesStatus, stageStatus)),
            ("deletionStageStatus", status.deletionStageStatus.map(stageStatus)),
            ("conditions", conditions(status.conditions)),
        ])
        return document(run.kind, metadata(run.meta, annotations: annotations), spec: spec,
                        status: statusNode)
    }

    private static func stageStatus(_ stage: StageUpdatingStatus, layout: Layout) -> YAMLNode {
        func tasks(_ tasks: [StageTaskStatus]) -> YAMLNode? {
            list(tasks) { task in
                .mapping([
                    ("type", .string(task.type.rawValue)),
                    ("approvalRequestName", task.approvalRequestName.map(YAMLNode.string)),
                    ("conditions", conditions(task.conditions)),
                ])
            }
        }
        let clusters: (String, YAMLNode?)
        switch layout {
        case .api:
            clusters = ("clusters", list(stage.clusters) { cluster in
                .mapping([("clusterName", .string(cluster.clusterName)),
                          ("conditions", conditions(cluster.conditions))])
            })
        case .statusFile:
            var groups: [(names: [String], conditions: Conditions<ClusterUpdatingConditionType>)]
            groups = []
            for cluster in stage.clusters {
                if let last = groups.indices.last, groups[last].conditions == cluster.conditions {
                    groups[last].names.append(cluster.clusterName)
                } else {
                    groups.append(([cluster.clusterName], cluster.conditions))
                }
            }
            clusters = ("clusterGroups", list(groups) { group in
                .mapping([("clusterNames", .sequence(group.names.map(YAMLNode.string))),
                          ("conditions", conditions(group.conditions))])
            })
        }
        return .mapping([
            ("stageName", .string(stage.stageName)),
            clusters,
            ("beforeStageTaskStatus", tasks(stage.beforeStageTaskStatus)),
            ("afterStageTaskStatus", tasks(stage.afterStageTaskStatus)),
            ("startTime", stage.startTime.map(time)),
            ("endTime", stage.endTime.map(time)),
            ("conditions", conditions(stage.conditions)),
        ])
    }

    // MARK: - Snapshots and placement status

    private static func resourceSnapshot(_ snapshot: ResourceSnapshot) -> YAMLNode {
        var labels = snapshot.meta.labels
        labels[FleetLabel.parentPlacement] = snapshot.placementName
        labels[FleetLabel.resourceIndex] = String(snapshot.index)
        labels[FleetLabel.isLatestSnapshot] = String(snapshot.isLatest)
        var annotations = snapshot.meta.annotations
        annotations[FleetAnnotation.resourceHash] = snapshot.resourceHash
        annotations[FleetAnnotation.numberOfResourceSnapshots] = "1"
        annotations[FleetAnnotation.numberOfEnvelopedObjects] = String(snapshot.envelopeCount)
        annotations[FleetAnnotation.sourceCommit] = snapshot.sourceCommit
        return document(snapshot.kind,
                        metadata(snapshot.meta, labels: labels, annotations: annotations),
                        spec: .mapping([("selectedResources", .sequence(snapshot.selectedResources))]))
    }

    private static func policySnapshot(_ snapshot: PolicySnapshot) -> YAMLNode {
        var labels = snapshot.meta.labels
        labels[FleetLabel.parentPlacement] = snapshot.placementName
        labels[FleetLabel.policyIndex] = String(snapshot.index)
        labels[FleetLabel.isLatestSnapshot] = String(snapshot.isLatest)
        var annotations = snapshot.meta.annotations
        annotations[FleetAnnotation.placementGeneration] = String(snapshot.placementGeneration)
        annotations[FleetAnnotation.numberOfClusters] = snapshot.numberOfClusters.map(String.init)
        let spec = YAMLNode.mapping([
            ("policy", snapshot.policy.map(policy)),
            ("policyHash", .string(snapshot.policyHash)),
        ])
        let status = optionalMapping([
            ("targetClusters", list(snapshot.targetClusters) { name in
                .mapping([("clusterName", .string(name)), ("selected", .bool(true))])
            }),
            ("conditions", conditions(snapshot.conditions)),
        ])
        return document(snapshot.kind,
                        metadata(snapshot.meta, labels: labels, annotations: annotations),
                        spec: spec, status: status)
    }

    private static func placementStatus(_ status: PlacementStatus) -> YAMLNode {
        let kind = FleetKind.placement(status.scope)
        let metadata = YAMLNode.mapping([
            ("name", .string(status.placementKey.name)),
            ("namespace", status.placementKey.namespace.map(YAMLNode.string)),
        ])
        return document(kind, metadata, status: .mapping([
            ("observedGeneration", .int(status.observedGeneration)),
            ("observedResourceIndex", status.observedResourceIndex.map(YAMLNode.string)),
            ("conditions", conditions(status.conditions, prefix: kind.rawValue)),
            ("bindings", bindingGroups(status.bindings)),
            ("errors", list(status.errors, YAMLNode.string)),
        ]))
    }

    /// Bindings that differ only in their member share one entry that lists the members in
    /// `targetClusters`: members updated together (a stage's batch, a scheduling pass) carry
    /// the same spec, conditions and times, so a placement over thousands of members writes a
    /// handful of entries instead of an object per member. A binding's name is not written:
    /// it is always `<placement>-<member>`. Entries are ordered by their first member.
    private static func bindingGroups(_ bindings: [Binding]) -> YAMLNode? {
        var entryOfShape: [Binding: Int] = [:]
        // Bindings that share their fields share an entry, known without hashing them.
        var entryOfBox: [ObjectIdentifier: Int] = [:]
        var entries: [(shape: Binding, members: [String])] = []
        for binding in bindings.sorted(by: { $0.targetCluster < $1.targetCluster }) {
            let box = ObjectIdentifier(binding.box)
            if let index = entryOfBox[box] {
                entries[index].members.append(binding.targetCluster)
                continue
            }
            let shape = binding.groupShape
            if let index = entryOfShape[shape] {
                entries[index].members.append(binding.targetCluster)
                entryOfBox[box] = index
            } else {
                entryOfShape[shape] = entries.count
                entryOfBox[box] = entries.count
                entries.append((shape, [binding.targetCluster]))
            }
        }
        return list(entries) { entry in
            let shape = entry.shape
            var annotations = shape.meta.annotations
            annotations[FleetAnnotation.renderedCommit] = shape.renderedCommit
            let metadata = YAMLNode.mapping([
                ("labels", stringMap(shape.meta.labels)),
                ("annotations", stringMap(annotations)),
                ("generation", .int(shape.meta.generation)),
                ("creationTimestamp", shape.meta.creationTimestamp.map(time)),
            ])
            return .mapping([
                ("metadata", metadata),
                ("spec", .mapping([
                    ("state", .string(shape.state.rawValue)),
                    ("resourceSnapshotName", shape.resourceSnapshotName.map(YAMLNode.string)),
                    ("schedulingPolicySnapshotName", .string(shape.schedulingPolicySnapshotName)),
                    ("applyStrategy", shape.applyStrategy.map(applyStrategy)),
                ])),
                ("status", optionalMapping([("conditions", conditions(shape.conditions))])),
                ("targetClusters", .sequence(entry.members.map(YAMLNode.string))),
            ])
        }
    }
}
