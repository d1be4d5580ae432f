import FleetAPI
import FleetPlacement
import Foundation

/// The placements a tick must look at. Most ticks after the first concern a few placements:
/// those a new commit touches and those with work under way. Reading only their status files
/// keeps a tick's cost with the change instead of with the fleet and its history.
///
/// A narrower scope is only ever an accelerator: whenever a change can reach every placement
/// (members, strategies, `gitfleet.yaml`, CRDs, a file that does not parse, people's edits
/// of gitfleet's files) or the last tick left no index of placements with work under way, the
/// tick reads everything.
package enum TickScope: Equatable, Sendable {
    case everything
    case placements(Set<ObjectKey>)

    package func contains(_ placement: ObjectKey) -> Bool {
        switch self {
        case .everything: return true
        case let .placements(keys): return keys.contains(placement)
        }
    }

    /// What deciding a scope learnt on the way.
    struct Reading {
        var scope: TickScope
        /// Every version of the placements in scope, at the last processed commit and after.
        var placements: [Placement] = []
        /// Identities of the workloads in the files the new commits add or change.
        var newIdentities: Set<String> = []
    }

    /// The scope of a tick that starts from `hub` (the hub files of the last processed commit)
    /// and processes `inputs`, with `active` the placements the last tick left work for.
    static func read(
        hub: HubContent, inputs: [CommitInput], active: Set<ObjectKey>?
    ) -> Reading {
        var reading = Reading(scope: .everything)
        guard let active else { return reading }
        var hub = hub
        var before = hub.combined()
        guard hub.parseErrors.isEmpty, before.invalidWorkloads.isEmpty else { return reading }
        var versions = Array(before.placements.values)
        var keys = active
        for placement in before.placements.values
        where placement.spec.strategy.type == .rollingUpdate {
            keys.insert(placement.key)
        }
        for input in inputs {
            if input.configChange != nil { return reading }
            var changed: [ChangedWorkload] = []
            var touched: [HubFile] = []
            for path in input.hubChanges.keys.sorted() {
                if let old = hub.files[path] { touched.append(old) }
                let change = hub.apply(path: path, bytes: input.hubChanges[path] ?? nil)
                if change.touchesCRDs { return reading }
                changed += change.workloads
                if let new = hub.files[path] {
                    if new.parseError != nil { return reading }
                    touched.append(new)
                    for workload in new.workloads {
                        if let identity = workload.resource?.identity {
                            reading.newIdentities.insert(identity)
                        }
                    }
                }
            }
            let after = hub.combined()
            for file in touched {
                for ref in file.invalidRefs {
                    switch ref.fleetKind {
                    case .clusterResourcePlacement?, .resourcePlacement?: keys.insert(ref.key)
                    case .clusterStagedUpdateRun?, .stagedUpdateRun?:
                        // The run's placement is unknown until it parses again: its last valid
                        // version names it.
                        guard let run = before.runs[ref.key] ?? after.runs[ref.key] else {
                            return reading
                        }
                        keys.insert(run.placementKey)
                    default: return reading
                    }
                }
                for object in file.objects {
                    switch object {
                    case .memberCluster, .strategy: return reading
                    case let .placement(placement): keys.insert(placement.key)
                    case let .updateRun(run):
                        // A run whose file went may have finished, and only finished runs
                        // that still have a file are known without reading everything.
                        if after.runs[run.key] == nil { return reading }
                        keys.insert(run.placementKey)
                    case .approvalRequest, .resourceSnapshot, .policySnapshot, .placementStatus,
                         .override:
                        continue
                    }
                }
            }
            for placement in Array(before.placements.values) + Array(after.placements.values)
            where changed.contains(where: { TickPlanner.mayAffect($0, placement) }) {
                keys.insert(placement.key)
            }
            versions += after.placements.values
            before = after
        }
        // With most of many placements in scope there is little to skip, and rendering member
        // folders whole is cheaper than file by file; for a handful either way is cheap.
        guard keys.count <= 10 || keys.count * 2 <= before.placements.count else { return reading }
        reading.scope = .placements(keys)
        reading.placements = versions.filter { keys.contains($0.key) }
        return reading
    }
}

extension UpdateRun {
    /// The placement the run rolls out.
    var placementKey: ObjectKey {
        ObjectKey(namespace: meta.namespace, name: spec.placementName)
    }
}

/// Which status files belong to the placements of a scope, told from their paths: gitfleet
/// names snapshots and policy snapshots after their placement, and approval requests after
/// their run.
///
/// Runs are read by name, not by placement: the unfinished ones and those people commit.
/// A finished run per commit never changes again, and a placement gathers one per change
/// over its life, so reading them would make a tick grow with the history; the tick learns
/// what it needs of them (the snapshot each rolled out) from their names.
struct StatusAttribution {
    let scope: Set<ObjectKey>
    /// The unfinished runs, and every run people commit (few, and a refused change to one is
    /// reported on every tick).
    let runs: Set<ObjectKey>

    func placementStatus(_ key: ObjectKey) -> Bool { scope.contains(key) }

    /// `<placement>-<index>-snapshot`.
    func resourceSnapshot(_ key: ObjectKey) -> Bool {
        guard key.name.hasSuffix("-snapshot") else { return false }
        return policySnapshot(ObjectKey(
            namespace: key.namespace, name: String(key.name.dropLast("-snapshot".count))))
    }

    /// `<placement>-<index>`.
    func policySnapshot(_ key: ObjectKey) -> Bool {
        guard let (base, _) = Self.splitIndex(key.name, separator: "-") else { return false }
        return scope.contains(ObjectKey(namespace: key.namespace, name: base))
    }

    func run(_ key: ObjectKey) -> Bool { runs.contains(key) }

    /// `<run>-before-<stage>` or `<run>-after-<stage>` for a loaded run.
    static func approvalRequest(_ key: ObjectKey, runs: Set<ObjectKey>) -> Bool {
        runs.contains { run in
            run.namespace == key.namespace
                && (key.name.hasPrefix(run.name + "-before-")
                    || key.name.hasPrefix(run.name + "-after-"))
        }
    }

    /// `name` as `<base><separator><digits>`.
    static func splitIndex(_ name: String, separator: String) -> (String, Int)? {
        guard let range = name.range(of: separator, options: .backwards),
              let index = Int(name[range.upperBound...]), index >= 0,
              name[range.upperBound...].allSatisfy(\.isASCII)
        else { return nil }
        return (String(name[..<range.lowerBound]), index)
    }
}
