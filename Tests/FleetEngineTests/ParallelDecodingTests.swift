@testable import FleetEngine
import Testing

/// The helpers a tick uses to decode files on several cores give what a plain loop gives.
@Suite struct ParallelDecodingTests {
    @Test(arguments: [0, 1, 7, 8, 9, 1_000])
    func concurrentMapKeepsOrder(count: Int) {
        let items = Array(0..<count)
        #expect(concurrentMap(items) { "item-\($0 * 3)" } == items.map { "item-\($0 * 3)" })
    }

    @Test func backgroundWorkReturnsItsResultToEveryWait() {
        let work = BackgroundWork { (1...10_000).reduce(0, +) }
        #expect(work.wait() == 50_005_000)
        #expect(work.wait() == 50_005_000)
    }
}
