import Foundation
import FleetAPI

/// One scheduling pass over one placement's bindings against its latest policy snapshot.
struct SchedulingCycle {
    struct Outcome {
        var targets: [String]
        var fullyScheduled: Bool
    }

    let placement: Placement
    let policyName: String
    let members: [String: MemberCluster]
    let now: Date
    /// The placement's bindings as given, by name.
    let originals: [String: Binding]
    /// Bindings created or edited in this pass, by name.
    private(set) var changed: [String: Binding] = [:]

    /// Scheduled or Bound on the latest policy snapshot, on a member of the fleet.
    private var current: [Binding] = []
    /// Scheduled or Bound on an older policy snapshot, on a member of the fleet.
    private var obsolete: [Binding] = []
    private var unscheduled: [Binding] = []
    /// The first binding this pass created; later ones are copies of it, so that all of them
    /// share their fields (see `Binding`).
    private var created: Binding?

    init(
        placement: Placement, policyName: String, members: [String: MemberCluster],
        bindings: [Binding], now: Date
    ) {
        self.placement = placement
        self.policyName = policyName
        self.members = members
        self.now = now
        originals = Dictionary(bindings.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    private var affinity: ClusterAffinity? { placement.spec.policy?.affinity }

    mutating func run() -> Outcome {
        classify()
        let policy = placement.spec.policy ?? PlacementPolicy()
        switch policy.placementType {
        case .pickAll: return pickAll()
        case .pickFixed: return pickFixed(policy.clusterNames)
        case .pickN: return pickN(max(0, policy.numberOfClusters ?? 0))
        }
    }

    private mutating func classify() {
        for binding in originals.values.sorted(by: { $0.name < $1.name }) {
            switch binding.state {
            case .unscheduled:
                unscheduled.append(binding)
            case .scheduled, .bound:
                if members[binding.targetCluster] == nil {
                    // The member left the fleet.
                    unschedule(binding)
                } else if binding.schedulingPolicySnapshotName != policyName {
                    obsolete.append(binding)
                } else {
                    current.append(binding)
                }
            }
        }
    }

    // MARK: - Placement types

    private mutating func pickAll() -> Outcome {
        let held = Set(current.map(\.targetCluster))
        let picked = members.keys.sorted().filter { name in
            !held.contains(name) && passesRequired(name)
        }
        crossReference(picked)
        return Outcome(targets: current.map(\.targetCluster) + picked, fullyScheduled: true)
    }

    private mutating func pickFixed(_ clusterNames: [String]) -> Outcome {
        var seen = Set<String>()
        let names = clusterNames.filter { seen.insert($0).inserted }
        let valid = names.filter { members[$0] != nil }
        let validSet = Set(valid)
        var held = Set<String>()
        for binding in current {
            if validSet.contains(binding.targetCluster) {
                held.insert(binding.targetCluster)
            } else {
                unschedule(binding)
            }
        }
        crossReference(valid.filter { !held.contains($0) })
        return Outcome(targets: valid, fullyScheduled: valid.count == names.count)
    }

    private mutating func pickN(_ wanted: Int) -> Outcome {
        let present = current.count
        if wanted <= present {
            var kept = current
            if present - wanted + obsolete.count > 0 {
                for binding in obsolete { unschedule(binding) }
                let trimmed = trimOrder(current).prefix(present - wanted)
                let trimmedNames = Set(trimmed.map(\.meta.name))
                for binding in trimmed { unschedule(binding) }
                kept = current.filter { !trimmedNames.contains($0.name) }
            }
            return Outcome(targets: kept.map(\.targetCluster), fullyScheduled: true)
        }
        let held = Set(current.map(\.targetCluster))
        let formerlyPlaced = Set(obsolete.map(\.targetCluster))
        let candidates = members.values.compactMap { member -> Candidate? in
            guard !held.contains(member.name), passesRequired(member.name) else { return nil }
            return Candidate(
                name: member.name,
                affinity: ClusterAffinityMatching.preferenceScore(affinity, labels: member.labels),
                formerlyPlaced: formerlyPlaced.contains(member.name) ? 1 : 0)
        }
        // Best first; KubeFleet sorts ascending and reverses, so among equal scores the
        // lexicographically greater name wins.
        let picked = candidates.sorted(by: >).prefix(wanted - present).map(\.name)
        crossReference(picked)
        let targets = current.map(\.targetCluster) + picked
        return Outcome(targets: targets, fullyScheduled: targets.count >= wanted)
    }

    /// A PickN candidate's score, compared field by field, then by name.
    private struct Candidate: Comparable {
        var name: String
        var affinity: Int
        /// 1 when the member holds a binding from an older policy snapshot.
        var formerlyPlaced: Int

        static func < (lhs: Candidate, rhs: Candidate) -> Bool {
            (lhs.affinity, lhs.formerlyPlaced, lhs.name)
                < (rhs.affinity, rhs.formerlyPlaced, rhs.name)
        }
    }

    /// The order in which PickN drops bindings when N shrinks: Scheduled before Bound (nothing
    /// runs there yet), then the lowest preference score, then the smaller name.
    private func trimOrder(_ bindings: [Binding]) -> [Binding] {
        func key(_ binding: Binding) -> (Int, Int, String) {
            let labels = members[binding.targetCluster]?.labels ?? [:]
            return (binding.state == .scheduled ? 0 : 1,
                    ClusterAffinityMatching.preferenceScore(affinity, labels: labels),
                    binding.targetCluster)
        }
        return bindings.sorted { key($0) < key($1) }
    }

    private func passesRequired(_ member: String) -> Bool {
        guard let labels = members[member]?.labels else { return false }
        return ClusterAffinityMatching.passesRequired(affinity, labels: labels)
    }

    // MARK: - Bindings

    /// Gives each picked member a binding on the latest policy snapshot: an older binding is
    /// moved to it, an Unscheduled one is restored, otherwise a new one is created. Older
    /// bindings whose member is not picked become Unscheduled.
    private mutating func crossReference(_ picked: [String]) {
        let pickedSet = Set(picked)
        let policyName = policyName
        var handled = Set<String>()
        for binding in obsolete {
            if pickedSet.contains(binding.targetCluster),
               handled.insert(binding.targetCluster).inserted {
                edit(binding) { $0.schedulingPolicySnapshotName = policyName }
            } else {
                unschedule(binding)
            }
        }
        for binding in unscheduled where pickedSet.contains(binding.targetCluster) {
            guard handled.insert(binding.targetCluster).inserted else { continue }
            let previous = binding.meta.annotations[Scheduler.previousStateAnnotation]
                .flatMap(Binding.State.init(rawValue:))
            edit(binding) { restored in
                switch previous {
                case .bound?: restored.state = .bound
                case .scheduled?, .unscheduled?, nil: restored.state = .scheduled
                }
                restored.meta.annotations[Scheduler.previousStateAnnotation] = nil
                restored.schedulingPolicySnapshotName = policyName
            }
        }
        for member in picked where !handled.contains(member) {
            create(member)
        }
    }

    private mutating func create(_ member: String) {
        let name = Binding.name(placement: placement.meta.name, member: member)
        // No parent label: the encoder writes it from `placementName`.
        let meta = ObjectMeta(name: name, namespace: placement.meta.namespace,
                              creationTimestamp: now)
        var binding = created ?? Binding(
            meta: meta, placementName: placement.meta.name, targetCluster: member,
            state: .scheduled, schedulingPolicySnapshotName: policyName)
        binding.meta = meta
        binding.targetCluster = member
        created = created ?? binding
        changed[name] = binding
    }

    private mutating func unschedule(_ binding: Binding) {
        edit(binding) { dropped in
            guard dropped.state != .unscheduled else { return }
            dropped.meta.annotations[Scheduler.previousStateAnnotation] = dropped.state.rawValue
            dropped.state = .unscheduled
        }
    }

    /// Edits a binding, bumping its generation when its spec changes, as the API server does.
    private mutating func edit(_ binding: Binding, _ body: (inout Binding) -> Void) {
        var copy = changed[binding.name] ?? binding
        let before = BindingSpecView(copy)
        body(&copy)
        if BindingSpecView(copy) != before { copy.meta.generation += 1 }
        changed[copy.name] = copy
    }
}

/// The spec fields of a binding, whose change bumps its generation.
struct BindingSpecView: Equatable {
    var state: Binding.State
    var resourceSnapshotName: String?
    var schedulingPolicySnapshotName: String
    var targetCluster: String
    var applyStrategy: ApplyStrategy?

    init(_ binding: Binding) {
        state = binding.state
        resourceSnapshotName = binding.resourceSnapshotName
        schedulingPolicySnapshotName = binding.schedulingPolicySnapshotName
        targetCluster = binding.targetCluster
        applyStrategy = binding.applyStrategy
    }
}
