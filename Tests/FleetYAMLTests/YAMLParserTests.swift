import Testing
@testable import FleetYAML

/// Swift Testing has its own `SourceLocation`.
typealias Location = FleetYAML.SourceLocation

/// Parses `text`, failing the test on an error.
func parse(_ text: String, limits: YAMLLimits = .default) throws -> [YAMLNode] {
    try YAMLParser.parse(text, file: "test.yaml", limits: limits)
}

/// The error parsing `bytes` throws, or nil when it parses.
func parseFailure(_ bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLError? {
    do {
        _ = try YAMLParser.parse(bytes, file: "test.yaml", limits: limits)
        return nil
    } catch {
        return error
    }
}

func parseFailure(_ text: String, limits: YAMLLimits = .default) -> YAMLError? {
    parseFailure(Array(text.utf8), limits: limits)
}

func scalar(_ text: String, _ style: ScalarStyle = .plain, tag: String? = nil) -> YAMLNode {
    YAMLNode(.scalar(YAMLScalar(text, style: style, tag: tag)))
}

func map(_ pairs: [(String, YAMLNode)]) -> YAMLNode {
    YAMLNode(.mapping(pairs.map { YAMLPair(key: YAMLScalar($0.0), value: $0.1) }))
}

@Suite struct YAMLParserTests {
    // MARK: - Documents

    @Test func parsesMappingsSequencesAndScalars() throws {
        let docs = try parse("a: 1\nb:\n  - x\n  - 'y'\nc: {d: \"e\"}\n")
        let want = map([
            ("a", scalar("1")),
            ("b", .sequence([scalar("x"), scalar("y", .singleQuoted)])),
            ("c", map([("d", scalar("e", .doubleQuoted))])),
        ])
        #expect(docs == [want])
    }

    @Test(arguments: [
        ("a: 1\n---\nb: 2\n---\n- c\n", 3),
        ("---\na: 1\n...\n---\nb: 2\n", 2),
        ("", 0),
        ("---\n", 0),
        ("# only a comment\n", 0),
        ("---\n---\n# comment\n---\na: 1\n---\n", 1),
        ("--- ~\n", 1),
        ("--- ''\n", 1),
        ("a: 1\n---\n", 1),
    ])
    func countsNonEmptyDocuments(text: String, count: Int) throws {
        #expect(try parse(text).count == count)
    }

    @Test func keepsDocumentOrder() throws {
        let docs = try parse("kind: A\n---\n# between\nkind: B\n---\n---\nkind: C\n")
        #expect(docs.map { $0["kind"]?.scalar?.text } == ["A", "B", "C"])
    }

    // MARK: - Anchors, aliases and merge keys

    @Test func resolvesAliasesByCopying() throws {
        let docs = try parse("""
            base: &labels
              app: web
              tier: front
            copy: *labels
            list: [&x 1, *x, *x]
            """)
        let doc = try #require(docs.first)
        #expect(doc["copy"] == doc["base"])
        #expect(doc["list"]?.items == [scalar("1"), scalar("1"), scalar("1")])
        #expect(doc["copy"]?.location?.line == 4)
    }

    @Test func anchorsDoNotCrossDocuments() throws {
        let error = try #require(parseFailure("a: &x 1\n---\nb: *x\n"))
        #expect(error.location.line == 3)
        #expect(error.message == "alias '*x' refers to no anchor before it")
    }

    @Test func anchorsCanBeRedefined() throws {
        let doc = try #require(try parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n").first)
        #expect(doc["b"]?.scalar?.text == "1")
        #expect(doc["d"]?.scalar?.text == "2")
    }

    @Test func recursiveAliasIsRefused() throws {
        let error = try #require(parseFailure("a: &x [1, *x]\n"))
        #expect(error.message == "alias '*x' refers to no anchor before it")
    }

    @Test func resolvesMergeKeys() throws {
        let doc = try #require(try parse("""
            base: &base {a: 1, b: 2}
            more: &more {b: 3, c: 4}
            one:
              <<: *base
              b: 9
            two:
              x: 0
              <<: [*base, *more]
            """).first)
        #expect(doc["one"] == map([("a", scalar("1")), ("b", scalar("9"))]))
        #expect(doc["two"] == map([("x", scalar("0")), ("a", scalar("1")), ("b", scalar("2")),
                                   ("c", scalar("4"))]))
    }

    @Test func mergeOfSequenceWithScalarIsRefused() throws {
        let error = try #require(parseFailure("m: &m {a: 1}\nn:\n  <<: [*m, 2]\n"))
        #expect(error.message.hasPrefix("the merge key '<<' needs a mapping"))
        #expect(error.location.line == 3)
    }

    @Test func collectionTagsAreDropped() throws {
        let doc = try #require(try parse("a: !!map {b: 1}\nc: !!seq [d]\n").first)
        #expect(doc == map([("a", map([("b", scalar("1"))])), ("c", .sequence([scalar("d")]))]))
    }

    @Test func quotedMergeKeyIsOrdinary() throws {
        let doc = try #require(try parse("m: &m {a: 1}\nn:\n  '<<': *m\n").first)
        #expect(doc["n"]?.pairs?.first?.key == YAMLScalar("<<", style: .singleQuoted))
    }

    @Test func mergeOfScalarIsRefused() throws {
        let error = try #require(parseFailure("a:\n  <<: 1\n"))
        #expect(error.message == "the merge key '<<' needs a mapping or a sequence of mappings, "
            + "not a scalar")
        #expect(error.location.line == 2)
    }

    // MARK: - Limits

    static let billionLaughs: String = {
        let lol = Array(repeating: "\"lol\"", count: 8).joined(separator: ", ")
        var text = "a: &a [\(lol)]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            let refs = Array(repeating: "*\(previous)", count: 9).joined(separator: ", ")
            text += "\(name): &\(name) [\(refs)]\n"
        }
        return text
    }()

    @Test func aliasBombIsRefused() throws {
        let error = try #require(parseFailure(Self.billionLaughs))
        #expect(error.message.contains("alias bomb"))
        #expect(error.message.hasPrefix("aliases copy more than 100000 nodes"))
        #expect(error.location.line == 6)
    }

    @Test func aliasBudgetIsConfigurable() throws {
        let text = "a: &a [1, 2, 3]\nb: *a\nc: *a\n"
        #expect(try parse(text, limits: YAMLLimits(maxAliasExpansion: 8)).count == 1)
        let error = try #require(parseFailure(text, limits: YAMLLimits(maxAliasExpansion: 7)))
        #expect(error.location.line == 3)
    }

    @Test func nodeLimitCountsAllDocuments() throws {
        let text = "[1, 2]\n---\n[3, 4]\n"
        #expect(try parse(text, limits: YAMLLimits(maxNodes: 6)).count == 2)
        let error = try #require(parseFailure(text, limits: YAMLLimits(maxNodes: 5)))
        #expect(error.message == "input has more than 5 nodes, the limit")
        #expect(error.location.line == 3)
    }

    static func nestedFlow(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    static func nestedBlock(_ depth: Int) -> String {
        (0..<depth).map { String(repeating: "  ", count: $0) + "k:" }.joined(separator: "\n")
            + " leaf\n"
    }

    @Test(arguments: [200, 1, 50])
    func nestingUpToTheLimitParses(depth: Int) throws {
        #expect(try parse(Self.nestedFlow(depth)).count == 1)
        #expect(try parse(Self.nestedBlock(depth)).count == 1)
    }

    @Test(arguments: [201, 100_000])
    func deepNestingIsRefused(depth: Int) throws {
        let flow = try #require(parseFailure(Self.nestedFlow(depth)))
        #expect(flow.message == "nesting is deeper than 200 levels, the limit")
        #expect(flow.location.column == 201)
        let block = try #require(parseFailure(Self.nestedBlock(min(depth, 400))))
        #expect(block.message == "nesting is deeper than 200 levels, the limit")
        #expect(block.location.line == 201)
    }

    @Test func aliasCannotExceedDepth() throws {
        let text = "a: &a [[[1]]]\nb: [[*a]]\n"
        #expect(try parse(text, limits: YAMLLimits(maxDepth: 6)).count == 1)
        let error = try #require(parseFailure(text, limits: YAMLLimits(maxDepth: 5)))
        #expect(error.location == Location(file: "test.yaml", line: 2, column: 6))
    }

    @Test func oversizedInputIsRefused() throws {
        let error = try #require(parseFailure("a: 12345\n", limits: YAMLLimits(maxBytes: 8)))
        #expect(error.message == "file is 9 bytes, over the limit of 8 bytes")
    }

    @Test func parsesAFiveMegabyteFile() throws {
        var text = ""
        var index = 0
        while text.utf8.count < 5 << 20 {
            text += """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config-\(index)
                  labels: {app: web, tier: "front"}
                data:
                  key: value \(index)
                  script: |
                    echo hello
                    echo world
                ---

                """
            index += 1
        }
        let docs = try parse(text)
        #expect(docs.count == index)
        #expect(docs.last?["metadata"]?["name"]?.scalar?.text == "config-\(index - 1)")
    }

    // MARK: - Keys

    @Test(arguments: [
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first at line 1)", 3),
        ("m:\n  x: 1\n  'x': 2\n", "duplicate key 'x' (first at line 2)", 3),
        ("{a: 1, a: 2}\n", "duplicate key 'a' (first at line 1)", 1),
        ("1: a\n\"1\": b\n", "duplicate key '1' (first at line 1)", 2),
        // Long mappings index their keys instead of scanning them: before, at and past that.
        (YAMLParserTests.keys(15) + "k3: again\n", "duplicate key 'k3' (first at line 4)", 16),
        (YAMLParserTests.keys(16) + "k0: again\n", "duplicate key 'k0' (first at line 1)", 17),
        (YAMLParserTests.keys(40) + "k39: again\n", "duplicate key 'k39' (first at line 40)", 41),
        (YAMLParserTests.keys(40) + "<<: {a: 1}\n<<: {b: 2}\n",
         "duplicate key '<<' (first at line 41)", 42),
    ])
    func duplicateKeysAreRefused(text: String, message: String, line: Int) throws {
        let error = try #require(parseFailure(text))
        #expect(error.message == message)
        #expect(error.location.line == line)
    }

    /// `count` distinct keys, `k0` to `k<count - 1>`, one per line.
    static func keys(_ count: Int) -> String {
        (0..<count).map { "k\($0): \($0)\n" }.joined()
    }

    @Test func longMappingsKeepEveryKeyInOrder() throws {
        let doc = try #require(try parse(Self.keys(40) + "<<: {k1: x, extra: y}\n").first)
        let keys = try #require(doc.pairs).map(\.key.text)
        #expect(keys == (0..<40).map { "k\($0)" } + ["extra"])
        #expect(doc["k1"]?.scalar?.text == "1")
    }

    @Test(arguments: [
        ("? [a]\n: b\n", "a mapping key must be a scalar, not a sequence"),
        ("{a: 1}: b\n", "a mapping key must be a scalar, not a mapping"),
        ("s: &s [1]\n*s : b\n", "a mapping key must be a scalar, not a sequence"),
    ])
    func nonScalarKeysAreRefused(text: String, message: String) throws {
        #expect(parseFailure(text)?.message == message)
    }

    @Test func aliasToScalarCanBeAKey() throws {
        let doc = try #require(try parse("a: &k name\n*k : value\n").first)
        #expect(doc["name"]?.scalar?.text == "value")
    }

    // MARK: - Encoding and whitespace

    @Test func acceptsByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\nb: x\n".utf8)
        let docs = try YAMLParser.parse(bytes, file: "bom.yaml")
        #expect(docs == [map([("a", scalar("1")), ("b", scalar("x"))])])
        #expect(docs[0]["a"]?.location == Location(file: "bom.yaml", line: 1, column: 4))
    }

    @Test func acceptsCRLFLineEnds() throws {
        let crlf = try parse("a: 1\r\nb:\r\n  - x\r\nc: |\r\n  one\r\n  two\r\n")
        let lf = try parse("a: 1\nb:\n  - x\nc: |\n  one\n  two\n")
        #expect(crlf == lf)
        #expect(crlf[0]["c"]?.scalar?.text == "one\ntwo\n")
        #expect(crlf[0]["b"]?.items?[0].location?.line == 3)
    }

    @Test(arguments: [
        ("a:\n\tb: 1\n", 2, 1),
        ("a:\n  b: 1\n \tc: 2\n", 3, 2),
    ])
    func tabIndentationIsRefused(text: String, line: Int, column: Int) throws {
        let error = try #require(parseFailure(text))
        #expect(error.message
            == "tab characters must not be used for indentation; indent with spaces")
        #expect(error.location.line == line)
        #expect(error.location.column == column)
    }

    @Test func tabAfterDashIsRefused() throws {
        let error = try #require(parseFailure("- a\n-\tb\n"))
        #expect(error.message == "a tab character is not allowed here; use spaces")
        #expect(error.location.line == 2)
    }

    @Test func tabsInsideValuesAreFine() throws {
        let doc = try #require(try parse("a: \"x\ty\"\nb: x\ty\n").first)
        #expect(doc["a"]?.scalar?.text == "x\ty")
        #expect(doc["b"]?.scalar?.text == "x\ty")
    }

    @Test(arguments: [
        ([0x61, 0x3A, 0x20, 0xFF, 0x0A] as [UInt8], 1, 4,
         "file is not valid UTF-8: invalid leading UTF-8 octet (byte 0xFF)"),
        (Array("a: 1\nb:\n  c: ".utf8) + [0xC3, 0x28, 0x0A], 3, 7,
         "file is not valid UTF-8: invalid trailing UTF-8 octet (byte 0x28)"),
        (Array("a: é\nb: ".utf8) + [0xE2, 0x82], 2, 4,
         "file is not valid UTF-8: incomplete UTF-8 octet sequence"),
        ([0xFF, 0xFE, 0x61, 0x00], 1, 1,
         "file is not valid UTF-8: invalid leading UTF-8 octet (byte 0xFF)"),
        (Array("a: x\u{1}\n".utf8), 1, 5, "control characters are not allowed (U+0001)"),
    ])
    func invalidTextIsRefusedWithItsLine(
        bytes: [UInt8], line: Int, column: Int, message: String
    ) throws {
        let error = try #require(parseFailure(bytes))
        #expect(error.message == message)
        #expect(error.location.line == line)
        #expect(error.location.column == column)
    }

    // MARK: - Scalars

    @Test(arguments: [
        ("plain", "plain", ScalarStyle.plain),
        ("'single ''quoted'''", "single 'quoted'", .singleQuoted),
        ("\"double\\n\\u00e9\\t\"", "double\né\t", .doubleQuoted),
        ("\"nul\\0byte\"", "nul\u{0}byte", .doubleQuoted),
        ("|\n  line 1\n    indented\n  line 3\n", "line 1\n  indented\nline 3\n", .literal),
        ("|-\n  stripped\n\n", "stripped", .literal),
        ("|+\n  kept\n", "kept\n\n", .literal),
        ("|2\n   leading space\n", " leading space\n", .literal),
        (">\n  folded\n  text\n\n  para\n", "folded text\npara\n", .folded),
        ("multi\n  line plain", "multi line plain", .plain),
        ("", "", .plain),
    ])
    func keepsScalarTextAndStyle(source: String, text: String, style: ScalarStyle) throws {
        let doc = try #require(try parse("key: " + source + "\nnext: 1\n").first)
        #expect(doc["key"]?.scalar == YAMLScalar(text, style: style))
    }

    @Test(arguments: ["on", "no", "08", "010", "0x1F", "~", "1_000", "yes", "Off", "1e3", "-5",
                      "null", "true", "2024-01-02", "12:30:00", ".inf", "value1"])
    func plainScalarsKeepTheirText(text: String) throws {
        let doc = try #require(try parse("v: \(text)\n").first)
        #expect(doc["v"]?.scalar == YAMLScalar(text))
    }

    @Test func keepsExplicitTags() throws {
        let text = "a: !!str 10\nb: !custom x\nc: 10\nd: !!int \"7\"\n"
        let doc = try #require(try parse(text).first)
        #expect(doc["a"]?.scalar == YAMLScalar("10", tag: "tag:yaml.org,2002:str"))
        #expect(doc["b"]?.scalar == YAMLScalar("x", tag: "!custom"))
        #expect(doc["c"]?.scalar?.tag == nil)
        #expect(doc["d"]?.scalar == YAMLScalar("7", style: .doubleQuoted,
                                               tag: "tag:yaml.org,2002:int"))
    }

    // MARK: - Locations

    @Test func locatesNestedNodes() throws {
        let docs = try YAMLParser.parse("""
            # leading comment
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web
            data:
              items:
                - a
                - b: c
                  d: [e, f]
            ---
            second: doc
            """, file: "cm.yaml")
        let doc = docs[0]
        func at(_ line: Int, _ column: Int) -> Location {
            Location(file: "cm.yaml", line: line, column: column)
        }
        #expect(doc.location == at(2, 1))
        #expect(doc.pairs?[0].keyLocation == at(2, 1))
        #expect(doc["metadata"]?.location == at(5, 3))
        #expect(doc["metadata"]?.pairs?[0].keyLocation == at(5, 3))
        #expect(doc["metadata"]?["name"]?.location == at(5, 9))
        let items = try #require(doc["data"]?["items"])
        #expect(items.location == at(8, 5))
        #expect(items.items?[0].location == at(8, 7))
        #expect(items.items?[1].location == at(9, 7))
        #expect(items.items?[1].pairs?[1].keyLocation == at(10, 7))
        #expect(items.items?[1]["d"]?.items?[1].location == at(10, 14))
        #expect(docs[1].pairs?[0].keyLocation == at(12, 1))
    }

    // MARK: - Errors

    @Test func syntaxErrorsUseLibyamlWordingWithLine() throws {
        let error = try #require(parseFailure("a: 1\n  b: 2\n"))
        #expect(error.description == """
            test.yaml:2:4: mapping values are not allowed in this context
              b: 2
               ^
            """)
    }

    @Test func contextOnAnotherLineIsNamed() throws {
        let error = try #require(parseFailure("a:\n  - b\n  c: d\n"))
        #expect(error.message
            == "did not find expected '-' indicator while parsing a block collection at line 2")
        #expect(error.location == Location(file: "test.yaml", line: 3, column: 3))
    }

    @Test func errorAtEndOfInputHasNoSnippet() throws {
        let error = try #require(parseFailure("a: [1, 2\n"))
        #expect(error.description
            == "test.yaml:2:1: did not find expected ',' or ']' while parsing a flow sequence "
            + "at line 1")
    }

    @Test func errorWithoutSourceLineIsOneLine() {
        let error = YAMLError(location: Location(file: "a.yaml", line: 7, column: 2),
                              message: "something is wrong")
        #expect(error.description == "a.yaml:7:2: something is wrong")
        #expect(error.description == error.summary)
    }

    @Test func caretKeepsTabsAligned() throws {
        let error = YAMLError(location: Location(file: "f", line: 3, column: 4),
                              message: "bad", sourceLine: "\tx:y")
        #expect(error.description == "f:3:4: bad\n\tx:y\n\t  ^")
        #expect(error.summary == "f:3:4: bad")
    }
}
