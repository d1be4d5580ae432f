import Foundation

/// The waits of KubeFleet's update-run controller, named as there so behaviour can be compared.
package enum RolloutTiming {
    /// How soon to look again while clusters update or bindings are deleted
    /// (`clusterUpdatingWaitTime`).
    package static let clusterUpdatingWait: TimeInterval = 15
    /// How long a started cluster may stay unfinished before the run counts as stuck
    /// (`updateRunStuckThreshold`).
    package static let stuckThreshold: TimeInterval = 5 * 60
}
