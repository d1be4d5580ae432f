import FleetYAML

// Placements: spec, policy, rollout strategy and the label selectors they share.
extension FleetDecoder {
    static let maxResourceSelectors = 100
    static let maxClusterNames = 100

    static func placement(_ root: NodeReader, meta: ObjectMeta) -> Placement? {
        guard let spec = root.required("spec")?.asMapping() else { return nil }
        let placementSpec = placementSpec(spec)
        if let strategyName = meta.annotations[FleetAnnotation.stagedUpdateStrategy] {
            let annotations = root.mapping("metadata")?.field("annotations")
            if let problem = KubernetesName.subdomainProblem(strategyName) {
                annotations?.error("annotation '\(FleetAnnotation.stagedUpdateStrategy)': \(problem)")
            } else if placementSpec?.strategy.type != .external {
                annotations?.error("annotation '\(FleetAnnotation.stagedUpdateStrategy)' needs "
                    + "spec.strategy.type 'External'")
            }
        }
        return placementSpec.map { Placement(meta: meta, spec: $0) }
    }

    static func placementSpec(_ spec: NodeReader) -> PlacementSpec? {
        var selectors: [ResourceSelector] = []
        if let items = spec.required("resourceSelectors")?.asList() {
            checkCount(spec, "resourceSelectors", items.count, min: 1, max: maxResourceSelectors)
            selectors = items.compactMap(resourceSelector)
        }
        let policy = spec.mapping("policy").flatMap(placementPolicy)
        var strategy = RolloutStrategy()
        if let field = spec.mapping("strategy") { strategy = rolloutStrategy(field) }
        var limit = PlacementSpec.defaultRevisionHistoryLimit
        if let field = spec.field("revisionHistoryLimit"), let value = field.asInt() {
            if !(1...1000).contains(value) {
                field.error("must be between 1 and 1000, got \(value)")
            }
            limit = value
        }
        return PlacementSpec(resourceSelectors: selectors, policy: policy, strategy: strategy,
                             revisionHistoryLimit: limit)
    }

    /// Reports a list whose length is out of `min...max`.
    static func checkCount(_ parent: NodeReader, _ key: String, _ count: Int, min: Int = 0, max: Int) {
        if count < min {
            parent.error("must have at least \(min) item\(min == 1 ? "" : "s")", field: key)
        } else if count > max {
            parent.error("must have at most \(max) item\(max == 1 ? "" : "s"), got \(count)",
                         field: key)
        }
    }

    private static func resourceSelector(_ item: NodeReader) -> ResourceSelector? {
        guard let item = item.asMapping() else { return nil }
        let group = item.requiredString("group")
        let version = item.requiredString("version")
        let kind = item.requiredString("kind")
        for (key, value) in [("version", version), ("kind", kind)] where value?.isEmpty == true {
            item.error("must not be empty", field: key)
        }
        let name = item.string("name")
        let selector = item.mapping("labelSelector").map { labelSelector($0) }
        if name != nil, item.has("labelSelector") {
            item.error("name and labelSelector are mutually exclusive in a resource selector")
        }
        let scope = item.enumValue("selectionScope", ResourceSelector.SelectionScope.self)
        guard let group, let version, let kind else { return nil }
        return ResourceSelector(group: group, version: version, kind: kind, name: name,
                                labelSelector: selector,
                                selectionScope: scope ?? .namespaceWithResources)
    }

    // MARK: - Policy

    static func placementPolicy(_ policy: NodeReader) -> PlacementPolicy? {
        let type = policy.enumValue("placementType", PlacementPolicy.PlacementType.self) ?? .pickAll
        let clusterNames = policy.stringList("clusterNames") ?? []
        let numberField = policy.field("numberOfClusters")
        let numberOfClusters = numberField?.asInt()
        let affinity = policy.mapping("affinity").flatMap(clusterAffinity)
        // Topology spread constraints and tolerations are checked only where they are forbidden;
        // gitfleet's scheduler does not model them, so elsewhere they are accepted and ignored.
        let hasSpread = !(policy.field("topologySpreadConstraints")?.node.items?.isEmpty ?? true)
        let hasTolerations = !(policy.field("tolerations")?.node.items?.isEmpty ?? true)
        let typeName = "placementType '\(type.rawValue)'"
        switch type {
        case .pickAll:
            if !clusterNames.isEmpty { policy.error("not allowed with \(typeName)", field: "clusterNames") }
            if numberField != nil {
                policy.error("not allowed with \(typeName)", field: "numberOfClusters")
            }
            if hasSpread {
                policy.error("not allowed with \(typeName)", field: "topologySpreadConstraints")
            }
        case .pickN:
            if !clusterNames.isEmpty { policy.error("not allowed with \(typeName)", field: "clusterNames") }
            if numberField == nil {
                policy.log.report("\(policy.childPath("numberOfClusters")) is required with "
                    + typeName, at: policy.location)
            } else if let n = numberOfClusters, n < 0 {
                numberField?.error("must be at least 0, got \(n)")
            }
        case .pickFixed:
            checkCount(policy, "clusterNames", clusterNames.count, max: maxClusterNames)
            for (key, present) in [("affinity", policy.has("affinity")),
                                   ("numberOfClusters", numberField != nil),
                                   ("topologySpreadConstraints", hasSpread),
                                   ("tolerations", hasTolerations)] where present {
                policy.error("not allowed with \(typeName)", field: key)
            }
        }
        if let names = policy.list("clusterNames") {
            for item in names {
                if let name = item.node.scalar?.text,
                   let problem = KubernetesName.subdomainProblem(name, maxLength: 63) {
                    item.error(problem)
                }
            }
        }
        return PlacementPolicy(placementType: type, clusterNames: clusterNames,
                               numberOfClusters: numberOfClusters, affinity: affinity)
    }

    /// `affinity.clusterAffinity`. A selector term is read by its labelSelector; a term without
    /// one matches every cluster. Property selectors and sorters are not modelled and ignored.
    private static func clusterAffinity(_ affinity: NodeReader) -> ClusterAffinity? {
        guard let cluster = affinity.mapping("clusterAffinity") else { return nil }
        var required: [LabelSelector]?
        if let field = cluster.mapping("requiredDuringSchedulingIgnoredDuringExecution") {
            required = field.required("clusterSelectorTerms")?.asList()?.map { term in
                term.asMapping()?.mapping("labelSelector")
                    .map { labelSelector($0, numeric: true) } ?? LabelSelector()
            }
        }
        var preferred: [ClusterAffinity.PreferredTerm] = []
        for item in cluster.list("preferredDuringSchedulingIgnoredDuringExecution") ?? [] {
            guard let item = item.asMapping() else { continue }
            let weightField = item.required("weight")
            let weight = weightField?.asInt()
            if let weight, !(-100...100).contains(weight) {
                weightField?.error("must be between -100 and 100, got \(weight)")
            }
            let preference = item.required("preference")?.asMapping()
            let selector = preference?.mapping("labelSelector")
                .map { labelSelector($0, numeric: true) } ?? LabelSelector()
            if let weight {
                preferred.append(ClusterAffinity.PreferredTerm(weight: weight, preference: selector))
            }
        }
        return ClusterAffinity(requiredTerms: required, preferred: preferred)
    }

    // MARK: - Rollout strategy

    private static func rolloutStrategy(_ strategy: NodeReader) -> RolloutStrategy {
        let type = strategy.enumValue("type", RolloutStrategy.StrategyType.self) ?? .rollingUpdate
        var rollingUpdate: RollingUpdateConfig?
        if let field = strategy.mapping("rollingUpdate") {
            if type == .external {
                field.error("not allowed with strategy type 'External'")
            }
            var config = RollingUpdateConfig()
            if let value = percentOrCount(field, "maxUnavailable") { config.maxUnavailable = value }
            if let value = percentOrCount(field, "maxSurge") { config.maxSurge = value }
            if let periodField = field.field("unavailablePeriodSeconds"),
               let period = periodField.asInt() {
                if period < 0 { periodField.error("must be at least 0, got \(period)") }
                config.unavailablePeriodSeconds = period
            }
            rollingUpdate = config
        }
        let apply = strategy.mapping("applyStrategy").map(applyStrategy) ?? ApplyStrategy()
        return RolloutStrategy(type: type, rollingUpdate: rollingUpdate, applyStrategy: apply)
    }

    /// `maxUnavailable` / `maxSurge`: an integer >= 0 or a percentage from 0% to 100%.
    private static func percentOrCount(_ parent: NodeReader, _ key: String) -> IntOrPercent? {
        guard let field = parent.field(key), let value = field.asIntOrString() else { return nil }
        switch value {
        case let .int(n):
            if n >= 0 { return .count(n) }
            field.error("must be at least 0, got \(n)")
        case let .string(text):
            if let percent = percentage(text), percent <= 100 { return .percent(percent) }
            field.error("'\(text)' must be an integer, or a percentage from 0% to 100%")
        }
        return nil
    }

    /// `N%` with N written without leading zeros (`0%` allowed), else nil.
    static func percentage(_ text: String) -> Int? {
        guard text.hasSuffix("%") else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              digits == "0" || !digits.hasPrefix("0") else { return nil }
        return Int(digits)
    }

    static let applyTypes = ["ClientSideApply", "ServerSideApply", "ReportDiff"]
    static let comparisonOptions = ["PartialComparison", "FullComparison"]
    static let whenToApplyValues = ["Always", "IfNotDrifted"]
    static let whenToTakeOverValues = ["Always", "IfNoDiff", "Never"]

    /// `strategy.applyStrategy` with KubeFleet's defaults; `serverSideApplyConfig.force`
    /// defaults to false for ServerSideApply and stays unset otherwise.
    static func applyStrategy(_ field: NodeReader) -> ApplyStrategy {
        var apply = ApplyStrategy()
        func choice(_ key: String, _ allowed: [String], _ set: (String) -> Void) {
            guard let valueField = field.field(key), let value = valueField.asString() else { return }
            if allowed.contains(value) {
                set(value)
            } else {
                let names = allowed.map { "'\($0)'" }
                valueField.error("'\(value)' is not valid, use "
                    + names.dropLast().joined(separator: ", ") + " or " + (names.last ?? ""))
            }
        }
        choice("type", applyTypes) { apply.type = $0 }
        choice("comparisonOption", comparisonOptions) { apply.comparisonOption = $0 }
        choice("whenToApply", whenToApplyValues) { apply.whenToApply = $0 }
        choice("whenToTakeOver", whenToTakeOverValues) { apply.whenToTakeOver = $0 }
        if let allow = field.bool("allowCoOwnership") { apply.allowCoOwnership = allow }
        if let force = field.mapping("serverSideApplyConfig")?.bool("force") {
            apply.serverSideApplyForce = force
        } else if apply.type == "ServerSideApply" {
            apply.serverSideApplyForce = false
        }
        return apply
    }

    // MARK: - Label selectors

    /// A `metav1.LabelSelector`; `numeric` also allows `Gt`/`Lt`, as cluster affinity does.
    static func labelSelector(_ field: NodeReader, numeric: Bool = false) -> LabelSelector {
        var selector = LabelSelector()
        if let labels = field.field("matchLabels"), let map = labels.asStringMap() {
            checkLabels(map, field: labels)
            selector.matchLabels = map
        }
        for item in field.list("matchExpressions") ?? [] {
            guard let item = item.asMapping() else { continue }
            let key = item.requiredString("key")
            if let key, let problem = KubernetesName.keyProblem(key) {
                item.error(problem, field: "key")
            }
            let op = item.required("operator")?.asEnum(LabelSelector.Operator.self)
            let values = item.stringList("values") ?? []
            guard let key, let op else { continue }
            switch op {
            case .in, .notIn:
                if values.isEmpty {
                    item.error("must not be empty with operator '\(op.rawValue)'", field: "values")
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    item.error("must be empty with operator '\(op.rawValue)'", field: "values")
                }
            case .gt, .lt:
                if !numeric {
                    item.error("'\(op.rawValue)' is not valid here, use 'In', 'NotIn', 'Exists' "
                        + "or 'DoesNotExist'", field: "operator")
                } else if values.count != 1 || Int(values[0]) == nil {
                    item.error("must be one integer with operator '\(op.rawValue)'",
                               field: "values")
                }
            }
            selector.matchExpressions.append(
                LabelSelector.Requirement(key: key, operator: op, values: values))
        }
        return selector
    }
}
