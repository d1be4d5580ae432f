import FleetAPI
import FleetYAML

/// Shows objects as `kubectl get -o yaml` would: FleetEncoder's documents, written by
/// YAMLWriter.
package struct FleetObjectSerializer: ObjectSerializer {
    package init() {}

    package func node(for item: FleetItem) throws -> YAMLNode {
        switch item {
        case let .memberCluster(member):
            return FleetEncoder.encode(.memberCluster(member))
        case let .placement(placement, status):
            var node = FleetEncoder.encode(.placement(placement))
            if let status, var shown = FleetEncoder.encode(.placementStatus(status))["status"] {
                // Bindings are objects of their own (`gitfleet get crb`), not placement status.
                shown.set("bindings", nil)
                node.set("status", shown)
            }
            return node
        case let .strategy(strategy):
            return FleetEncoder.encode(.strategy(strategy))
        case let .updateRun(run):
            return FleetEncoder.encode(.updateRun(run))
        case let .approvalRequest(request):
            return FleetEncoder.encode(.approvalRequest(request))
        case let .resourceSnapshot(snapshot):
            return FleetEncoder.encode(.resourceSnapshot(snapshot))
        case let .policySnapshot(snapshot):
            return FleetEncoder.encode(.policySnapshot(snapshot))
        case let .binding(binding):
            return FleetEncoder.encode(binding: binding)
        }
    }

    package func yamlText(for node: YAMLNode) throws -> String {
        try YAMLWriter.write(node)
    }
}
