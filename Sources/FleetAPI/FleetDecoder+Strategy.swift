import FleetYAML

// Staged update strategies and update runs' specs.
extension FleetDecoder {
    static let maxStages = 31
    static let maxStageNameLength = 63
    static let maxBeforeStageTasks = 1
    static let maxAfterStageTasks = 2
    static let maxPlacementNameLength = 255

    static func strategy(_ root: NodeReader, meta: ObjectMeta) -> StagedUpdateStrategy? {
        guard let spec = root.required("spec")?.asMapping(),
              let stages = stages(spec, required: true) else { return nil }
        return StagedUpdateStrategy(meta: meta, stages: stages)
    }

    /// `stages` of a strategy spec (or of a run's copy of one).
    static func stages(_ parent: NodeReader, required: Bool) -> [StageConfig]? {
        let field = required ? parent.required("stages") : parent.field("stages")
        guard let items = field?.asList() else { return nil }
        checkCount(parent, "stages", items.count, max: maxStages)
        var stages: [StageConfig] = []
        var seen: Set<String> = []
        for item in items {
            guard let stage = stageConfig(item) else { continue }
            // KubeFleet documents unique stage names but never checks them; gitfleet does.
            if !seen.insert(stage.name).inserted {
                item.error("stage name '\(stage.name)' is used by more than one stage",
                           field: "name")
            }
            stages.append(stage)
        }
        return stages
    }

    private static func stageConfig(_ item: NodeReader) -> StageConfig? {
        guard let item = item.asMapping() else { return nil }
        let name = item.requiredString("name")
        if let name {
            if name.utf8.count > maxStageNameLength {
                item.error("'\(name)' is longer than \(maxStageNameLength) characters",
                           field: "name")
            } else if name.isEmpty || !name.utf8.allSatisfy(isLowerAlnum) {
                item.error("'\(name)' must match '^[a-z0-9]+$' (lower-case letters and digits)",
                           field: "name")
            }
        }
        let selector = item.mapping("labelSelector").map { labelSelector($0) }
        let sortingLabelKey = item.string("sortingLabelKey")
        if let sortingLabelKey, let problem = KubernetesName.keyProblem(sortingLabelKey) {
            item.error(problem, field: "sortingLabelKey")
        }
        let concurrency = maxConcurrency(item)
        let before = tasks(item, "beforeStageTasks", max: maxBeforeStageTasks, before: true)
        let after = tasks(item, "afterStageTasks", max: maxAfterStageTasks, before: false)
        guard let name else { return nil }
        return StageConfig(name: name, labelSelector: selector, sortingLabelKey: sortingLabelKey,
                           maxConcurrency: concurrency, beforeStageTasks: before,
                           afterStageTasks: after)
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
    }

    /// An integer >= 1 or a string matching `^(100|[1-9][0-9]?)%$`; a quoted number is a
    /// string, so `"5"` is refused as the API server refuses it.
    private static func maxConcurrency(_ stage: NodeReader) -> IntOrPercent? {
        guard let field = stage.field("maxConcurrency"), let value = field.asIntOrString() else {
            return nil
        }
        switch value {
        case let .int(n):
            if n >= 1 { return .count(n) }
            field.error("maxConcurrency must be at least 1")
        case let .string(text):
            if let percent = percentage(text), (1...100).contains(percent) {
                return .percent(percent)
            }
            field.error("'\(text)' must be an integer, or a percentage from 1% to 100% "
                + "such as '50%'")
        }
        return nil
    }

    private static func tasks(
        _ stage: NodeReader, _ key: String, max: Int, before: Bool
    ) -> [StageTask] {
        guard let items = stage.list(key) else { return [] }
        checkCount(stage, key, items.count, max: max)
        return items.compactMap { item -> StageTask? in
            guard let item = item.asMapping() else { return nil }
            let type = item.required("type")?.asEnum(StageTask.TaskType.self)
            var waitTime: WaitDuration?
            if let field = item.field("waitTime"), let text = field.asString() {
                waitTime = WaitDuration(parsing: text)
                if waitTime == nil {
                    field.error("'\(text)' is not a valid duration, write a number with unit "
                        + "h, m or s, such as '1h30m', '90s' or '1.5h'")
                }
            }
            let hasWaitTime = item.has("waitTime")
            // KubeFleet's CEL messages, reused as is (the before-stage one says "AfterStage").
            switch type {
            case .timedWait?:
                if before {
                    item.error("BeforeStageTaskType cannot be TimedWait")
                } else if !hasWaitTime {
                    item.error("AfterStageTaskType is TimedWait, waitTime is required")
                }
            case .approval?:
                if hasWaitTime { item.error("AfterStageTaskType is Approval, waitTime is not allowed") }
            case nil:
                return nil
            }
            return type.map { StageTask(type: $0, waitTime: waitTime) }
        }
    }

    // MARK: - Update runs

    static func updateRun(
        _ root: NodeReader, meta: ObjectMeta, file: String, source: DocumentSource
    ) -> UpdateRun? {
        var meta = meta
        let annotation = meta.annotations.removeValue(forKey: FleetAnnotation.origin)
        let origin: UpdateRunOrigin?
        switch source {
        case .repository:
            origin = .committed(file: file)
        case .status:
            origin = annotation.flatMap(UpdateRunOrigin.init(annotation:))
            if origin == nil {
                let metadata = root.mapping("metadata")
                let message = "annotation '\(FleetAnnotation.origin)' must be 'commit:<sha>' or "
                    + "'file:<path>'" + (annotation.map { ", got '\($0)'" } ?? "")
                if annotation == nil {
                    metadata?.error(message)
                } else {
                    metadata?.error(message, field: "annotations")
                }
            }
        }
        let spec = root.required("spec")?.asMapping().flatMap(updateRunSpec)
        var status = UpdateRunStatus()
        if source == .status, let field = root.mapping("status") {
            status = updateRunStatus(field)
        }
        guard let spec, let origin else { return nil }
        return UpdateRun(meta: meta, spec: spec, status: status, origin: origin)
    }

    private static func updateRunSpec(_ spec: NodeReader) -> UpdateRunSpec? {
        let placementName = spec.requiredString("placementName")
        if let placementName {
            if placementName.isEmpty {
                spec.error("must not be empty", field: "placementName")
            } else if placementName.utf8.count > maxPlacementNameLength {
                spec.error("must be at most \(maxPlacementNameLength) characters",
                           field: "placementName")
            }
        }
        let index = spec.string("resourceSnapshotIndex")
        let strategyName = spec.requiredString("stagedRolloutStrategyName")
        if strategyName?.isEmpty == true {
            spec.error("must not be empty", field: "stagedRolloutStrategyName")
        }
        let state = spec.enumValue("state", UpdateRunState.self) ?? .initialize
        guard let placementName, let strategyName else { return nil }
        return UpdateRunSpec(placementName: placementName, resourceSnapshotIndex: index,
                             stagedRolloutStrategyName: strategyName, state: state)
    }
}

extension UpdateRunSpec {
    /// The API server's rules for changing a run's spec from `old` to this one (KubeFleet's CEL
    /// transition rules and their messages); empty when the change is allowed.
    package func transitionErrors(from old: UpdateRunSpec) -> [String] {
        var errors: [String] = []
        if placementName != old.placementName { errors.append("placementName is immutable") }
        if let index = resourceSnapshotIndex, let oldIndex = old.resourceSnapshotIndex,
           index != oldIndex {
            errors.append("resourceSnapshotIndex is immutable")
        }
        if stagedRolloutStrategyName != old.stagedRolloutStrategyName {
            errors.append("stagedRolloutStrategyName is immutable")
        }
        switch (old.state, state) {
        case (.initialize, .stop), (.run, .initialize), (.stop, .initialize):
            errors.append("invalid state transition: cannot transition from "
                + "\(old.state.rawValue) to \(state.rawValue)")
        case (.initialize, .initialize), (.initialize, .run), (.run, .run), (.run, .stop),
             (.stop, .stop), (.stop, .run):
            break
        }
        return errors
    }
}
