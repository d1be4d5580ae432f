import Foundation
import FleetAPI

/// The columns `gitfleet get` prints for each kind: KubeFleet's printer columns
/// (rollout-semantics.md section 9), after NAME, with `-o wide` adding the priority-1 ones.
package enum PrinterColumns {
    /// The table for `items`, all of `kind`. `showNamespace` adds a NAMESPACE column first for
    /// namespaced kinds, as `-A` does; `now` is the clock AGE counts from.
    package static func table(
        for items: [FleetItem], kind: FleetKind, wide: Bool, showNamespace: Bool, now: Date
    ) -> Table {
        let columns = self.columns(for: kind).filter { wide || !$0.wideOnly }
        let namespaced = showNamespace && kind.scope == .namespaced
        let headers = (namespaced ? ["NAMESPACE"] : []) + ["NAME"] + columns.map(\.header)
        let rows = items.map { item in
            let row = RowContext(age: Age.since(item.creationDate, now: now))
            return (namespaced ? [item.meta.namespace ?? ""] : []) + [item.meta.name]
                + columns.map { $0.cell(item, row) }
        }
        return Table(headers: headers, rows: rows)
    }

    /// The header row of `kind`'s table, for help and tests.
    package static func headers(for kind: FleetKind, wide: Bool) -> [String] {
        ["NAME"] + columns(for: kind).filter { wide || !$0.wideOnly }.map(\.header)
    }

    // MARK: - Columns per kind

    private static func columns(for kind: FleetKind) -> [Column<FleetItem>] {
        switch kind {
        case .memberCluster:
            return erase(memberColumns) { if case let .memberCluster(m) = $0 { m } else { nil } }
        case .clusterResourcePlacement, .resourcePlacement:
            return erase(placementColumns) {
                if case let .placement(placement, status) = $0 {
                    PlacementRow(placement: placement, status: status)
                } else {
                    nil
                }
            }
        case .clusterStagedUpdateStrategy, .stagedUpdateStrategy:
            return [.age]
        case .clusterStagedUpdateRun, .stagedUpdateRun:
            return erase(updateRunColumns) { if case let .updateRun(r) = $0 { r } else { nil } }
        case .clusterApprovalRequest, .approvalRequest:
            return erase(approvalColumns) {
                if case let .approvalRequest(r) = $0 { r } else { nil }
            }
        case .clusterResourceSnapshot, .resourceSnapshot,
             .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot:
            return [Column("GEN") { item, _ in String(item.meta.generation) }, .age]
        case .clusterResourceBinding, .resourceBinding:
            return erase(bindingColumns) { if case let .binding(b) = $0 { b } else { nil } }
        case .clusterResourceOverride, .resourceOverride, .clusterResourceOverrideSnapshot,
             .resourceOverrideSnapshot:
            return [.age]
        }
    }

    private static let updateRunColumns: [Column<UpdateRun>] = [
        Column("PLACEMENT") { run, _ in run.spec.placementName },
        Column("RESOURCE-SNAPSHOT-INDEX") { run, _ in run.spec.resourceSnapshotIndex ?? "" },
        Column("POLICY-SNAPSHOT-INDEX") { run, _ in run.status.policySnapshotIndexUsed ?? "" },
        Column("INITIALIZED") { run, _ in status(run.status.conditions, .initialized) },
        Column("PROGRESSING") { run, _ in status(run.status.conditions, .progressing) },
        Column("SUCCEEDED") { run, _ in status(run.status.conditions, .succeeded) },
        .age,
        Column("STRATEGY", wideOnly: true) { run, _ in run.spec.stagedRolloutStrategyName },
    ]

    private static let approvalColumns: [Column<ApprovalRequest>] = [
        Column("UPDATE-RUN") { request, _ in request.parentStageRollout },
        Column("STAGE") { request, _ in request.targetStage },
        Column("APPROVED") { request, _ in status(request.conditions, .approved) },
        .age,
    ]

    /// A placement and its status, the two halves a placement row reads.
    private struct PlacementRow {
        var placement: Placement
        var status: PlacementStatus?

        func condition(_ type: PlacementConditionType) -> Condition<PlacementConditionType>? {
            status?.conditions[type]
        }
    }

    private static let placementColumns: [Column<PlacementRow>] = [
        Column("GEN") { row, _ in String(row.placement.meta.generation) },
        // KubeFleet defaults a missing policy to PickAll, and so does gitfleet.
        Column("TYPE", wideOnly: true) { row, _ in
            (row.placement.spec.policy?.placementType ?? .pickAll).rawValue
        },
        Column("SCHEDULED") { row, _ in row.condition(.scheduled)?.status.rawValue ?? "" },
        Column("SCHEDULED-GEN") { row, _ in generation(row.condition(.scheduled)) },
        Column("WORK-SYNCHRONIZED", wideOnly: true) { row, _ in
            row.condition(.workSynchronized)?.status.rawValue ?? ""
        },
        Column("WORK-SYNCHRONIZED-GEN", wideOnly: true) { row, _ in
            generation(row.condition(.workSynchronized))
        },
        Column("AVAILABLE") { row, _ in row.condition(.available)?.status.rawValue ?? "" },
        Column("AVAILABLE-GEN") { row, _ in generation(row.condition(.available)) },
        .age,
    ]

    private static let bindingColumns: [Column<Binding>] = [
        Column("WORKSYNCHRONIZED") { binding, _ in status(binding.conditions, .workSynchronized) },
        Column("RESOURCESAPPLIED") { binding, _ in status(binding.conditions, .applied) },
        Column("RESOURCEAVAILABLE", wideOnly: true) { binding, _ in
            status(binding.conditions, .available)
        },
        .age,
    ]

    /// gitfleet has no agent on members, so only JOINED (every member in the repository has
    /// joined) and AGE have values; the other columns stay blank, as kubectl shows them for a
    /// member whose agent never reported.
    private static let memberColumns: [Column<MemberCluster>] = [
        Column("JOINED") { _, _ in ConditionStatus.true.rawValue },
        .age,
        Column("MEMBER-AGENT-LAST-SEEN") { _, _ in "" },
        Column("NODE-COUNT") { _, _ in "" },
        Column("AVAILABLE-CPU") { _, _ in "" },
        Column("AVAILABLE-MEMORY") { _, _ in "" },
        Column("ALLOCATABLE-CPU", wideOnly: true) { _, _ in "" },
        Column("ALLOCATABLE-MEMORY", wideOnly: true) { _, _ in "" },
    ]

    // MARK: - Helpers

    private static func status<Kind>(_ conditions: Conditions<Kind>, _ type: Kind) -> String {
        conditions[type]?.status.rawValue ?? ""
    }

    private static func generation<Kind>(_ condition: Condition<Kind>?) -> String {
        condition.map { String($0.observedGeneration) } ?? ""
    }

    /// Turns columns over one object type into columns over items of the matching case.
    private static func erase<Object>(
        _ columns: [Column<Object>], _ extract: @escaping @Sendable (FleetItem) -> Object?
    ) -> [Column<FleetItem>] {
        columns.map { column in
            Column<FleetItem>(column.header, wideOnly: column.wideOnly) { item, row in
                extract(item).map { column.cell($0, row) } ?? ""
            }
        }
    }
}

/// What a row knows besides its object.
private struct RowContext {
    var age: String
}

/// One printer column: its header, whether only `-o wide` shows it, and how to fill a cell.
private struct Column<Object>: Sendable {
    var header: String
    var wideOnly: Bool
    var cell: @Sendable (Object, RowContext) -> String

    init(_ header: String, wideOnly: Bool = false,
         cell: @escaping @Sendable (Object, RowContext) -> String) {
        self.header = header
        self.wideOnly = wideOnly
        self.cell = cell
    }

    /// AGE, from the row's creation time.
    static var age: Column { Column("AGE") { _, row in row.age } }
}
