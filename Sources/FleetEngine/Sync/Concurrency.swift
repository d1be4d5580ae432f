import Dispatch
import Foundation
import Synchronization

// A tick is single-threaded by design; these two helpers let it decode files on the
// machine's other cores while it does the rest. Decoding is pure, so the results are the
// same as decoding in order.

/// `transform` over `items`, in order, spread over the machine's cores in contiguous chunks.
func concurrentMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], _ transform: @escaping @Sendable (Item) -> Result
) -> [Result] {
    let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount)
    // A handful of items costs less to decode than to hand to other threads.
    guard chunks > 1, items.count >= 8 else { return items.map(transform) }
    let parts = Mutex<[Int: [Result]]>([:])
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = items.count * chunk / chunks
        let end = items.count * (chunk + 1) / chunks
        let part = items[start..<end].map(transform)
        parts.withLock { $0[chunk] = part }
    }
    return parts.withLock { parts in (0..<chunks).flatMap { parts[$0] ?? [] } }
}

/// Work started on another thread now, whose result is collected later with `wait()`.
final class BackgroundWork<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            let value = work()
            result.withLock { $0 = value }
            done.signal()
        }
    }

    /// Blocks until the work is done and returns its result; later calls return it at once.
    func wait() -> Value {
        while true {
            if let value = result.withLock({ $0 }) { return value }
            done.wait()
            // Passed on, so a second thread waiting at the same time wakes too.
            done.signal()
        }
    }
}
