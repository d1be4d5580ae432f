/// Every fleet object of one commit: what people wrote and what gitfleet keeps under status/.
///
/// Collections are keyed by `ObjectKey` so both flavours (cluster-scoped and namespaced) of a
/// kind share one dictionary; a key's namespace tells them apart.
package struct FleetState: Sendable {
    package var members: [String: MemberCluster] = [:]
    package var placements: [ObjectKey: Placement] = [:]
    package var strategies: [ObjectKey: StagedUpdateStrategy] = [:]
    package var updateRuns: [ObjectKey: UpdateRun] = [:]
    package var approvalRequests: [ObjectKey: ApprovalRequest] = [:]
    package var resourceSnapshots: [ObjectKey: ResourceSnapshot] = [:]
    package var policySnapshots: [ObjectKey: PolicySnapshot] = [:]
    package var placementStatuses: [ObjectKey: PlacementStatus] = [:]

    package init() {}

    /// The bindings of every placement, flattened, as `gitfleet get crb` lists them.
    package var bindings: [Binding] {
        placementStatuses.keys.sorted().flatMap { placementStatuses[$0]?.bindings ?? [] }
    }
}
