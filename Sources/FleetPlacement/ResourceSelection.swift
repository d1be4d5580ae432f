import FleetAPI

/// Resource selection: which workload resources a placement's selectors pick (rollout-semantics
/// 1.2). A selection problem is the user's to fix and is reported as a `Diagnostic` naming the
/// placement.
///
/// Cost: each selector reads only its kind's bucket (or one name) and each selected namespace
/// its own objects, so a selection costs O(selectors + objects of the selected kinds/namespaces).
package enum ResourceSelection {
    /// Namespaces KubeFleet refuses to propagate.
    package static let reservedNamespacePrefixes = ["fleet-", "kube-"]

    /// The selected resources, in snapshot order (`ResourceOrder`).
    package static func select(
        placement: Placement, resources: WorkloadIndex
    ) throws(Diagnostic) -> [WorkloadResource] {
        var selection = Selection(placement: placement, index: resources)
        try selection.run()
        return ResourceOrder.sorted(selection.picked)
    }

    /// The same as `select`, as a `Result`.
    package static func result(
        placement: Placement, resources: WorkloadIndex
    ) -> Result<[WorkloadResource], Diagnostic> {
        Result { () throws(Diagnostic) in try select(placement: placement, resources: resources) }
    }

    static func isReserved(namespace: String) -> Bool {
        reservedNamespacePrefixes.contains { namespace.hasPrefix($0) }
    }
}

/// One selection pass over one placement.
private struct Selection {
    let placement: Placement
    let index: WorkloadIndex
    var picked: [WorkloadResource] = []
    var seen: Set<String> = []

    init(placement: Placement, index: WorkloadIndex) {
        self.placement = placement
        self.index = index
    }

    private var kindName: String { placement.kind.rawValue }

    private func error(_ message: String) -> Diagnostic {
        Diagnostic(message, object: "\(kindName)/\(placement.key)")
    }

    mutating func run() throws(Diagnostic) {
        let selectors = placement.spec.resourceSelectors
        if selectors.contains(where: { $0.name != nil && $0.labelSelector != nil }) {
            throw error("name and labelSelector are mutually exclusive in a resource selector")
        }
        if let namespace = placement.meta.namespace {
            for selector in selectors { try selectInOwnNamespace(selector, namespace: namespace) }
            return
        }
        let scoped = try scopingNamespace(selectors)
        for selector in selectors {
            try selectForClusterPlacement(selector, scopingNamespace: scoped)
        }
    }

    // MARK: - ResourcePlacement

    private mutating func selectInOwnNamespace(
        _ selector: ResourceSelector, namespace: String
    ) throws(Diagnostic) {
        let kind = GroupKind(group: selector.group, kind: selector.kind)
        if SkipRules.isSkippedKind(kind) { return }
        if kind == .namespace || index.scope(of: kind) == .cluster {
            throw error(
                "cannot select cluster-scoped kind '\(describe(selector))' in a resource "
                    + "placement, which may select only namespaced kinds in its own namespace "
                    + "'\(namespace)'")
        }
        try add(matching(selector, kind: kind, namespace: namespace))
    }

    // MARK: - ClusterResourcePlacement

    /// The namespace named by the one `NamespaceWithResourceSelectors` selector, if any.
    private func scopingNamespace(
        _ selectors: [ResourceSelector]
    ) throws(Diagnostic) -> String? {
        let namespaceSelectors = selectors.filter { isNamespaceKind($0) }
        let scoping = namespaceSelectors.filter {
            $0.selectionScope == .namespaceWithResourceSelectors
        }
        guard let first = scoping.first else { return nil }
        if scoping.count > 1 {
            throw error(
                "only one resource selector may use selection scope "
                    + "'NamespaceWithResourceSelectors', found \(scoping.count)")
        }
        if namespaceSelectors.count > 1 {
            throw error(
                "a placement with a 'NamespaceWithResourceSelectors' selector may not have "
                    + "another Namespace selector")
        }
        guard let name = first.name else {
            throw error(
                "the resource selector with selection scope 'NamespaceWithResourceSelectors' "
                    + "must select its namespace by name")
        }
        try checkNotReserved(name)
        guard !index.named(name, kind: .namespace, namespace: nil).isEmpty else {
            throw error(
                "namespace '\(name)' selected with selection scope "
                    + "'NamespaceWithResourceSelectors' does not exist")
        }
        return name
    }

    private mutating func selectForClusterPlacement(
        _ selector: ResourceSelector, scopingNamespace: String?
    ) throws(Diagnostic) {
        let kind = GroupKind(group: selector.group, kind: selector.kind)
        if isNamespaceKind(selector) {
            try selectNamespaces(selector)
            return
        }
        if SkipRules.isSkippedKind(kind) { return }
        switch index.scope(of: kind) {
        case .cluster:
            try add(matching(selector, kind: kind, namespace: nil))
        case .namespaced:
            guard let scopingNamespace else {
                throw error(
                    "cannot select namespaced kind '\(describe(selector))' in a cluster "
                        + "resource placement; select its namespace instead")
            }
            if isDeleting(namespace: scopingNamespace) { return }
            try add(matching(selector, kind: kind, namespace: scopingNamespace))
        case nil:
            // Nothing in the repository or the kind table tells the scope: there is nothing
            // of this kind to select either.
            return
        }
    }

    private mutating func selectNamespaces(_ selector: ResourceSelector) throws(Diagnostic) {
        let namespaces = matching(selector, kind: .namespace, namespace: nil)
        for namespace in namespaces {
            try checkNotReserved(namespace.name)
        }
        switch selector.selectionScope {
        case .namespaceOnly, .namespaceWithResourceSelectors:
            try add(namespaces)
        case .namespaceWithResources:
            // A namespace being deleted is not in `namespaces`: it contributes nothing.
            for namespace in namespaces {
                try add([namespace])
                try add(index.all(inNamespace: namespace.name))
            }
        }
    }

    // MARK: - Helpers

    /// The objects of `kind` in `namespace` (nil: cluster scope) that the selector's name or
    /// label selector picks, minus the skip rules. A missing name selects nothing.
    private func matching(
        _ selector: ResourceSelector, kind: GroupKind, namespace: String?
    ) -> [WorkloadResource] {
        let candidates: [WorkloadResource]
        if let name = selector.name {
            candidates = index.named(name, kind: kind, namespace: namespace)
        } else {
            candidates = index.all(kind: kind, namespace: namespace).filter {
                selector.labelSelector?.matches($0.labels) ?? true
            }
        }
        return candidates.filter { SkipRules.shouldPropagate($0, index: index) }
    }

    /// Adds objects, refusing one that an earlier selector already picked.
    private mutating func add(_ resources: [WorkloadResource]) throws(Diagnostic) {
        for resource in resources {
            guard SkipRules.shouldPropagate(resource, index: index) else { continue }
            guard seen.insert(resource.identity).inserted else {
                throw error(
                    "found duplicate resource '\(describe(resource))', selected by more than "
                        + "one resource selector")
            }
            picked.append(resource)
        }
    }

    private func checkNotReserved(_ namespace: String) throws(Diagnostic) {
        if ResourceSelection.isReserved(namespace: namespace) {
            throw error(
                "namespace '\(namespace)' is not allowed to propagate: namespaces starting "
                    + "with 'fleet-' or 'kube-' are reserved")
        }
    }

    private func isDeleting(namespace: String) -> Bool {
        index.named(namespace, kind: .namespace, namespace: nil).allSatisfy {
            !SkipRules.shouldPropagate($0, index: index)
        }
    }

    private func isNamespaceKind(_ selector: ResourceSelector) -> Bool {
        selector.group.isEmpty && selector.kind == GroupKind.namespace.kind
    }

    /// `apps/v1/Deployment ns/name`, or `v1/Namespace name` at cluster scope.
    private func describe(_ resource: WorkloadResource) -> String {
        let key = ObjectKey(namespace: resource.namespace, name: resource.name)
        return "\(resource.gvk.apiVersion)/\(resource.gvk.kind) \(key)"
    }

    private func describe(_ selector: ResourceSelector) -> String {
        let apiVersion = selector.group.isEmpty
            ? selector.version : "\(selector.group)/\(selector.version)"
        return "\(apiVersion) \(selector.kind)"
    }
}
