import FleetAPI
import FleetYAML

/// Removes what a hub server or client tool wrote into an object before it is stored in a
/// snapshot (rollout-semantics 2), so that members never receive hub-specific values. Labels,
/// finalizers and all other annotations are kept; scalars keep their authored text and style.
package enum ResourceStripping {
    static let metadataFields = [
        "resourceVersion", "generation", "uid", "selfLink", "deletionTimestamp", "managedFields",
        "ownerReferences", "creationTimestamp",
    ]
    static let strippedAnnotations = [
        "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
    ]
    static let jobControllerUIDLabels = ["controller-uid", "batch.kubernetes.io/controller-uid"]

    /// The object's node as a snapshot stores it.
    package static func strip(_ resource: WorkloadResource) -> YAMLNode {
        var node = resource.node
        node.update("metadata") { metadata in
            for field in metadataFields { metadata.set(field, nil) }
            if let annotations = metadata["annotations"], annotations.pairs != nil {
                var kept = annotations
                for key in strippedAnnotations { kept.set(key, nil) }
                // An annotation map left empty is dropped, as KubeFleet sets it to null.
                metadata.set("annotations", kept.pairs?.isEmpty == true ? nil : kept)
            }
        }
        node.set("status", nil)
        let gvk = resource.gvk
        if gvk.group.isEmpty, gvk.version == "v1", gvk.kind == "Service" {
            stripService(&node)
        } else if gvk.group == "batch", gvk.version == "v1", gvk.kind == "Job" {
            stripJob(&node)
        }
        return node
    }

    /// Cluster IPs and node ports are allocated by the hub's API server; members allocate their
    /// own. A headless service (`clusterIP: None`) keeps its clusterIP.
    private static func stripService(_ node: inout YAMLNode) {
        node.update("spec") { spec in
            if let node = spec["clusterIP"], !node.isNull, let clusterIP = node.scalar,
               isString(clusterIP), clusterIP.text != "None" {
                spec.set("clusterIP", nil)
                spec.set("clusterIPs", nil)
            }
            spec.set("healthCheckNodePort", nil)
            guard var ports = spec["ports"]?.items else { return }
            for i in ports.indices { ports[i].set("nodePort", nil) }
            spec.set("ports", YAMLNode(.sequence(ports), location: spec["ports"]?.location))
        }
    }

    /// A value Go's JSON decoder reads as a string; `10.0.0.1` written plain is one too.
    private static func isString(_ scalar: YAMLScalar) -> Bool {
        switch scalar.resolved {
        case .string, .ambiguous: return true
        case .null, .bool, .number: return false
        }
    }

    /// Without `spec.manualSelector: true` the API server generates the selector and template
    /// labels from the job's uid, which would clash with the member's own.
    private static func stripJob(_ node: inout YAMLNode) {
        let manual = node["spec"]?["manualSelector"]?.scalar?.resolved == .bool(true)
        guard !manual else { return }
        node.update("spec") { spec in
            spec.update("selector") { selector in
                selector.update("matchLabels") { labels in
                    for key in jobControllerUIDLabels { labels.set(key, nil) }
                }
            }
            spec.update("template") { template in
                template.update("metadata") { metadata in
                    metadata.set("creationTimestamp", nil)
                    metadata.update("labels") { labels in
                        for key in jobControllerUIDLabels { labels.set(key, nil) }
                    }
                }
            }
        }
    }
}

extension YAMLNode {
    /// Edits the mapping under `key` in place; does nothing when it is absent or not a mapping.
    mutating func update(_ key: String, _ body: (inout YAMLNode) -> Void) {
        guard var child = self[key], child.pairs != nil else { return }
        body(&child)
        set(key, child)
    }
}
