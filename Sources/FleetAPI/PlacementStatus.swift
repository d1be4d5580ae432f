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
}
