import FleetAPI

/// The rules KubeFleet's API server applies when a run's spec is edited; the engine compares
/// a committed spec with the previous one and refuses the edit when this returns a message.
package enum UpdateRunSpecChange {
    /// KubeFleet's message for the first rule `new` breaks, or nil when the edit is allowed.
    package static func validate(old: UpdateRunSpec, new: UpdateRunSpec) -> String? {
        if old.placementName != new.placementName {
            return "placementName is immutable"
        }
        // A transition rule, so it only applies when both sides give an index.
        if let before = old.resourceSnapshotIndex, let after = new.resourceSnapshotIndex,
           before != after {
            return "resourceSnapshotIndex is immutable"
        }
        if old.stagedRolloutStrategyName != new.stagedRolloutStrategyName {
            return "stagedRolloutStrategyName is immutable"
        }
        switch (old.state, new.state) {
        case (.initialize, .stop), (.run, .initialize), (.stop, .initialize):
            return "invalid state transition: cannot transition from \(old.state.rawValue) to "
                + "\(new.state.rawValue)"
        case (.initialize, .initialize), (.initialize, .run), (.run, .run), (.run, .stop),
             (.stop, .stop), (.stop, .run):
            return nil
        }
    }
}
