import Testing
@testable import FleetAPI

@Suite struct StrategyValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var want: [String]
        var testDescription: String { name }
    }

    static let longName = String(repeating: "a", count: 64)

    static let rejected: [Case] = [
        Case(name: "stage name with a dash", yaml: strategyYAML(stages: "- name: prod-east"),
             want: ["spec.stages[0].name: 'prod-east' must match '^[a-z0-9]+$' "
                 + "(lower-case letters and digits)"]),
        Case(name: "stage name of 64 characters", yaml: strategyYAML(stages: "- name: \(longName)"),
             want: ["spec.stages[0].name: '\(longName)' is longer than 63 characters"]),
        Case(name: "upper-case stage name", yaml: strategyYAML(stages: "- name: Prod"),
             want: ["spec.stages[0].name: 'Prod' must match '^[a-z0-9]+$' "
                 + "(lower-case letters and digits)"]),
        Case(name: "duplicate stage names", yaml: strategyYAML(stages: "- name: a\n- name: a"),
             want: ["spec.stages[1].name: stage name 'a' is used by more than one stage"]),
        Case(name: "32 stages",
             yaml: strategyYAML(stages: (0..<32).map { "- name: s\($0)" }.joined(separator: "\n")),
             want: ["spec.stages: must have at most 31 items, got 32"]),
        Case(name: "no stages", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1
            kind: ClusterStagedUpdateStrategy
            metadata:
              name: s
            spec: {}
            """, want: ["spec.stages is required"]),
        Case(name: "stage without a name", yaml: strategyYAML(stages: "- sortingLabelKey: order"),
             want: ["spec.stages[0].name is required"]),
        Case(name: "maxConcurrency 0", yaml: stageYAML("maxConcurrency: 0"),
             want: ["spec.stages[0].maxConcurrency: maxConcurrency must be at least 1"]),
        Case(name: "maxConcurrency -3", yaml: stageYAML("maxConcurrency: -3"),
             want: ["spec.stages[0].maxConcurrency: maxConcurrency must be at least 1"]),
        Case(name: "maxConcurrency 0%", yaml: stageYAML("maxConcurrency: \"0%\""),
             want: ["spec.stages[0].maxConcurrency: '0%' must be an integer, or a percentage "
                 + "from 1% to 100% such as '50%'"]),
        Case(name: "maxConcurrency 101%", yaml: stageYAML("maxConcurrency: \"101%\""),
             want: ["spec.stages[0].maxConcurrency: '101%' must be an integer, or a percentage "
                 + "from 1% to 100% such as '50%'"]),
        Case(name: "maxConcurrency quoted 5", yaml: stageYAML("maxConcurrency: \"5\""),
             want: ["spec.stages[0].maxConcurrency: '5' must be an integer, or a percentage "
                 + "from 1% to 100% such as '50%'"]),
        Case(name: "maxConcurrency 050%", yaml: stageYAML("maxConcurrency: 050%"),
             want: ["spec.stages[0].maxConcurrency: '050%' must be an integer, or a percentage "
                 + "from 1% to 100% such as '50%'"]),
        Case(name: "maxConcurrency as a mapping", yaml: stageYAML("maxConcurrency: {n: 1}"),
             want: ["spec.stages[0].maxConcurrency: expected an integer or a string, "
                 + "got a mapping"]),
        Case(name: "before-stage TimedWait",
             yaml: stageYAML("beforeStageTasks:\n  - type: TimedWait\n    waitTime: 1m"),
             want: ["spec.stages[0].beforeStageTasks[0]: BeforeStageTaskType cannot be TimedWait"]),
        Case(name: "two before-stage tasks",
             yaml: stageYAML("beforeStageTasks:\n  - type: Approval\n  - type: Approval"),
             want: ["spec.stages[0].beforeStageTasks: must have at most 1 item, got 2"]),
        Case(name: "before-stage Approval with waitTime",
             yaml: stageYAML("beforeStageTasks:\n  - type: Approval\n    waitTime: 1m"),
             want: ["spec.stages[0].beforeStageTasks[0]: AfterStageTaskType is Approval, "
                 + "waitTime is not allowed"]),
        Case(name: "after-stage Approval with waitTime",
             yaml: stageYAML("afterStageTasks:\n  - type: Approval\n    waitTime: 1m"),
             want: ["spec.stages[0].afterStageTasks[0]: AfterStageTaskType is Approval, "
                 + "waitTime is not allowed"]),
        Case(name: "after-stage TimedWait without waitTime",
             yaml: stageYAML("afterStageTasks:\n  - type: TimedWait"),
             want: ["spec.stages[0].afterStageTasks[0]: AfterStageTaskType is TimedWait, "
                 + "waitTime is required"]),
        Case(name: "three after-stage tasks",
             yaml: stageYAML("afterStageTasks:\n  - type: Approval\n  - type: Approval\n"
                 + "  - type: Approval"),
             want: ["spec.stages[0].afterStageTasks: must have at most 2 items, got 3"]),
        Case(name: "unknown task type", yaml: stageYAML("afterStageTasks:\n  - type: Sleep"),
             want: ["spec.stages[0].afterStageTasks[0].type: 'Sleep' is not valid, "
                 + "use 'TimedWait' or 'Approval'"]),
        Case(name: "task without a type", yaml: stageYAML("afterStageTasks:\n  - waitTime: 1m"),
             want: ["spec.stages[0].afterStageTasks[0].type is required"]),
        Case(name: "In without values",
             yaml: stageYAML("labelSelector:\n  matchExpressions:\n    - key: env\n"
                 + "      operator: In"),
             want: ["spec.stages[0].labelSelector.matchExpressions[0].values: must not be empty "
                 + "with operator 'In'"]),
        Case(name: "Exists with values",
             yaml: stageYAML("labelSelector:\n  matchExpressions:\n    - key: env\n"
                 + "      operator: Exists\n      values: [a]"),
             want: ["spec.stages[0].labelSelector.matchExpressions[0].values: must be empty "
                 + "with operator 'Exists'"]),
        Case(name: "Gt in a stage selector",
             yaml: stageYAML("labelSelector:\n  matchExpressions:\n    - key: order\n"
                 + "      operator: Gt\n      values: [\"1\"]"),
             want: ["spec.stages[0].labelSelector.matchExpressions[0].operator: 'Gt' is not "
                 + "valid here, use 'In', 'NotIn', 'Exists' or 'DoesNotExist'"]),
        Case(name: "bad matchLabels value",
             yaml: stageYAML("labelSelector:\n  matchLabels:\n    env: \"a b\""),
             want: ["spec.stages[0].labelSelector.matchLabels: value 'a b' must consist of "
                 + "letters, digits, '-', '_' and '.', and start and end with a letter or digit"]),
        Case(name: "stages as a mapping", yaml: """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterStagedUpdateStrategy
            metadata:
              name: s
            spec:
              stages:
                name: a
            """, want: ["spec.stages: expected a list, got a mapping"]),
        Case(name: "several problems in one strategy",
             yaml: strategyYAML(stages: "- name: a-b\n  maxConcurrency: 0\n"
                 + "  beforeStageTasks:\n    - type: TimedWait\n      waitTime: 1m"),
             want: ["spec.stages[0].name: 'a-b' must match '^[a-z0-9]+$' "
                 + "(lower-case letters and digits)",
                 "spec.stages[0].maxConcurrency: maxConcurrency must be at least 1",
                 "spec.stages[0].beforeStageTasks[0]: BeforeStageTaskType cannot be TimedWait"]),
    ]

    @Test(arguments: rejected)
    func rejectsInvalidStrategy(_ test: Case) {
        let decoded = decode(test.yaml)
        #expect(decoded.diagnostics.map(\.message) == test.want)
        #expect(decoded.content == nil)
        #expect(decoded.diagnostics.allSatisfy { $0.object == "ClusterStagedUpdateStrategy/s" })
    }

    @Test(arguments: ["1ms", "01m", "5d", "0", "1.m", "m", "1h 30m", "-1m"])
    func rejectsBadWaitTime(_ text: String) {
        let yaml = stageYAML("afterStageTasks:\n  - type: TimedWait\n    waitTime: \"\(text)\"")
        #expect(messages(yaml) == [
            "spec.stages[0].afterStageTasks[0].waitTime: '\(text)' is not a valid duration, "
                + "write a number with unit h, m or s, such as '1h30m', '90s' or '1.5h'",
        ])
    }

    @Test(arguments: [
        ("1m", 60.0), ("0s", 0), ("1h30m", 5400), ("90s", 90), ("1.5h", 5400), ("10m0s", 600),
    ])
    func acceptsWaitTime(_ text: String, _ seconds: Double) throws {
        let yaml = stageYAML("afterStageTasks:\n  - type: TimedWait\n    waitTime: \(text)")
        let decoded = decode(yaml)
        #expect(decoded.diagnostics == [])
        guard case let .strategy(strategy)? = decoded.fleetObject else {
            Issue.record("not a strategy")
            return
        }
        #expect(strategy.stages[0].afterStageTasks[0].waitTime
            == WaitDuration(text: text, seconds: seconds))
    }

    @Test(arguments: [
        ("maxConcurrency: 1", IntOrPercent.count(1)),
        ("maxConcurrency: 10", .count(10)),
        ("maxConcurrency: 010", .count(10)),
        ("maxConcurrency: 50%", .percent(50)),
        ("maxConcurrency: \"1%\"", .percent(1)),
        ("maxConcurrency: '100%'", .percent(100)),
    ])
    func acceptsMaxConcurrency(_ field: String, _ want: IntOrPercent) {
        guard case let .strategy(strategy)? = decode(stageYAML(field)).fleetObject else {
            Issue.record("not decoded")
            return
        }
        #expect(strategy.stages[0].maxConcurrency == want)
    }

    /// API-valid sets of tasks; the duplicate-type and zero-wait ones fail later, at run init.
    @Test(arguments: [
        "afterStageTasks:\n  - type: Approval\n  - type: Approval",
        "afterStageTasks:\n  - type: TimedWait\n    waitTime: 0s",
        "afterStageTasks:\n  - type: TimedWait\n    waitTime: 1m\n  - type: Approval",
        "beforeStageTasks:\n  - type: Approval",
        "labelSelector: {}",
        "sortingLabelKey: example.com/order",
    ])
    func acceptsStageFields(_ fields: String) {
        #expect(messages(stageYAML(fields)) == [])
    }

    @Test func stageWithoutSelectorSelectsNothing() {
        guard case let .strategy(strategy)? = decode(strategyYAML(stages: "- name: a\n- name: b\n"
            + "  labelSelector: {}")).fleetObject else {
            Issue.record("not decoded")
            return
        }
        #expect(strategy.stages.map(\.labelSelector) == [nil, LabelSelector()])
    }

    @Test func diagnosticPointsAtTheFieldLine() {
        let yaml = strategyYAML(stages: "- name: ok\n- name: b\n  maxConcurrency: 0")
        let diagnostic = decode(yaml, file: "strategies/s.yaml").diagnostics.first
        #expect(diagnostic?.location?.file == "strategies/s.yaml")
        #expect(diagnostic?.location?.line == 9)
        #expect(diagnostic?.description == "strategies/s.yaml:9: ClusterStagedUpdateStrategy/s: "
            + "spec.stages[1].maxConcurrency: maxConcurrency must be at least 1")
    }
}
