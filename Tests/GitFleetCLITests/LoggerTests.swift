import Foundation
import FleetEngine
import Testing
import Synchronization

@Suite struct LoggerTests {
    /// 2025-01-02T03:04:05.5Z: a half second is exact in binary, so the text is stable.
    static let date = Date(timeIntervalSince1970: 1_735_787_045.5)

    static func logger(_ handler: InMemoryLogHandler, level: Logger.Level = .notice) -> Logger {
        Logger(label: "gitfleet.sync", logLevel: level, handler: handler, clock: { date })
    }

    @Test func lineHasTimeLevelLabelSortedPairsMessage() {
        let handler = InMemoryLogHandler()
        var logger = Self.logger(handler)
        logger[metadataKey: "rollout.name"] = "run 1"
        let index = 2
        logger.notice("tick finished",
                      metadata: ["commit.sha": "abc1234", "stage.index": "\(index)"])
        #expect(handler.lines == [
            "2025-01-02T03:04:05.500Z notice gitfleet.sync commit.sha=abc1234 "
                + "rollout.name=\"run 1\" stage.index=2 tick finished",
        ])
    }

    @Test func eventsBelowThresholdAreDropped() {
        let handler = InMemoryLogHandler()
        let logger = Self.logger(handler, level: .info)
        logger.trace("trace")
        logger.debug("debug")
        logger.info("info")
        logger.notice("notice")
        logger.warning("warning")
        logger.error("error")
        logger.critical("critical")
        #expect(handler.events.map(\.level) == [.info, .notice, .warning, .error, .critical])
        #expect(handler.events.map(\.message.description)
            == ["info", "notice", "warning", "error", "critical"])
    }

    @Test func callMetadataWinsOverLoggerMetadata() {
        let handler = InMemoryLogHandler()
        let logger = Self.logger(handler).withMetadata(["target.name": "a", "keep": "yes"])
        logger.warning("member slow", metadata: ["target.name": "b"])
        #expect(handler.events.first?.metadata == ["target.name": "b", "keep": "yes"])
        #expect(logger.withLabel("gitfleet.other").label == "gitfleet.other")
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("", "\"\""),
        ("two words", "\"two words\""),
        ("a=b", "\"a=b\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("line\nbreak", "\"line\\nbreak\""),
        ("back\\slash", "\"back\\\\slash\""),
    ])
    func valuesAreQuotedWhenNeeded(_ value: String, _ want: String) {
        let event = LogEvent(date: Self.date, level: .error, label: "l",
                             metadata: ["k": value], message: "m")
        #expect(event.formatted == "2025-01-02T03:04:05.500Z error l k=\(want) m")
    }

    @Test func levelsAreOrderedBySeverity() {
        #expect(Logger.Level.allCases.sorted() == Logger.Level.allCases)
        #expect(Logger.Level.trace < .critical)
        #expect(Logger.Level.notice.rawValue == "notice")
    }

    @Test func streamHandlerWritesOneLinePerEvent() {
        let lines = Lines()
        let logger = Logger(label: "t", handler: StreamLogHandler { lines.append($0) },
                            clock: { Self.date })
        logger.error("first")
        logger.critical("second")
        #expect(lines.all == [
            "2025-01-02T03:04:05.500Z error t first\n",
            "2025-01-02T03:04:05.500Z critical t second\n",
        ])
    }

    @Test func disabledLoggerDropsEverything() {
        let logger = Logger.disabled()
        #expect(!logger.isEnabled(.error))
        logger.error("nothing happens")
    }
}

/// A thread-safe list of written lines.
private final class Lines: Sendable {
    private let storage = Mutex<[String]>([])

    func append(_ line: String) { storage.withLock { $0.append(line) } }

    var all: [String] { storage.withLock { $0 } }
}
