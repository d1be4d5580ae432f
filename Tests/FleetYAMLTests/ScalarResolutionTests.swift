import Testing
@testable import FleetYAML

@Suite struct ScalarResolutionTests {
    /// The value of `v` in `v: <source>`.
    func resolve(_ source: String) throws -> ResolvedScalar? {
        try parse("v: \(source)\n").first?["v"]?.scalar?.resolved
    }

    @Test(arguments: [
        ("on", "on"), ("no", "no"), ("08", "08"), ("010", "010"), ("0x1F", "0x1F"), ("~", "~"),
        ("1_000", "1_000"), ("yes", "yes"), ("Off", "Off"), ("Y", "Y"), ("NULL", "NULL"),
        ("True", "True"), (".5", ".5"), ("+1", "+1"), ("1.", "1."), (".inf", ".inf"),
        ("2024-01-02", "2024-01-02"), ("12:30:00", "12:30:00"), ("0o17", "0o17"),
        ("-0x1", "-0x1"),
    ])
    func ambiguousPlainScalarsKeepTheirText(source: String, text: String) throws {
        #expect(try resolve(source) == .ambiguous(text))
    }

    @Test(arguments: ["10", "0", "-12", "3.5", "1e3", "-0.25E-7", "1E+2"])
    func jsonNumbersResolveToNumbers(text: String) throws {
        #expect(try resolve(text) == .number(text))
    }

    @Test(arguments: [
        ("value1", "value1"), ("nginx:1.25", "nginx:1.25"), ("kube-system", "kube-system"),
        ("\"10\"", "10"), ("'010'", "010"), ("\"true\"", "true"), ("'~'", "~"), ("\"\"", ""),
        ("!!str 10", "10"), ("!!str no", "no"), ("|\n  10\n", "10\n"), ("web app", "web app"),
    ])
    func stringsResolveToStrings(source: String, text: String) throws {
        #expect(try resolve(source) == .string(text))
    }

    @Test(arguments: [
        ("true", ResolvedScalar.bool(true)), ("false", .bool(false)), ("null", .null), ("", .null),
    ])
    func jsonWordsResolve(source: String, want: ResolvedScalar) throws {
        #expect(try resolve(source) == want)
    }

    @Test func scalarStylesSurviveResolution() throws {
        let doc = try #require(try parse("a: 10\nb: \"10\"\nc: '10'\n").first)
        #expect(doc["a"]?.scalar?.style == .plain)
        #expect(doc["b"]?.scalar?.style == .doubleQuoted)
        #expect(doc["c"]?.scalar?.style == .singleQuoted)
        #expect(doc["a"]?.scalar?.resolved == .number("10"))
        #expect(doc["b"]?.scalar?.resolved == .string("10"))
        #expect(doc["c"]?.scalar?.resolved == .string("10"))
    }

    @Test(arguments: [
        "", "true", "1", "no", "010", "null", "~", "-", "---", "...", "- x", "a: b", "a:", "#c",
        "x #c", " lead", "trail ", "a\nb", "tab\there", "\u{1}", "@x", "`x", "%x", "!x", "&x",
        "*x", "{x", "[x", "]", ",x", "?", "? x", "'", "\"", "|", ">", "<<", "\u{FEFF}x",
        "line\u{2028}sep", "0x1F", "1_000", ".5", "+1",
    ])
    func stringsThatNeedQuotes(text: String) {
        #expect(YAMLScalar.needsQuotes(text))
        #expect(YAMLNode.string(text).scalar?.style == .doubleQuoted)
    }

    @Test(arguments: [
        "value1", "nginx:1.25", "kube-system", "a:b", "x#y", "web app", "é ü 日本", "=", "a-b",
        "http://example.com/a?b=c", "a, b", "a[0]", "path/to/file.yaml", "C:\\dir",
    ])
    func stringsThatStayPlain(text: String) {
        #expect(!YAMLScalar.needsQuotes(text))
        #expect(YAMLNode.string(text).scalar?.style == .plain)
    }

    @Test func builtNodesReadCorrectly() {
        #expect(YAMLNode.int(-3).scalar?.resolved == .number("-3"))
        #expect(YAMLNode.bool(true).scalar?.resolved == .bool(true))
        #expect(YAMLNode.null.isNull)
        #expect(YAMLNode.string("null").scalar?.resolved == .string("null"))
        var node = YAMLNode.mapping([("a", .int(1)), ("b", nil), ("true", .string("x"))])
        #expect(node.pairs?.map(\.key) == [YAMLScalar("a"),
                                           YAMLScalar("true", style: .doubleQuoted)])
        node.set("a", .string("y"))
        node.set("c", .null)
        node.set("true", nil)
        #expect(node == .mapping([("a", .string("y")), ("c", .null)]))
        #expect(node["c"]?.kindName == "null")
    }
}
