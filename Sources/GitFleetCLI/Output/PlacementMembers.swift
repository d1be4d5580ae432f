import FleetAPI

/// "What runs where" for one placement: a row per member with its binding state, the snapshot
/// it has and whether that snapshot is confirmed available. `get crp NAME -o wide` prints it
/// under the placement's row.
enum PlacementMembers {
    static func table(_ status: PlacementStatus, snapshots: [ObjectKey: ResourceSnapshot]) -> Table {
        let rows = status.bindings.sorted { $0.targetCluster < $1.targetCluster }.map { binding in
            let generation = binding.meta.generation
            let snapshot = binding.resourceSnapshotName ?? ""
            let index = binding.resourceSnapshotName
                .flatMap { snapshots[ObjectKey(namespace: binding.meta.namespace, name: $0)] }
                .map { String($0.index) } ?? ""
            let available: String
            if binding.state == .scheduled || snapshot.isEmpty {
                available = ""
            } else if binding.conditions.isTrue(.available, generation: generation) {
                available = "True"
            } else if binding.conditions.isTrue(.rolloutStarted, generation: generation) {
                available = "Updating"
            } else {
                available = "False"
            }
            return [binding.targetCluster, binding.state.rawValue, snapshot, index, available]
        }
        return Table(
            headers: ["MEMBER", "BINDING", "RESOURCE-SNAPSHOT", "INDEX", "AVAILABLE"], rows: rows)
    }
}
