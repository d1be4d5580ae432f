import FleetYAML
import Testing
@testable import FleetAPI

/// Scalars are typed by the field that reads them, never by YAML's own resolution.
@Suite struct NodeReaderTests {
    /// A reader over `value: <text>` and the log it reports to.
    static func reader(_ text: String) -> (NodeReader, DiagnosticLog) {
        let log = DiagnosticLog()
        let nodes = (try? YAMLParser.parse("value: \(text)", file: "t.yaml")) ?? []
        let root = NodeReader(nodes.first ?? .null, log: log)
        return (root, log)
    }

    @Test(arguments: [
        ("no", "no"), ("on", "on"), ("08", "08"), ("'yes'", "yes"), ("\"2\"", "2"),
        ("1.0", "1.0"), ("0x1F", "0x1F"), ("~", ""), ("", ""), ("true", "true"),
        ("2024-01-01", "2024-01-01"), ("|-\n    text", "text"),
    ])
    func labelValuesAreTheTextWritten(_ written: String, _ want: String) {
        let mapLog = DiagnosticLog()
        let nodes = (try? YAMLParser.parse("labels:\n  k: \(written)", file: "t.yaml")) ?? []
        let labels = NodeReader(nodes.first ?? .null, log: mapLog).stringMap("labels")
        #expect(labels == ["k": want])
        #expect(mapLog.diagnostics == [])
    }

    @Test(arguments: [
        ("010", 10), ("0", 0), ("-5", -5), ("007", 7), ("!!int 7", 7),
        ("9223372036854775807", Int.max),
    ])
    func intFieldsReadDecimal(_ written: String, _ want: Int) {
        let (root, log) = Self.reader(written)
        #expect(root.int("value") == want)
        #expect(log.diagnostics == [])
    }

    @Test(arguments: [
        ("\"5\"", "value: expected an integer, got '5' (a quoted string)"),
        ("'5'", "value: expected an integer, got '5' (a quoted string)"),
        ("5.0", "value: expected an integer, got '5.0'"),
        ("0x10", "value: expected an integer, got '0x10'"),
        ("1e3", "value: expected an integer, got '1e3'"),
        ("+5", "value: expected an integer, got '+5'"),
        ("1_000", "value: expected an integer, got '1_000'"),
        ("!!str 5", "value: expected an integer, got '5'"),
        ("[1]", "value: expected an integer, got a list"),
        ("99999999999999999999", "value: '99999999999999999999' is too large for an integer"),
    ])
    func intFieldsRejectOtherScalars(_ written: String, _ want: String) {
        let (root, log) = Self.reader(written)
        #expect(root.int("value") == nil)
        #expect(log.diagnostics.map(\.message) == [want])
    }

    @Test(arguments: [("true", true), ("false", false)])
    func boolFieldsReadTrueAndFalse(_ written: String, _ want: Bool) {
        let (root, log) = Self.reader(written)
        #expect(root.bool("value") == want)
        #expect(log.diagnostics == [])
    }

    @Test(arguments: ["yes", "on", "True", "\"true\"", "1", "y"])
    func boolFieldsRejectOtherWords(_ written: String) {
        let (root, log) = Self.reader(written)
        #expect(root.bool("value") == nil)
        #expect(log.diagnostics.count == 1)
        #expect(log.diagnostics.first?.message.hasPrefix("value: expected true or false") == true)
    }

    @Test(arguments: [
        ("no", "no"), ("08", "08"), ("\"5\"", "5"), ("12", "12"), ("1.5", "1.5"),
    ])
    func stringFieldsTakeAnyScalar(_ written: String, _ want: String) {
        let (root, log) = Self.reader(written)
        #expect(root.string("value") == want)
        #expect(log.diagnostics == [])
    }

    @Test func stringFieldRejectsMapping() {
        let (root, log) = Self.reader("{a: b}")
        #expect(root.string("value") == nil)
        #expect(log.diagnostics.map(\.message) == ["value: expected a string, got a mapping"])
    }

    @Test(arguments: [
        ("5", IntOrString.int(5)), ("010", .int(10)), ("\"5\"", .string("5")),
        ("50%", .string("50%")), ("-1", .int(-1)),
    ])
    func intOrString(_ written: String, _ want: IntOrString) {
        let (root, _) = Self.reader(written)
        #expect(root.intOrString("value") == want)
    }

    @Test func nullReadsAsAbsent() {
        let (root, log) = Self.reader("null")
        #expect(root.field("value") == nil)
        #expect(root.string("value") == nil)
        #expect(root.required("value") == nil)
        #expect(log.diagnostics.map(\.message) == ["value is required"])
    }

    @Test func pathsNameListItems() throws {
        let log = DiagnosticLog()
        let node = try YAMLParser.parse("spec:\n  stages:\n    - a: 1\n    - a: x\n", file: "f.yaml")
        let root = NodeReader(node[0], log: log)
        let items = root.mapping("spec")?.list("stages") ?? []
        #expect(items.map { $0.int("a") } == [1, nil])
        #expect(log.diagnostics.map(\.description) == [
            "f.yaml:4: spec.stages[1].a: expected an integer, got 'x'",
        ])
    }

    @Test func aLogThatTracksNoReadsStillReportsProblems() throws {
        let log = DiagnosticLog(tracksReads: false)
        let node = try YAMLParser.parse("spec:\n  n: x\n  typo: 1\n", file: "f.yaml")
        let spec = try #require(NodeReader(node[0], log: log).mapping("spec"))
        #expect(spec.int("n") == nil)
        #expect(log.read.isEmpty)
        #expect(log.diagnostics.map(\.description) == [
            "f.yaml:2: spec.n: expected an integer, got 'x'",
        ])
    }
}
