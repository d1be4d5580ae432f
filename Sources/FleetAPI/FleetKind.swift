/// Every fleet kind gitfleet reads or writes, with the names `kubectl` and `gitfleet get` use.
package enum FleetKind: String, CaseIterable, Hashable, Sendable {
    case memberCluster = "MemberCluster"
    case clusterResourcePlacement = "ClusterResourcePlacement"
    case resourcePlacement = "ResourcePlacement"
    case clusterStagedUpdateStrategy = "ClusterStagedUpdateStrategy"
    case stagedUpdateStrategy = "StagedUpdateStrategy"
    case clusterStagedUpdateRun = "ClusterStagedUpdateRun"
    case stagedUpdateRun = "StagedUpdateRun"
    case clusterApprovalRequest = "ClusterApprovalRequest"
    case approvalRequest = "ApprovalRequest"
    case clusterResourceSnapshot = "ClusterResourceSnapshot"
    case resourceSnapshot = "ResourceSnapshot"
    case clusterSchedulingPolicySnapshot = "ClusterSchedulingPolicySnapshot"
    case schedulingPolicySnapshot = "SchedulingPolicySnapshot"
    case clusterResourceBinding = "ClusterResourceBinding"
    case resourceBinding = "ResourceBinding"
    case clusterResourceOverride = "ClusterResourceOverride"
    case resourceOverride = "ResourceOverride"
    case clusterResourceOverrideSnapshot = "ClusterResourceOverrideSnapshot"
    case resourceOverrideSnapshot = "ResourceOverrideSnapshot"

    package static let clusterGroup = "cluster.kubernetes-fleet.io"
    package static let placementGroup = "placement.kubernetes-fleet.io"
    package static let versions: Set<String> = ["v1", "v1beta1"]

    package var group: String {
        self == .memberCluster ? Self.clusterGroup : Self.placementGroup
    }

    package var scope: FleetScope {
        switch self {
        case .memberCluster, .clusterResourcePlacement, .clusterStagedUpdateStrategy,
             .clusterStagedUpdateRun, .clusterApprovalRequest, .clusterResourceSnapshot,
             .clusterSchedulingPolicySnapshot, .clusterResourceBinding,
             .clusterResourceOverride, .clusterResourceOverrideSnapshot:
            return .cluster
        case .resourcePlacement, .stagedUpdateStrategy, .stagedUpdateRun, .approvalRequest,
             .resourceSnapshot, .schedulingPolicySnapshot, .resourceBinding,
             .resourceOverride, .resourceOverrideSnapshot:
            return .namespaced
        }
    }

    /// The lowercase plural, which also names the kind's folder under `status/`.
    package var plural: String {
        let lower = rawValue.lowercased()
        if lower.hasSuffix("y") { return lower.dropLast() + "ies" }
        return lower + (lower.hasSuffix("s") ? "es" : "s")
    }

    package var shortNames: [String] {
        switch self {
        case .memberCluster: return ["cluster"]
        case .clusterResourcePlacement: return ["crp"]
        case .resourcePlacement: return ["rp"]
        case .clusterStagedUpdateStrategy: return ["csus"]
        case .stagedUpdateStrategy: return ["sus"]
        case .clusterStagedUpdateRun: return ["csur"]
        case .stagedUpdateRun: return ["sur"]
        case .clusterApprovalRequest: return ["careq"]
        case .approvalRequest: return ["areq"]
        case .clusterResourceSnapshot: return ["crs"]
        case .resourceSnapshot: return ["rs"]
        case .clusterSchedulingPolicySnapshot: return ["csps"]
        case .schedulingPolicySnapshot: return ["sps"]
        case .clusterResourceBinding: return ["crb"]
        case .resourceBinding: return ["rb"]
        case .clusterResourceOverride: return ["cro"]
        case .resourceOverride: return ["ro"]
        case .clusterResourceOverrideSnapshot: return ["cros"]
        case .resourceOverrideSnapshot: return ["ros"]
        }
    }

    /// Finds a kind by its name, plural or short name, ignoring case.
    package init?(lookup: String) {
        let wanted = lookup.lowercased()
        guard let kind = Self.allCases.first(where: {
            $0.rawValue.lowercased() == wanted || $0.plural == wanted
                || $0.shortNames.contains(wanted)
        }) else { return nil }
        self = kind
    }

    /// The kind of the given family in the given scope.
    package static func placement(_ scope: FleetScope) -> FleetKind {
        scope == .cluster ? .clusterResourcePlacement : .resourcePlacement
    }

    package static func strategy(_ scope: FleetScope) -> FleetKind {
        scope == .cluster ? .clusterStagedUpdateStrategy : .stagedUpdateStrategy
    }

    package static func updateRun(_ scope: FleetScope) -> FleetKind {
        scope == .cluster ? .clusterStagedUpdateRun : .stagedUpdateRun
    }

    package static func approvalRequest(_ scope: FleetScope) -> FleetKind {
        scope == .cluster ? .clusterApprovalRequest : .approvalRequest
    }

    package static func resourceSnapshot(_ scope: FleetScope) -> FleetKind {
        scope == .cluster ? .clusterResourceSnapshot : .resourceSnapshot
    }

    package static func policySnapshot(_ scope: FleetScope) -> FleetKind {
        scope == .cluster ? .clusterSchedulingPolicySnapshot : .schedulingPolicySnapshot
    }

    package static func binding(_ scope: FleetScope) -> FleetKind {
        scope == .cluster ? .clusterResourceBinding : .resourceBinding
    }
}
