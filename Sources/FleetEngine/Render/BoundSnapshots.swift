import FleetAPI

/// The snapshots each member should run, from the bindings of one or more states, with equal
/// sets stored once.
///
/// A fleet of 10,000 members and 1,000 placements binds ten million snapshots, but members
/// scheduled or updated together run the same ones, so the distinct sets are few. Each set
/// is a chain of steps that add one snapshot to a shorter set, and a step is made once: two
/// members with the same snapshots, added in the same order, end on the same set id. So
/// comparing a member's sets in two states is comparing two integers, and a set's snapshots
/// are only listed for members whose folder changes.
struct BoundSnapshots {
    /// A set: the set it extends (nil for the first snapshot) and the snapshot it adds.
    private struct Step: Hashable {
        var base: Int?
        var key: ObjectKey
    }

    private var steps: [Step] = []
    private var stepIDs: [Step: Int] = [:]

    /// Each member's set in a state; a member without one runs nothing.
    typealias Members = [String: Int]

    /// Every member's set in `state`. Unscheduled bindings count: their resources stay on
    /// the member until a run deletes the binding, as in KubeFleet.
    mutating func members(in state: FleetState) -> Members {
        var result: Members = [:]
        // Placements in a fixed order, so the same snapshots always make the same chain.
        for key in state.placementStatuses.keys.sorted() {
            for binding in state.placementStatuses[key]?.bindings ?? []
            where binding.state != .scheduled {
                guard let name = binding.resourceSnapshotName else { continue }
                let step = Step(
                    base: result[binding.targetCluster],
                    key: ObjectKey(namespace: binding.namespace, name: name))
                result[binding.targetCluster] = id(of: step)
            }
        }
        return result
    }

    /// The snapshots of set `id` (none for nil).
    func keys(_ id: Int?) -> Set<ObjectKey> {
        var result: Set<ObjectKey> = []
        var next = id
        while let current = next {
            result.insert(steps[current].key)
            next = steps[current].base
        }
        return result
    }

    private mutating func id(of step: Step) -> Int {
        if let known = stepIDs[step] { return known }
        steps.append(step)
        stepIDs[step] = steps.count - 1
        return steps.count - 1
    }
}
