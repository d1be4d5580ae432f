import Foundation
import FleetAPI

/// One object `gitfleet get` shows: a row of a table, or one document of YAML or JSON output.
package enum FleetItem: Sendable {
    case memberCluster(MemberCluster)
    /// A placement with the status gitfleet keeps for it, when there is one.
    case placement(Placement, PlacementStatus?)
    case strategy(StagedUpdateStrategy)
    case updateRun(UpdateRun)
    case approvalRequest(ApprovalRequest)
    case resourceSnapshot(ResourceSnapshot)
    case policySnapshot(PolicySnapshot)
    case binding(Binding)

    /// The object's metadata.
    package var meta: ObjectMeta {
        switch self {
        case let .memberCluster(member): return member.meta
        case let .placement(placement, _): return placement.meta
        case let .strategy(strategy): return strategy.meta
        case let .updateRun(run): return run.meta
        case let .approvalRequest(request): return request.meta
        case let .resourceSnapshot(snapshot): return snapshot.meta
        case let .policySnapshot(snapshot): return snapshot.meta
        case let .binding(binding): return binding.meta
        }
    }

    package var key: ObjectKey { meta.key }

    /// The object's kind, which its scope decides within a family.
    package var kind: FleetKind {
        let scope: FleetScope = meta.namespace == nil ? .cluster : .namespaced
        switch self {
        case .memberCluster: return .memberCluster
        case .placement: return .placement(scope)
        case .strategy: return .strategy(scope)
        case .updateRun: return .updateRun(scope)
        case .approvalRequest: return .approvalRequest(scope)
        case .resourceSnapshot: return .resourceSnapshot(scope)
        case .policySnapshot: return .policySnapshot(scope)
        case .binding: return .binding(scope)
        }
    }

    /// When the object was created: `metadata.creationTimestamp`, or else the earliest time
    /// in its conditions, since status files written by gitfleet always carry conditions.
    package var creationDate: Date? {
        if let date = meta.creationTimestamp { return date }
        let times: [Date]
        switch self {
        case .memberCluster, .strategy, .resourceSnapshot:
            times = []
        case let .placement(_, status):
            times = status?.conditions.items.map(\.lastTransitionTime) ?? []
        case let .updateRun(run):
            times = run.status.conditions.items.map(\.lastTransitionTime)
        case let .approvalRequest(request):
            times = request.conditions.items.map(\.lastTransitionTime)
        case let .policySnapshot(snapshot):
            times = snapshot.conditions.items.map(\.lastTransitionTime)
        case let .binding(binding):
            times = binding.conditions.items.map(\.lastTransitionTime)
        }
        return times.min()
    }
}

/// The namespaces a `get` covers; cluster-scoped kinds ignore it.
package enum NamespaceFilter: Equatable, Sendable {
    case all
    case only(String)

    func admits(_ key: ObjectKey, of kind: FleetKind) -> Bool {
        switch kind.scope {
        case .cluster:
            return key.namespace == nil
        case .namespaced:
            guard let namespace = key.namespace else { return false }
            switch self {
            case .all: return true
            case let .only(wanted): return namespace == wanted
            }
        }
    }
}

extension FleetState {
    /// The objects of `kind` that `namespaces` admits, sorted by namespace, then name.
    package func items(of kind: FleetKind, in namespaces: NamespaceFilter) -> [FleetItem] {
        let all: [FleetItem]
        switch kind {
        case .memberCluster:
            all = members.values.map { .memberCluster($0) }
        case .clusterResourcePlacement, .resourcePlacement:
            all = placements.values.map { .placement($0, placementStatuses[$0.key]) }
        case .clusterStagedUpdateStrategy, .stagedUpdateStrategy:
            all = strategies.values.map { .strategy($0) }
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            all = updateRuns.values.map { .updateRun($0) }
        case .clusterApprovalRequest, .approvalRequest:
            all = approvalRequests.values.map { .approvalRequest($0) }
        case .clusterResourceSnapshot, .resourceSnapshot:
            all = resourceSnapshots.values.map { .resourceSnapshot($0) }
        case .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
            all = policySnapshots.values.map { .policySnapshot($0) }
        case .clusterResourceBinding, .resourceBinding:
            all = bindings.map { .binding($0) }
        case .clusterResourceOverride, .resourceOverride, .clusterResourceOverrideSnapshot,
             .resourceOverrideSnapshot:
            all = []
        }
        return all.filter { namespaces.admits($0.key, of: kind) }.sorted { $0.key < $1.key }
    }
}

extension FleetKind {
    /// Whether `gitfleet get` lists the kind. Overrides are read and checked but not kept in
    /// `FleetState`, since gitfleet does not apply them, so there is nothing to list.
    package var isListedByGet: Bool {
        switch self {
        case .memberCluster, .clusterResourcePlacement, .resourcePlacement,
             .clusterStagedUpdateStrategy, .stagedUpdateStrategy, .clusterStagedUpdateRun,
             .stagedUpdateRun, .clusterApprovalRequest, .approvalRequest,
             .clusterResourceSnapshot, .resourceSnapshot, .clusterSchedulingPolicySnapshot,
             .schedulingPolicySnapshot, .clusterResourceBinding, .resourceBinding:
            return true
        case .clusterResourceOverride, .resourceOverride, .clusterResourceOverrideSnapshot,
             .resourceOverrideSnapshot:
            return false
        }
    }

    /// Every name `gitfleet get` accepts for a listed kind, for "did you mean" hints.
    package static var listedNames: [String] {
        allCases.filter(\.isListedByGet).flatMap { $0.shortNames + [$0.plural, $0.rawValue] }
    }
}
