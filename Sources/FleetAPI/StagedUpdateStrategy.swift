/// A ClusterStagedUpdateStrategy or StagedUpdateStrategy: the stages a run goes through.
package struct StagedUpdateStrategy: Hashable, Sendable {
    package var meta: ObjectMeta
    package var stages: [StageConfig]

    package init(meta: ObjectMeta, stages: [StageConfig]) {
        self.meta = meta
        self.stages = stages
    }

    package var scope: FleetScope { meta.namespace == nil ? .cluster : .namespaced }
    package var key: ObjectKey { meta.key }
}

package struct StageConfig: Hashable, Sendable {
    package var name: String
    /// nil selects no cluster; an empty selector selects every cluster the placement picked.
    package var labelSelector: LabelSelector?
    package var sortingLabelKey: String?
    /// nil means the default of 1.
    package var maxConcurrency: IntOrPercent?
    package var beforeStageTasks: [StageTask]
    package var afterStageTasks: [StageTask]

    package init(
        name: String, labelSelector: LabelSelector? = nil, sortingLabelKey: String? = nil,
        maxConcurrency: IntOrPercent? = nil, beforeStageTasks: [StageTask] = [],
        afterStageTasks: [StageTask] = []
    ) {
        self.name = name
        self.labelSelector = labelSelector
        self.sortingLabelKey = sortingLabelKey
        self.maxConcurrency = maxConcurrency
        self.beforeStageTasks = beforeStageTasks
        self.afterStageTasks = afterStageTasks
    }
}

package struct StageTask: Hashable, Sendable {
    package enum TaskType: String, CaseIterable, Hashable, Sendable {
        case timedWait = "TimedWait"
        case approval = "Approval"
    }

    package var type: TaskType
    package var waitTime: WaitDuration?

    package init(type: TaskType, waitTime: WaitDuration? = nil) {
        self.type = type
        self.waitTime = waitTime
    }
}

/// A `waitTime` such as `1h30m` or `90s`: the text as written and its length in seconds.
package struct WaitDuration: Hashable, Sendable, CustomStringConvertible {
    package var text: String
    package var seconds: Double

    package init(text: String, seconds: Double) {
        self.text = text
        self.seconds = seconds
    }

    /// Parses `^(?:(?:0|[1-9][0-9]*)(\.[0-9]+)?(?:s|m|h))+$`; nil when the text does not match.
    package init?(parsing text: String) {
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCII && $0.isNumber }
            guard !whole.isEmpty, whole == "0" || !whole.hasPrefix("0") else { return nil }
            rest = rest.dropFirst(whole.count)
            var number = String(whole)
            if rest.first == "." {
                let fraction = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                guard !fraction.isEmpty else { return nil }
                number += "." + fraction
                rest = rest.dropFirst(1 + fraction.count)
            }
            guard let unit = rest.first, let value = Double(number) else { return nil }
            switch unit {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            rest = rest.dropFirst()
        }
        self.init(text: text, seconds: total)
    }

    /// Go's duration form (`1m` is `1m0s`), which KubeFleet writes into a run's strategy copy.
    package var goString: String {
        if seconds == 0 { return "0s" }
        let whole = Int(seconds)
        let hours = whole / 3600, minutes = (whole % 3600) / 60
        let rest = seconds - Double(hours * 3600 + minutes * 60)
        let secondsText = rest == rest.rounded() ? String(Int(rest)) : String(rest)
        if hours > 0 { return "\(hours)h\(minutes)m\(secondsText)s" }
        if minutes > 0 { return "\(minutes)m\(secondsText)s" }
        return "\(secondsText)s"
    }

    package var description: String { text }
}
