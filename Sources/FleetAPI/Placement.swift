/// A ClusterResourcePlacement (cluster scope) or ResourcePlacement (namespaced).
package struct Placement: Hashable, Sendable {
    package var meta: ObjectMeta
    package var spec: PlacementSpec

    package init(meta: ObjectMeta, spec: PlacementSpec) {
        self.meta = meta
        self.spec = spec
    }

    package var scope: FleetScope { meta.namespace == nil ? .cluster : .namespaced }
    package var kind: FleetKind { .placement(scope) }
    package var key: ObjectKey { meta.key }

    /// The strategy named by `gitfleet.io/staged-update-strategy`, for runs per commit.
    package var autoRunStrategy: String? {
        meta.annotations[FleetAnnotation.stagedUpdateStrategy]
    }
}

package struct PlacementSpec: Hashable, Sendable {
    package var resourceSelectors: [ResourceSelector]
    /// nil means PickAll with no affinity.
    package var policy: PlacementPolicy?
    package var strategy: RolloutStrategy
    package var revisionHistoryLimit: Int

    package static let defaultRevisionHistoryLimit = 10

    package init(
        resourceSelectors: [ResourceSelector], policy: PlacementPolicy? = nil,
        strategy: RolloutStrategy = RolloutStrategy(),
        revisionHistoryLimit: Int = PlacementSpec.defaultRevisionHistoryLimit
    ) {
        self.resourceSelectors = resourceSelectors
        self.policy = policy
        self.strategy = strategy
        self.revisionHistoryLimit = revisionHistoryLimit
    }
}

package struct ResourceSelector: Hashable, Sendable {
    package enum SelectionScope: String, CaseIterable, Hashable, Sendable {
        case namespaceOnly = "NamespaceOnly"
        case namespaceWithResources = "NamespaceWithResources"
        case namespaceWithResourceSelectors = "NamespaceWithResourceSelectors"
    }

    package var group: String
    package var version: String
    package var kind: String
    package var name: String?
    package var labelSelector: LabelSelector?
    package var selectionScope: SelectionScope

    package init(
        group: String, version: String, kind: String, name: String? = nil,
        labelSelector: LabelSelector? = nil,
        selectionScope: SelectionScope = .namespaceWithResources
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.name = name
        self.labelSelector = labelSelector
        self.selectionScope = selectionScope
    }
}

package struct PlacementPolicy: Hashable, Sendable {
    package enum PlacementType: String, CaseIterable, Hashable, Sendable {
        case pickAll = "PickAll"
        case pickN = "PickN"
        case pickFixed = "PickFixed"
    }

    package var placementType: PlacementType
    package var clusterNames: [String]
    package var numberOfClusters: Int?
    package var affinity: ClusterAffinity?

    package init(
        placementType: PlacementType = .pickAll, clusterNames: [String] = [],
        numberOfClusters: Int? = nil, affinity: ClusterAffinity? = nil
    ) {
        self.placementType = placementType
        self.clusterNames = clusterNames
        self.numberOfClusters = numberOfClusters
        self.affinity = affinity
    }
}

/// `affinity.clusterAffinity`: required terms are ORed, each term's selector ANDed.
package struct ClusterAffinity: Hashable, Sendable {
    package struct PreferredTerm: Hashable, Sendable {
        /// -100...100.
        package var weight: Int
        package var preference: LabelSelector

        package init(weight: Int, preference: LabelSelector) {
            self.weight = weight
            self.preference = preference
        }
    }

    /// `requiredDuringSchedulingIgnoredDuringExecution.clusterSelectorTerms`; nil: no requirement.
    package var requiredTerms: [LabelSelector]?
    /// `preferredDuringSchedulingIgnoredDuringExecution`.
    package var preferred: [PreferredTerm]

    package init(requiredTerms: [LabelSelector]? = nil, preferred: [PreferredTerm] = []) {
        self.requiredTerms = requiredTerms
        self.preferred = preferred
    }
}

package struct RolloutStrategy: Hashable, Sendable {
    package enum StrategyType: String, CaseIterable, Hashable, Sendable {
        case rollingUpdate = "RollingUpdate"
        case external = "External"
    }

    package var type: StrategyType
    package var rollingUpdate: RollingUpdateConfig?
    package var applyStrategy: ApplyStrategy

    package init(
        type: StrategyType = .rollingUpdate, rollingUpdate: RollingUpdateConfig? = nil,
        applyStrategy: ApplyStrategy = ApplyStrategy()
    ) {
        self.type = type
        self.rollingUpdate = rollingUpdate
        self.applyStrategy = applyStrategy
    }
}

package struct RollingUpdateConfig: Hashable, Sendable {
    /// Default 25%.
    package var maxUnavailable: IntOrPercent
    /// Default 25%.
    package var maxSurge: IntOrPercent
    /// Default 60.
    package var unavailablePeriodSeconds: Int

    package init(
        maxUnavailable: IntOrPercent = .percent(25), maxSurge: IntOrPercent = .percent(25),
        unavailablePeriodSeconds: Int = 60
    ) {
        self.maxUnavailable = maxUnavailable
        self.maxSurge = maxSurge
        self.unavailablePeriodSeconds = unavailablePeriodSeconds
    }
}

/// `strategy.applyStrategy`, with KubeFleet's defaults filled in.
package struct ApplyStrategy: Hashable, Sendable {
    package var type: String = "ClientSideApply"
    package var comparisonOption: String = "PartialComparison"
    package var whenToApply: String = "Always"
    package var whenToTakeOver: String = "Always"
    package var allowCoOwnership: Bool = false
    /// `serverSideApplyConfig.force`; only meaningful with ServerSideApply.
    package var serverSideApplyForce: Bool?

    package init() {}
}

/// An int-or-string count such as `maxConcurrency` or `maxUnavailable`.
package enum IntOrPercent: Hashable, Sendable, CustomStringConvertible {
    case count(Int)
    case percent(Int)

    /// The effective value for `total` items: a percentage rounds down and is at least 1.
    package func resolve(total: Int) -> Int {
        switch self {
        case let .count(n): return n
        case let .percent(p): return max(1, total * p / 100)
        }
    }

    package var description: String {
        switch self {
        case let .count(n): return String(n)
        case let .percent(p): return "\(p)%"
        }
    }
}
