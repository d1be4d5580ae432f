import Foundation
import FleetYAML

// What gitfleet writes under status/: runs' status, approval requests, snapshots and
// placements' status with their bindings.
extension FleetDecoder {
    // MARK: - Conditions

    /// A `conditions` list. Conditions of a type this level does not know are skipped, so a
    /// condition a person adds by hand never breaks decoding. `prefix` is stripped from types
    /// (placement conditions carry their flavour's prefix). A missing `lastTransitionTime`
    /// reads as the Unix epoch and a missing `observedGeneration` as 0.
    static func readConditions<Kind: ConditionType>(
        _ parent: NodeReader, prefix: String = ""
    ) -> Conditions<Kind> {
        var result = Conditions<Kind>()
        for item in parent.list("conditions") ?? [] {
            guard let item = item.asMapping(), let typeName = item.requiredString("type") else {
                continue
            }
            // An unknown type is skipped before anything else of it is checked.
            guard typeName.hasPrefix(prefix),
                  let type = Kind(rawValue: String(typeName.dropFirst(prefix.count))) else {
                continue
            }
            let status = item.required("status")?.asEnum(ConditionStatus.self)
            let reason = item.string("reason") ?? ""
            let message = item.string("message") ?? ""
            let generation = item.int("observedGeneration") ?? 0
            let time = timestamp(item, "lastTransitionTime") ?? Date(timeIntervalSince1970: 0)
            guard let status else { continue }
            if result[type] != nil {
                item.error("condition type '\(typeName)' appears more than once", field: "type")
                continue
            }
            result.items.append(Condition(type: type, status: status, reason: reason,
                                          message: message, observedGeneration: generation,
                                          lastTransitionTime: time))
        }
        return result
    }

    // MARK: - Update run status

    static func updateRunStatus(_ status: NodeReader) -> UpdateRunStatus {
        var result = UpdateRunStatus()
        result.policySnapshotIndexUsed = status.string("policySnapshotIndexUsed")
        result.policyObservedClusterCount = status.int("policyObservedClusterCount")
        result.resourceSnapshotIndexUsed = status.string("resourceSnapshotIndexUsed")
        result.appliedStrategy = status.mapping("appliedStrategy").map(applyStrategy)
        if let copy = status.mapping("stagedUpdateStrategySnapshot") {
            result.stagedUpdateStrategySnapshot = stages(copy, required: false) ?? []
        }
        result.stagesStatus = (status.list("stagesStatus") ?? []).compactMap(stageStatus)
        result.deletionStageStatus = status.mapping("deletionStageStatus").flatMap(stageStatus)
        result.conditions = readConditions(status)
        return result
    }

    private static func stageStatus(_ item: NodeReader) -> StageUpdatingStatus? {
        guard let item = item.asMapping(), let name = item.requiredString("stageName") else {
            return nil
        }
        var clusters = (item.list("clusters") ?? []).compactMap { cluster -> ClusterUpdatingStatus? in
            guard let cluster = cluster.asMapping(),
                  let name = cluster.requiredString("clusterName") else { return nil }
            return ClusterUpdatingStatus(clusterName: name, conditions: readConditions(cluster))
        }
        // Status files list clusters in groups with equal conditions (FleetEncoder.Layout).
        for group in item.list("clusterGroups") ?? [] {
            guard let group = group.asMapping(),
                  let names = group.required("clusterNames")?.asList() else { continue }
            let conditions: Conditions<ClusterUpdatingConditionType> = readConditions(group)
            for name in names.compactMap({ $0.asString() }) {
                clusters.append(ClusterUpdatingStatus(clusterName: name, conditions: conditions))
            }
        }
        return StageUpdatingStatus(
            stageName: name, clusters: clusters,
            beforeStageTaskStatus: taskStatuses(item, "beforeStageTaskStatus"),
            afterStageTaskStatus: taskStatuses(item, "afterStageTaskStatus"),
            startTime: timestamp(item, "startTime"), endTime: timestamp(item, "endTime"),
            conditions: readConditions(item))
    }

    private static func taskStatuses(_ stage: NodeReader, _ key: String) -> [StageTaskStatus] {
        (stage.list(key) ?? []).compactMap { task in
            guard let task = task.asMapping(),
                  let type = task.required("type")?.asEnum(StageTask.TaskType.self) else {
                return nil
            }
            return StageTaskStatus(type: type,
                                   approvalRequestName: task.string("approvalRequestName"),
                                   conditions: readConditions(task))
        }
    }

    // MARK: - Approval requests

    static func approvalRequest(_ root: NodeReader, meta: ObjectMeta) -> ApprovalRequest? {
        guard let spec = root.required("spec")?.asMapping() else { return nil }
        let run = spec.requiredString("parentStageRollout")
        let stage = spec.requiredString("targetStage")
        let conditions: Conditions<ApprovalRequestConditionType> =
            root.mapping("status").map { readConditions($0) } ?? Conditions()
        guard let run, let stage else { return nil }
        return ApprovalRequest(meta: meta, parentStageRollout: run, targetStage: stage,
                               conditions: conditions)
    }

    // MARK: - Snapshots

    static func resourceSnapshot(_ root: NodeReader, meta: ObjectMeta) -> ResourceSnapshot? {
        var meta = meta
        let fields = SnapshotMetaReader(root: root, meta: meta)
        let placement = fields.label(FleetLabel.parentPlacement)
        let index = fields.intLabel(FleetLabel.resourceIndex)
        let isLatest = fields.boolLabel(FleetLabel.isLatestSnapshot)
        let hash = fields.annotation(FleetAnnotation.resourceHash)
        let envelopes = fields.intAnnotation(FleetAnnotation.numberOfEnvelopedObjects, required: false)
        let commit = fields.annotation(FleetAnnotation.sourceCommit)
        // Always 1: gitfleet keeps a whole snapshot group in one object.
        _ = fields.intAnnotation(FleetAnnotation.numberOfResourceSnapshots, required: false)
        let resources = root.required("spec")?.asMapping()?.required("selectedResources")?
            .asList()?.map(\.node)
        meta = fields.meta
        guard let placement, let index, let hash, let commit, let resources else { return nil }
        return ResourceSnapshot(
            meta: meta, placementName: placement, index: index, isLatest: isLatest,
            resourceHash: hash, envelopeCount: envelopes ?? 0, sourceCommit: commit,
            selectedResources: resources)
    }

    static func policySnapshot(_ root: NodeReader, meta: ObjectMeta) -> PolicySnapshot? {
        var meta = meta
        let fields = SnapshotMetaReader(root: root, meta: meta)
        let placement = fields.label(FleetLabel.parentPlacement)
        let index = fields.intLabel(FleetLabel.policyIndex)
        let isLatest = fields.boolLabel(FleetLabel.isLatestSnapshot)
        let generation = fields.intAnnotation(FleetAnnotation.placementGeneration, required: true)
        let numberOfClusters = fields.intAnnotation(FleetAnnotation.numberOfClusters,
                                                    required: false)
        meta = fields.meta
        let spec = root.required("spec")?.asMapping()
        let policy = spec?.mapping("policy").flatMap(placementPolicy)
        let hash = spec?.requiredString("policyHash")
        let status = root.mapping("status")
        var targets: [String] = []
        for item in status?.list("targetClusters") ?? [] {
            guard let item = item.asMapping(), let name = item.requiredString("clusterName")
            else { continue }
            if item.bool("selected") ?? true { targets.append(name) }
        }
        let conditions: Conditions<PolicySnapshotConditionType> =
            status.map { readConditions($0) } ?? Conditions()
        guard let placement, let index, let generation, let hash else { return nil }
        return PolicySnapshot(
            meta: meta, placementName: placement, index: index, isLatest: isLatest,
            policy: policy, policyHash: hash, numberOfClusters: numberOfClusters,
            placementGeneration: generation, targetClusters: targets,
            conditions: conditions)
    }

    // MARK: - Placement status and bindings

    static func placementStatus(_ root: NodeReader, meta: ObjectMeta) -> PlacementStatus? {
        var result = PlacementStatus(placementKey: meta.key)
        guard let status = root.mapping("status") else { return result }
        let prefix = FleetKind.placement(meta.key.scope).rawValue
        if let generation = status.int("observedGeneration") {
            result.observedGeneration = generation
        }
        result.observedResourceIndex = status.string("observedResourceIndex")
        result.conditions = readConditions(status, prefix: prefix)
        var members = Set<String>()
        for item in status.list("bindings") ?? [] {
            for binding in bindings(item, placement: meta.key) {
                if members.insert(binding.targetCluster).inserted {
                    result.bindings.append(binding)
                } else {
                    item.error("member '\(binding.targetCluster)' already has a binding")
                }
            }
        }
        // Sorted as the encoder writes them, so a file edited by hand reads the same.
        result.bindings.sort { $0.targetCluster < $1.targetCluster }
        result.errors = status.stringList("errors") ?? []
        return result
    }

    /// One entry of a placement's `bindings`: a group listing its members in
    /// `targetClusters`, as gitfleet writes them, or a whole binding object, as earlier
    /// versions did.
    private static func bindings(_ item: NodeReader, placement: ObjectKey) -> [Binding] {
        guard let item = item.asMapping() else { return [] }
        guard let members = item.field("targetClusters") else {
            return binding(item, placement: placement).map { [$0] } ?? []
        }
        var meta = ObjectMeta(name: "", namespace: placement.namespace)
        if let metadata = item.mapping("metadata") {
            for field in ["name", "namespace"] where metadata.field(field) != nil {
                metadata.error("a binding group has no \(field): its placement's applies",
                               field: field)
            }
            readCommonMeta(metadata, into: &meta)
        }
        meta.labels.removeValue(forKey: FleetLabel.parentPlacement)
        let renderedCommit = meta.annotations.removeValue(forKey: FleetAnnotation.renderedCommit)
        guard let spec = item.required("spec")?.asMapping() else { return [] }
        if spec.field("targetCluster") != nil {
            spec.error("a binding group names its members in 'targetClusters'",
                       field: "targetCluster")
        }
        let state = spec.required("state")?.asEnum(Binding.State.self)
        let policySnapshot = spec.requiredString("schedulingPolicySnapshotName")
        let conditions: Conditions<BindingConditionType> =
            item.mapping("status").map { readConditions($0) } ?? Conditions()
        var names: [String] = []
        for member in members.asList() ?? [] {
            guard let name = member.asString() else { continue }
            if let problem = KubernetesName.subdomainProblem(name, maxLength: 63) {
                member.error(problem)
                continue
            }
            names.append(name)
        }
        guard let state, let policySnapshot else { return [] }
        let shape = Binding(
            meta: meta, placementName: placement.name, targetCluster: "", state: state,
            resourceSnapshotName: spec.string("resourceSnapshotName"),
            schedulingPolicySnapshotName: policySnapshot,
            applyStrategy: spec.mapping("applyStrategy").map(applyStrategy),
            conditions: conditions, renderedCommit: renderedCommit)
        return names.map { name in
            var binding = shape
            binding.meta.name = Binding.name(placement: placement.name, member: name)
            binding.targetCluster = name
            return binding
        }
    }

    /// A whole binding object. Its name is taken to be `<placement>-<member>`, the one name
    /// gitfleet gives bindings, which groups cannot spell otherwise.
    private static func binding(_ item: NodeReader, placement: ObjectKey) -> Binding? {
        let kind = FleetKind.binding(placement.scope)
        if let kindName = item.string("kind"), kindName != kind.rawValue {
            item.error("expected '\(kind.rawValue)', got '\(kindName)'", field: "kind")
        }
        guard let metadata = item.required("metadata")?.asMapping(),
              var meta = meta(metadata, kind: kind) else { return nil }
        if meta.namespace != placement.namespace {
            metadata.error("must be the placement's namespace", field: "namespace")
        }
        meta.labels.removeValue(forKey: FleetLabel.parentPlacement)
        let renderedCommit = meta.annotations.removeValue(forKey: FleetAnnotation.renderedCommit)
        guard let spec = item.required("spec")?.asMapping() else { return nil }
        let state = spec.required("state")?.asEnum(Binding.State.self)
        let target = spec.requiredString("targetCluster")
        let policySnapshot = spec.requiredString("schedulingPolicySnapshotName")
        let conditions: Conditions<BindingConditionType> =
            item.mapping("status").map { readConditions($0) } ?? Conditions()
        guard let state, let target, let policySnapshot else { return nil }
        meta.name = Binding.name(placement: placement.name, member: target)
        return Binding(
            meta: meta, placementName: placement.name, targetCluster: target, state: state,
            resourceSnapshotName: spec.string("resourceSnapshotName"),
            schedulingPolicySnapshotName: policySnapshot,
            applyStrategy: spec.mapping("applyStrategy").map(applyStrategy),
            conditions: conditions, renderedCommit: renderedCommit)
    }
}

/// Reads the labels and annotations that snapshots carry as typed fields, removing them from
/// the metadata so each fact has one home (the encoder writes them back from the fields).
private final class SnapshotMetaReader {
    var meta: ObjectMeta
    let metadata: NodeReader?
    let root: NodeReader

    init(root: NodeReader, meta: ObjectMeta) {
        self.root = root
        self.meta = meta
        self.metadata = root.mapping("metadata")
    }

    private func report(_ message: String, _ map: String) {
        if let metadata {
            metadata.error(message, field: map)
        } else {
            root.error(message)
        }
    }

    func label(_ key: String) -> String? {
        if let value = meta.labels.removeValue(forKey: key) { return value }
        report("label '\(key)' is required", "labels")
        return nil
    }

    func intLabel(_ key: String) -> Int? {
        guard let text = label(key) else { return nil }
        if NodeReader.isDecimal(text), let value = NodeReader.decimal(text), value >= 0 {
            return value
        }
        report("label '\(key)' must be an integer >= 0, got '\(text)'", "labels")
        return nil
    }

    /// Absent reads as false, as only a master snapshot carries the label.
    func boolLabel(_ key: String) -> Bool {
        switch meta.labels.removeValue(forKey: key) {
        case nil, "false"?: return false
        case "true"?: return true
        case let other?:
            report("label '\(key)' must be 'true' or 'false', got '\(other)'", "labels")
            return false
        }
    }

    func annotation(_ key: String) -> String? {
        if let value = meta.annotations.removeValue(forKey: key) { return value }
        report("annotation '\(key)' is required", "annotations")
        return nil
    }

    /// An integer annotation, nil when absent; `required` reports it missing.
    func intAnnotation(_ key: String, required: Bool) -> Int? {
        guard let text = meta.annotations.removeValue(forKey: key) else {
            if required { report("annotation '\(key)' is required", "annotations") }
            return nil
        }
        if NodeReader.isDecimal(text), let value = NodeReader.decimal(text) { return value }
        report("annotation '\(key)' must be an integer, got '\(text)'", "annotations")
        return nil
    }
}
