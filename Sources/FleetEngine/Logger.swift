import Foundation
import Synchronization

/// A small logger shaped like swift-log's: a label, metadata, a threshold and a handler.
///
/// Messages are constant text (`Logger.Message` takes no interpolation) so that log lines can
/// be grepped and counted; everything that varies goes into metadata under dotted keys such as
/// `rollout.name` or `commit.sha`.
package struct Logger: Sendable {
    /// The seven levels of swift-log, least severe first.
    package enum Level: String, CaseIterable, Comparable, Sendable {
        case trace, debug, info, notice, warning, error, critical

        private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

        package static func < (lhs: Level, rhs: Level) -> Bool { lhs.order < rhs.order }
    }

    /// A constant log message: a string literal, never an interpolation.
    package struct Message: ExpressibleByStringLiteral, Hashable, Sendable,
        CustomStringConvertible {
        package var description: String

        package init(stringLiteral value: String) { description = value }
    }

    /// Metadata keyed by dotted names such as `stage.index`, with values as text.
    package typealias Metadata = [String: String]

    /// Names the part of gitfleet that logs, such as `gitfleet.sync`.
    package var label: String
    /// Attached to every event this logger emits; per-call metadata wins on equal keys.
    package var metadata: Metadata
    /// Events below this level are dropped before any work is done for them.
    package var logLevel: Level
    /// Where events go.
    package var handler: any LogHandler
    /// The clock that stamps events; tests pass a fixed one.
    package var clock: @Sendable () -> Date

    /// A logger for `label` at the given threshold, writing to `handler`.
    package init(
        label: String, logLevel: Level = .notice, metadata: Metadata = [:],
        handler: any LogHandler = StreamLogHandler.standardError,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.label = label
        self.logLevel = logLevel
        self.metadata = metadata
        self.handler = handler
        self.clock = clock
    }

    /// A logger that drops everything, for callers that do not care.
    package static func disabled(label: String = "gitfleet") -> Logger {
        Logger(label: label, logLevel: .critical, handler: DiscardingLogHandler())
    }

    /// Reads or sets one metadata entry on this logger value.
    package subscript(metadataKey key: String) -> String? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// A copy with a different label and the same metadata, threshold and handler.
    package func withLabel(_ label: String) -> Logger {
        var copy = self
        copy.label = label
        return copy
    }

    /// A copy with `extra` merged into its metadata.
    package func withMetadata(_ extra: Metadata) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    /// True when an event at `level` would reach the handler.
    package func isEnabled(_ level: Level) -> Bool { level >= logLevel }

    /// Emits an event at `level` when the threshold lets it through.
    package func log(
        level: Level, _ message: Message, metadata: @autoclosure () -> Metadata = [:]
    ) {
        guard isEnabled(level) else { return }
        var merged = self.metadata
        merged.merge(metadata()) { _, new in new }
        handler.log(LogEvent(
            date: clock(), level: level, label: label, metadata: merged, message: message))
    }

    /// Logs at trace: detail for following one object through a tick.
    package func trace(_ message: Message, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .trace, message, metadata: metadata())
    }

    /// Logs at debug: what library modules log, such as a reconcile's start and end.
    package func debug(_ message: Message, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .debug, message, metadata: metadata())
    }

    /// Logs at info, shown with `-v`.
    package func info(_ message: Message, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .info, message, metadata: metadata())
    }

    /// Logs at notice, the default console threshold.
    package func notice(_ message: Message, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .notice, message, metadata: metadata())
    }

    /// Logs at warning.
    package func warning(_ message: Message, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .warning, message, metadata: metadata())
    }

    /// Logs at error; the only level `-q` still shows besides critical.
    package func error(_ message: Message, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .error, message, metadata: metadata())
    }

    /// Logs at critical.
    package func critical(_ message: Message, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .critical, message, metadata: metadata())
    }
}

// MARK: - Events and handlers

/// One log event as a handler receives it.
package struct LogEvent: Hashable, Sendable {
    package var date: Date
    package var level: Logger.Level
    package var label: String
    package var metadata: Logger.Metadata
    package var message: Logger.Message

    package init(
        date: Date, level: Logger.Level, label: String, metadata: Logger.Metadata,
        message: Logger.Message
    ) {
        self.date = date
        self.level = level
        self.label = label
        self.metadata = metadata
        self.message = message
    }

    /// The event as one line, without the newline:
    /// `2025-01-02T03:04:05.678Z notice gitfleet.sync commit.sha=abc1234 tick finished`.
    ///
    /// Keys are sorted so that lines compare and diff well; values with spaces, quotes, `=` or
    /// control characters are double-quoted and escaped so a line always splits the same way.
    package var formatted: String {
        var line = Self.timestamp(date) + " " + level.rawValue + " " + label
        for key in metadata.keys.sorted() {
            line += " " + key + "=" + Self.quotedIfNeeded(metadata[key] ?? "")
        }
        return line + " " + Self.escapingControls(message.description)
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" && $0 != "=" && $0 != "\\"
        }
        if plain { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted += escapedControl(scalar)
            }
        }
        return quoted + "\""
    }

    private static func escapingControls(_ text: String) -> String {
        text.unicodeScalars.map(escapedControl).joined()
    }

    private static func escapedControl(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            guard scalar.value < 0x20 || scalar.value == 0x7F else { return String(scalar) }
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}

/// Receives the events a `Logger` lets through; implementations must be safe to share.
package protocol LogHandler: Sendable {
    /// Records or writes one event.
    func log(_ event: LogEvent)
}

/// Writes each event as one formatted line through a sink, by default standard error.
package struct StreamLogHandler: LogHandler {
    private let sink: @Sendable (String) -> Void

    /// A handler that passes each line, newline included, to `sink`.
    package init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Writes to the process's standard error, one `write` per line so that lines from
    /// concurrent tasks do not interleave.
    package static let standardError = StreamLogHandler { line in
        standardErrorLock.withLock { _ in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    private static let standardErrorLock = Mutex(())

    package func log(_ event: LogEvent) {
        sink(event.formatted + "\n")
    }
}

/// Keeps events in memory, for tests that check what was logged.
package final class InMemoryLogHandler: LogHandler {
    private let storage = Mutex<[LogEvent]>([])

    package init() {}

    package func log(_ event: LogEvent) {
        storage.withLock { $0.append(event) }
    }

    /// Every event received so far, oldest first.
    package var events: [LogEvent] { storage.withLock { $0 } }

    /// Every event received so far as the lines `StreamLogHandler` would write.
    package var lines: [String] { events.map(\.formatted) }
}

/// Drops every event.
package struct DiscardingLogHandler: LogHandler {
    package init() {}

    package func log(_ event: LogEvent) {}
}
