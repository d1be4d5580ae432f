import FleetAPI

// Computing a run's stages from a strategy and the member clusters' labels. Initialization
// records the result; validation computes it again on every pass from the run's own copy of
// the strategy and fails the run when membership or order has drifted.

extension Reconciliation {
    /// The stages' clusters, in order, with their task statuses; fails on a bad task list, a
    /// bad selector or sort label, a cluster in two stages, or a cluster in none.
    func computeStages(
        _ configs: [StageConfig], selected: [Binding]
    ) throws(RolloutError) -> [StageUpdatingStatus] {
        let selectedClusters = Set(selected.map(\.targetCluster))
        // Names are sorted, not members: moving whole members costs more than the sort. A
        // tick advancing a thousand runs sorts them once and hands the order in.
        let order = inputs.memberOrder.count == inputs.members.count
            ? inputs.memberOrder : RolloutInputs.sortedNames(of: inputs.members)
        let members = order.compactMap { inputs.members[$0] }
        var placed = Set<String>()
        var stages: [StageUpdatingStatus] = []
        for config in configs {
            if let problem = Self.beforeStageTaskProblem(config.beforeStageTasks) {
                throw .initialization(
                    .user, "the before stage tasks are invalid, updateStrategy: `\(strategyKey)`, "
                        + "stage: \(config.name), err: \(problem)")
            }
            if let problem = Self.afterStageTaskProblem(config.afterStageTasks) {
                throw .initialization(
                    .user, "the after stage tasks are invalid, updateStrategy: `\(strategyKey)`, "
                        + "stage: \(config.name), err: \(problem)")
            }
            var inStage: [(name: String, order: Int)] = []
            if let selector = config.labelSelector {
                if let problem = Self.selectorProblem(selector) {
                    throw .initialization(
                        .user, "the stage label selector is invalid, updateStrategy: "
                            + "`\(strategyKey)`, stage: \(config.name), err: \(problem)")
                }
                for member in members
                where selector.matches(member.labels) && selectedClusters.contains(member.name) {
                    guard placed.insert(member.name).inserted else {
                        throw .initialization(
                            .user, "cluster `\(member.name)` appears in more than one stages")
                    }
                    let order = try sortOrder(of: member, key: config.sortingLabelKey)
                    inStage.append((member.name, order))
                }
            }
            inStage.sort { $0.order != $1.order ? $0.order < $1.order : byteOrder($0.name, $1.name) }
            stages.append(StageUpdatingStatus(
                stageName: config.name,
                clusters: inStage.map { ClusterUpdatingStatus(clusterName: $0.name) },
                beforeStageTaskStatus: taskStatuses(config.beforeStageTasks, stage: config.name,
                                                    kind: .beforeStage),
                afterStageTaskStatus: taskStatuses(config.afterStageTasks, stage: config.name,
                                                   kind: .afterStage)))
        }
        let unplaced = selectedClusters.subtracting(placed).sorted(by: byteOrder)
        if !unplaced.isEmpty {
            throw .initialization(
                .user, "some clusters are not placed in any stage, total \(unplaced.count), "
                    + "showing up to 10: \(unplaced.prefix(10).joined(separator: ", "))")
        }
        return stages
    }

    /// The value of the sorting label parsed as Go's `Atoi` does; 0 when the stage has no key,
    /// so that only names order its clusters.
    func sortOrder(of member: MemberCluster, key: String?) throws(RolloutError) -> Int {
        guard let key else { return 0 }
        let value = member.labels[key] ?? ""
        switch GoStrconv.atoi(value) {
        case let .success(order):
            return order
        case let .failure(failure):
            throw .initialization(
                .user, "the sorting label `\(key):\(value)` on cluster `\(member.name)` is not "
                    + "valid: \(GoStrconv.atoiErrorText(value, failure))")
        }
    }

    func taskStatuses(
        _ tasks: [StageTask], stage: String, kind: ApprovalRequest.TaskType
    ) -> [StageTaskStatus] {
        tasks.map { task in
            switch task.type {
            case .approval:
                let name = ApprovalRequest.name(run: run.meta.name, stage: stage, task: kind)
                return StageTaskStatus(type: .approval, approvalRequestName: name)
            case .timedWait:
                return StageTaskStatus(type: .timedWait)
            }
        }
    }

    // MARK: - Checks KubeFleet makes at run time, beyond what the API accepts

    static func beforeStageTaskProblem(_ tasks: [StageTask]) -> String? {
        if tasks.count > 1 { return "beforeStageTasks can have at most one task" }
        for (index, task) in tasks.enumerated() {
            switch task.type {
            case .timedWait:
                return "task \(index) of type TimedWait is not allowed in beforeStageTasks, "
                    + "allowed type: Approval"
            case .approval:
                if task.waitTime != nil {
                    return "task \(index) of type Approval cannot have wait duration set"
                }
            }
        }
        return nil
    }

    static func afterStageTaskProblem(_ tasks: [StageTask]) -> String? {
        for (index, task) in tasks.enumerated()
        where tasks[..<index].contains(where: { $0.type == task.type }) {
            return "afterStageTasks cannot have two tasks of the same type: \(task.type.rawValue)"
        }
        for (index, task) in tasks.enumerated() {
            switch task.type {
            case .approval:
                continue
            case .timedWait:
                guard let wait = task.waitTime else {
                    return "task \(index) of type TimedWait has wait duration set to nil"
                }
                if wait.seconds <= 0 {
                    return "task \(index) of type TimedWait has wait duration <= 0"
                }
            }
        }
        return nil
    }

    /// What Kubernetes refuses when it turns a stage's label selector into a selector.
    static func selectorProblem(_ selector: LabelSelector) -> String? {
        for requirement in selector.matchExpressions {
            switch requirement.operator {
            case .in, .notIn:
                if requirement.values.isEmpty {
                    return "for 'in', 'notin' operators, values set can't be empty"
                }
            case .exists, .doesNotExist:
                if !requirement.values.isEmpty {
                    return "values set must be empty for exists and does not exist"
                }
            case .gt, .lt:
                return "\(GoStrconv.quote(requirement.operator.rawValue)) is not a valid label "
                    + "selector operator"
            }
        }
        return nil
    }
}

/// How many clusters of a stage may update at once.
package enum MaxConcurrency {
    /// The effective value: a percentage of `clusterCount` rounded down, an integer as given,
    /// and never less than 1 (a value above the count means the whole stage).
    package static func effective(_ value: IntOrPercent?, clusterCount: Int) -> Int {
        max(1, (value ?? .count(1)).resolve(total: clusterCount))
    }
}
