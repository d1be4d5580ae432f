import Foundation
import FleetYAML

/// Turns parsed YAML documents into fleet objects and workload resources, validating fleet
/// objects as the KubeFleet API server and webhooks would (rollout-semantics.md 1.2, 3, 4).
///
/// Every problem becomes a `Diagnostic` at the offending field's line, several per object when
/// there are several; an object with any problem is not returned, so it affects only itself.
package enum FleetDecoder {
    /// The fields of Kubernetes' ObjectMeta.
    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
        "annotations", "ownerReferences", "finalizers", "managedFields",
    ]

    /// Decodes one document. `file` names it in diagnostics when its nodes carry no location;
    /// `scopes` decides the scope of workload kinds.
    package static func decode(
        _ document: YAMLNode, file: String, source: DocumentSource,
        scopes: KindScopes = KindScopes()
    ) -> DecodedDocument {
        // Only people's files are checked for unknown fields (see `decode` below).
        let log = DiagnosticLog(
            fallback: document.location ?? SourceLocation(file: file, line: 1),
            tracksReads: source == .repository)
        var ref: ObjectRef?
        let content = decode(document, file: file, source: source, scopes: scopes, log: log,
                             ref: &ref)
        return DecodedDocument(content: log.count == 0 ? content : nil, ref: ref,
                               location: document.location ?? log.fallback,
                               diagnostics: log.diagnostics)
    }

    /// Parses a file and decodes each of its documents; a file that does not parse gives one
    /// diagnostic and no documents.
    package static func decodeFile(
        path: String, bytes: [UInt8], source: DocumentSource, scopes: KindScopes = KindScopes()
    ) -> (documents: [DecodedDocument], parseError: Diagnostic?) {
        do {
            let nodes = try YAMLParser.parse(bytes, file: path)
            return (nodes.map { decode($0, file: path, source: source, scopes: scopes) }, nil)
        } catch {
            return ([], Diagnostic(error.message, at: error.location))
        }
    }

    private static func decode(
        _ document: YAMLNode, file: String, source: DocumentSource, scopes: KindScopes,
        log: DiagnosticLog, ref: inout ObjectRef?
    ) -> DecodedDocument.Content? {
        let root = NodeReader(document, log: log)
        guard document.pairs != nil else {
            log.report("a document must be a mapping, got \(describe(document))",
                       at: document.location)
            return nil
        }
        let apiVersion = root.requiredString("apiVersion")
        let kindName = root.requiredString("kind")
        let metadata = root.required("metadata")?.asMapping()
        if let kindName, let name = metadata?.field("name")?.node.scalar?.text {
            let namespace = metadata?.field("namespace")?.node.scalar?.text
            log.object = ObjectRef.display(kind: kindName, namespace: namespace, name: name)
        }
        guard let apiVersion, let kindName, let metadata else { return nil }
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kindName)
        let isFleetGroup = gvk.group == FleetKind.placementGroup || gvk.group == FleetKind.clusterGroup
        if isFleetGroup, !FleetKind.versions.contains(gvk.version) {
            root.error("version '\(gvk.version)' of '\(gvk.group)' is not supported, "
                + "use 'v1' or 'v1beta1'", field: "apiVersion")
            return nil
        }
        if isFleetGroup, let kind = FleetKind(rawValue: kindName), kind.group == gvk.group {
            guard let meta = meta(metadata, kind: kind) else { return nil }
            ref = ObjectRef(kind, meta.key)
            let object = fleetObject(root, kind: kind, meta: meta, file: file, source: source)
            // People's specs are checked strictly; gitfleet's own files may carry fields a
            // newer version wrote.
            if source == .repository, object != nil, kind != .clusterResourceOverride,
               kind != .resourceOverride, let spec = root.field("spec") {
                spec.reportUnknownFields()
            }
            // A misspelt `labels` or `annotations` would silently move a member out of its
            // stages or turn runs per commit off.
            if source == .repository, let metadata = root.field("metadata") {
                for pair in metadata.node.pairs ?? []
                where !Self.objectMetaFields.contains(pair.key.text) {
                    metadata.error("unknown field", field: pair.key.text)
                }
            }
            return object.map(DecodedDocument.Content.fleet)
        }
        if isFleetGroup, !KindScopes.isOtherFleetKind(GroupKind(group: gvk.group, kind: kindName)) {
            root.error("'\(kindName)' is not a kind of group '\(gvk.group)'", field: "kind")
            return nil
        }
        return workload(document, metadata: metadata, gvk: gvk, scopes: scopes, ref: &ref)
            .map(DecodedDocument.Content.workload)
    }

    private static func fleetObject(
        _ root: NodeReader, kind: FleetKind, meta: ObjectMeta, file: String,
        source: DocumentSource
    ) -> FleetObject? {
        switch kind {
        case .memberCluster:
            return memberCluster(root, meta: meta).map(FleetObject.memberCluster)
        case .clusterResourcePlacement, .resourcePlacement:
            switch source {
            case .repository: return placement(root, meta: meta).map(FleetObject.placement)
            case .status: return placementStatus(root, meta: meta).map(FleetObject.placementStatus)
            }
        case .clusterStagedUpdateStrategy, .stagedUpdateStrategy:
            return strategy(root, meta: meta).map(FleetObject.strategy)
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            return updateRun(root, meta: meta, file: file, source: source)
                .map(FleetObject.updateRun)
        case .clusterApprovalRequest, .approvalRequest:
            return approvalRequest(root, meta: meta).map(FleetObject.approvalRequest)
        case .clusterResourceSnapshot, .resourceSnapshot:
            guard writtenByGitfleet(root, kind: kind, source: source) else { return nil }
            return resourceSnapshot(root, meta: meta).map(FleetObject.resourceSnapshot)
        case .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
            guard writtenByGitfleet(root, kind: kind, source: source) else { return nil }
            return policySnapshot(root, meta: meta).map(FleetObject.policySnapshot)
        case .clusterResourceBinding, .resourceBinding:
            root.error("'\(kind.rawValue)' objects are kept in their placement's status file, "
                + "not as separate documents", field: "kind")
            return nil
        case .clusterResourceOverride, .resourceOverride, .clusterResourceOverrideSnapshot,
             .resourceOverrideSnapshot:
            return .override(kind: kind, key: meta.key)
        }
    }

    private static func writtenByGitfleet(
        _ root: NodeReader, kind: FleetKind, source: DocumentSource
    ) -> Bool {
        switch source {
        case .status:
            return true
        case .repository:
            root.error("'\(kind.rawValue)' objects are written by gitfleet under status/, "
                + "not by hand", field: "kind")
            return false
        }
    }

    // MARK: - Metadata

    /// Reads and checks `metadata` of a fleet object: name rules per kind, scope, labels.
    static func meta(_ metadata: NodeReader, kind: FleetKind) -> ObjectMeta? {
        guard let name = metadata.requiredString("name") else { return nil }
        let namespace = metadata.string("namespace")
        let nameField = metadata.field("name")
        switch kind {
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            // KubeFleet's CEL rule on runs, with its message as is.
            if name.utf8.count > 63 {
                metadata.log.report("metadata.name max length is 63", at: nameField?.location)
            } else if let problem = KubernetesName.subdomainProblem(name) {
                nameField?.error(problem)
            }
        case .memberCluster, .clusterResourcePlacement, .resourcePlacement:
            // Their names become label values (member-name, parent-CRP), which hold 63.
            if let problem = KubernetesName.subdomainProblem(name, maxLength: 63) {
                nameField?.error(problem)
            }
        case .clusterStagedUpdateStrategy, .stagedUpdateStrategy, .clusterApprovalRequest,
             .approvalRequest, .clusterResourceSnapshot, .resourceSnapshot,
             .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot,
             .clusterResourceBinding, .resourceBinding, .clusterResourceOverride,
             .resourceOverride, .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot:
            if let problem = KubernetesName.subdomainProblem(name) { nameField?.error(problem) }
        }
        checkScope(metadata, kindName: kind.rawValue, scope: kind.scope, namespace: namespace)
        var meta = ObjectMeta(name: name, namespace: kind.scope == .cluster ? nil : namespace)
        readCommonMeta(metadata, into: &meta)
        return meta
    }

    /// Labels, annotations, generation and creation time, checked as the API server does.
    static func readCommonMeta(_ metadata: NodeReader, into meta: inout ObjectMeta) {
        meta.labels = labels(metadata)
        meta.annotations = metadata.stringMap("annotations")
        if let annotations = metadata.field("annotations") {
            for key in meta.annotations.keys.sorted() {
                if let problem = KubernetesName.keyProblem(key) { annotations.error(problem) }
            }
        }
        if let generationField = metadata.field("generation"), let generation = generationField.asInt() {
            if generation < 1 {
                generationField.error("must be at least 1, got \(generation)")
            }
            meta.generation = generation
        }
        meta.creationTimestamp = timestamp(metadata, "creationTimestamp")
    }

    static func labels(_ metadata: NodeReader) -> [String: String] {
        let labels = metadata.stringMap("labels")
        if let field = metadata.field("labels") { checkLabels(labels, field: field) }
        return labels
    }

    static func checkLabels(_ labels: [String: String], field: NodeReader) {
        for key in labels.keys.sorted() {
            if let problem = KubernetesName.keyProblem(key) { field.error(problem) }
            if let value = labels[key], let problem = KubernetesName.labelValueProblem(value) {
                field.error(problem)
            }
        }
    }

    /// Namespaced kinds need a namespace, cluster-scoped kinds must not have one; the hub has
    /// no current namespace to default to, unlike `kubectl`.
    static func checkScope(
        _ metadata: NodeReader, kindName: String, scope: FleetScope, namespace: String?
    ) {
        switch (scope, namespace) {
        case (.namespaced, nil):
            metadata.error("namespaced kind '\(kindName)' needs metadata.namespace")
        case (.cluster, .some):
            metadata.error("cluster-scoped kind '\(kindName)' cannot have metadata.namespace",
                           field: "namespace")
        case let (.namespaced, namespace?):
            if let problem = KubernetesName.labelProblem(namespace) {
                metadata.field("namespace")?.error(problem)
            }
        case (.cluster, nil):
            break
        }
    }

    /// An RFC 3339 time such as `2024-05-01T12:00:00Z`.
    static func timestamp(_ reader: NodeReader, _ key: String) -> Date? {
        guard let field = reader.field(key), let text = field.asString() else { return nil }
        if let date = Timestamp.parse(text) { return date }
        field.error("'\(text)' is not an RFC 3339 time such as '2024-05-01T12:00:00Z'")
        return nil
    }

    // MARK: - Workload resources

    private static func workload(
        _ document: YAMLNode, metadata: NodeReader, gvk: GroupVersionKind, scopes: KindScopes,
        ref: inout ObjectRef?
    ) -> WorkloadResource? {
        let root = NodeReader(document, log: metadata.log)
        if gvk.version.isEmpty || gvk.version.contains("/") {
            root.error("'\(gvk.apiVersion)' is not a valid apiVersion", field: "apiVersion")
        }
        if gvk.kind.isEmpty { root.error("must not be empty", field: "kind") }
        guard let name = metadata.requiredString("name") else { return nil }
        let namespace = metadata.string("namespace")
        ref = ObjectRef(group: gvk.group, kind: gvk.kind, namespace: namespace, name: name)
        let nameProblem = gvk.group.isEmpty && gvk.kind == "Namespace"
            ? KubernetesName.labelProblem(name) : KubernetesName.pathSegmentProblem(name)
        if let nameProblem { metadata.field("name")?.error(nameProblem) }
        let scope = scopes.resolve(group: gvk.group, kind: gvk.kind, namespace: namespace)
        checkScope(metadata, kindName: gvk.kind, scope: scope, namespace: namespace)
        var meta = ObjectMeta(name: name)
        readCommonMeta(metadata, into: &meta)
        return WorkloadResource(
            gvk: gvk, name: name, namespace: scope == .namespaced ? namespace : nil,
            labels: meta.labels, annotations: meta.annotations, node: document,
            location: document.location)
    }

    // MARK: - Member clusters

    private static func memberCluster(_ root: NodeReader, meta: ObjectMeta) -> MemberCluster? {
        if let value = meta.annotations[FleetAnnotation.availability],
           MemberCluster.Availability(rawValue: value) == nil {
            root.mapping("metadata")?.error(
                "annotation '\(FleetAnnotation.availability)' must be 'pushed' or 'reported', "
                    + "got '\(value)'", field: "annotations")
        }
        return MemberCluster(meta: meta)
    }
}
