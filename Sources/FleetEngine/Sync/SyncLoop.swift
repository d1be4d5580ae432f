import FleetAPI
import Foundation

extension SyncEngine {
    /// Runs ticks until the task is cancelled: every `interval`, sooner when a timed wait
    /// ends, and right away when the last tick pushed member updates the next tick confirms.
    /// A failed tick is logged and retried at the next interval; the loop never gives up.
    package func loop(interval: Duration, clock: @Sendable () -> Date) async {
        var immediate = 0
        while !Task.isCancelled {
            var delay = interval
            do {
                let report = try tick(now: clock())
                log(report)
                if report.commit != nil, report.confirmableNow, immediate < Self.maxImmediateTicks {
                    immediate += 1
                    delay = .zero
                } else {
                    immediate = 0
                    if let wakeup = report.nextWakeup {
                        let untilWakeup = max(0, wakeup.timeIntervalSince(clock())) + 1
                        delay = min(delay, .seconds(untilWakeup))
                    }
                }
            } catch {
                logger.error("tick failed", metadata: ["error": "\(error)"])
            }
            if delay > .zero {
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Bounds back-to-back ticks, so a fleet that keeps confirming updates still yields.
    static let maxImmediateTicks = 100

    /// One line per event at info, the tick's summary at notice, problems at warning.
    package func log(_ report: TickReport) {
        for problem in report.held {
            logger.warning("snapshots held: file does not parse", metadata: ["problem": "\(problem)"])
        }
        for problem in report.diagnostics {
            logger.warning("invalid object", metadata: ["problem": "\(problem)"])
        }
        for event in report.events {
            if CommitMessage.needsAttention(event) {
                logger.warning("tick event", metadata: ["event": "\(event)"])
            } else {
                logger.info("tick event", metadata: ["event": "\(event)"])
            }
        }
        if let commit = report.commit {
            logger.notice("tick committed", metadata: [
                "commit": "\(commit.prefix(12))", "events": "\(report.events.count)",
                "attempts": "\(report.attempts)",
            ])
        } else {
            logger.info("tick found nothing to do")
        }
    }
}
