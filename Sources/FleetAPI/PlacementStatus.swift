import Foundation

/// What gitfleet writes to a placement's status file: its conditions, the bindings of each
/// member, and which snapshot each member runs.
package struct PlacementStatus: Hashable, Sendable {
    package var placementKey: ObjectKey
    /// The placement generation these conditions were computed from.
    package var observedGeneration: Int
    package var conditions: Conditions<PlacementConditionType>
    /// Empty when members disagree, as KubeFleet shows for External placements.
    package var observedResourceIndex: String?
    package var bindings: [Binding]
    /// Problems with the placement itself (selection errors, bad policy), newest first.
    package var errors: [String]

    package init(
        placementKey: ObjectKey, observedGeneration: Int = 1,
        conditions: Conditions<PlacementConditionType> = Conditions(),
        observedResourceIndex: String? = nil, bindings: [Binding] = [], errors: [String] = []
    ) {
        self.placementKey = placementKey
        self.observedGeneration = observedGeneration
        self.conditions = conditions
        self.observedResourceIndex = observedResourceIndex
        self.bindings = bindings
        self.errors = errors
    }

    package var scope: FleetScope { placementKey.scope }

    /// Writes bindings whole: each replaces the binding of the same name or is added, and the
    /// list stays ordered by member. `each` sees the binding replaced (nil when added) and the
    /// new one, in the order written.
    package mutating func write(
        _ written: [Binding], each: (_ old: Binding?, _ new: Binding) -> Void = { _, _ in }
    ) {
        guard !written.isEmpty else { return }
        var position = [String: Int](minimumCapacity: bindings.count)
        for (index, binding) in bindings.enumerated() { position[binding.name] = index }
        var added = false
        for binding in written {
            if let index = position[binding.name] {
                each(bindings[index], binding)
                bindings[index] = binding
            } else {
                each(nil, binding)
                position[binding.name] = bindings.count
                bindings.append(binding)
                added = true
            }
        }
        if added { bindings.sort { $0.targetCluster < $1.targetCluster } }
        let names = Set(written.map(\.name))
        Binding.shareAlike(&bindings, at: bindings.indices.filter {
            names.contains(bindings[$0].name)
        })
    }

    /// Removes the bindings named, handing each one removed to `each`.
    package mutating func remove(_ names: Set<String>, each: (Binding) -> Void = { _ in }) {
        guard !names.isEmpty else { return }
        bindings.removeAll { binding in
            guard names.contains(binding.name) else { return false }
            each(binding)
            return true
        }
    }
}
