import FleetYAMLFuzzing
import Testing
@testable import FleetYAML

/// Inputs built to exhaust time, memory or stack: each must be refused cleanly by a limit or
/// parse within the limits. The bounds are the limits themselves; nothing here measures time.
@Suite struct FuzzHostileInputTests {
    /// The error parsing `text` throws, with the fuzz suite's checks on it; nil when it parses.
    func refusal(_ text: String, limits: YAMLLimits = .default) -> YAMLError? {
        let outcome = YAMLFuzzChecks.run(Array(text.utf8), limits: limits)
        #expect(outcome.violations == [])
        return outcome.parseError
    }

    /// The error parsing a large input throws; the fuzz checks would only repeat the parse.
    func largeRefusal(_ bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLError? {
        do {
            _ = try YAMLParser.parse(bytes, file: "large.yaml", limits: limits)
            return nil
        } catch {
            #expect(YAMLFuzzChecks.messageProblems(error.message) == [])
            return error
        }
    }

    // MARK: - Alias bombs

    /// Nine levels of ten references: 10^9 nodes once expanded.
    static func laughs(levels: Int, width: Int, flow: Bool) -> String {
        var text = flow ? "a0: &a0 [lol]\n" : "a0: &a0\n  - lol\n"
        for level in 1..<levels {
            let refs = Array(repeating: "*a\(level - 1)", count: width)
            text += flow ? "a\(level): &a\(level) [\(refs.joined(separator: ", "))]\n"
                : "a\(level): &a\(level)\n" + refs.map { "  - \($0)\n" }.joined()
        }
        return text
    }

    @Test(arguments: [true, false])
    func billionLaughsIsRefused(flow: Bool) throws {
        let error = try #require(refusal(Self.laughs(levels: 10, width: 10, flow: flow)))
        #expect(error.message.hasSuffix("this looks like an alias bomb"))
    }

    @Test func mappingBombThroughMergeKeysIsRefused() throws {
        var text = "k0: &k0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n"
        for level in 1..<12 {
            let merges = Array(repeating: "*k\(level - 1)", count: 8).joined(separator: ", ")
            text += "k\(level): &k\(level)\n  <<: [\(merges)]\n"
            text += (0..<8).map { "  x\($0): *k\(level - 1)\n" }.joined()
        }
        let error = try #require(refusal(text))
        #expect(error.message.hasSuffix("this looks like an alias bomb"))
    }

    /// Redefining one anchor doubles what it stands for each time.
    @Test func redefinedAnchorBombIsRefused() throws {
        var text = "- &a [x, x]\n"
        for _ in 0..<40 { text += "- &a [*a, *a]\n" }
        let error = try #require(refusal(text))
        #expect(error.message.hasSuffix("this looks like an alias bomb"))
    }

    /// Aliases in many documents share one budget per input.
    @Test func aliasesAcrossDocumentsShareOneBudget() throws {
        let document = "a: &a [" + Array(repeating: "x", count: 100).joined(separator: ", ")
            + "]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        let error = try #require(refusal(Array(repeating: document, count: 200)
            .joined(separator: "---\n")))
        #expect(error.message.hasSuffix("this looks like an alias bomb"))
    }

    // MARK: - Deep nesting

    static let depth = 10_000

    /// Ten thousand levels of each shape; the argument names the shape, to keep test names
    /// short.
    static let deepInputs: [String: String] = [
        "flow sequences": String(repeating: "[", count: depth) + "x"
            + String(repeating: "]", count: depth),
        "unclosed flow sequences": String(repeating: "[", count: depth),
        "flow mappings": String(repeating: "{a: ", count: depth) + "x"
            + String(repeating: "}", count: depth),
        "block sequences on one line": String(repeating: "- ", count: depth) + "x\n",
        "anchored and tagged": String(repeating: "&a !t [", count: depth) + "x\n",
        "mixed flow": String(repeating: "[{a: ", count: depth / 2) + "x\n",
        "inside a manifest": "apiVersion: v1\nkind: ConfigMap\ndata:\n  k: "
            + String(repeating: "[", count: depth) + "\n",
    ]

    @Test(arguments: deepInputs.keys.sorted())
    func tenThousandLevelsAreRefused(shape: String) throws {
        let error = try #require(refusal(Self.deepInputs[shape] ?? ""))
        #expect(error.message == "nesting is deeper than 200 levels, the limit")
    }

    @Test func deepBlockMappingsAreRefused() throws {
        let text = (0..<1_000).map { String(repeating: " ", count: $0) + "k:" }
            .joined(separator: "\n") + " x\n"
        let error = try #require(refusal(text))
        #expect(error.location.line == 201)
    }

    /// An alias to a deep anchor deepens the tree by the anchor's height.
    @Test func aliasesCannotDeepenPastTheLimit() throws {
        let nested = String(repeating: "[", count: 150) + "x" + String(repeating: "]", count: 150)
        let error = try #require(refusal("a: &a \(nested)\nb: " + String(repeating: "[", count: 100)
            + "*a" + String(repeating: "]", count: 100) + "\n"))
        #expect(error.message == "nesting is deeper than 200 levels, the limit")
    }

    // MARK: - Size

    /// 20 MB in a handful of large block scalars: under the 64 MiB limit, so it parses.
    @Test func twentyMegabytesOfBlockScalarsParse() throws {
        let line = "    " + String(repeating: "0123456789abcdef", count: 64) + "\n"
        let block = String(repeating: line, count: 1_000)
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n"
        for index in 0..<20 { text += "  key\(index): |\n" + block }
        #expect(text.utf8.count > 20_000_000)
        let documents = try YAMLParser.parse(text, file: "big.yaml")
        #expect(documents.first?["data"]?.pairs?.count == 20)
        #expect(documents.first?["data"]?["key19"]?.scalar?.text.utf8.count == 1_000 * 1_025)
    }

    /// The same 20 MB with a smaller byte limit is refused before libyaml reads a byte.
    @Test func twentyMegabytesOverTheByteLimitAreRefused() throws {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 20 << 20)
        let error = try #require(largeRefusal(bytes, limits: YAMLLimits(maxBytes: 16 << 20)))
        #expect(error.message == "file is 20971520 bytes, over the limit of 16777216 bytes")
    }

    /// 20 MB of one-character items would be millions of nodes; the node limit stops it
    /// after the first 1,000 (a lower limit keeps the test quick; the check is the same).
    @Test func twentyMegabytesOfTinyNodesAreRefused() throws {
        let text = String(repeating: "- 1\n", count: 5 << 20)
        let limits = YAMLLimits(maxNodes: 1_000)
        let error = try #require(largeRefusal(Array(text.utf8), limits: limits))
        #expect(error.message == "input has more than 1000 nodes, the limit")
        #expect(error.location.line == 1_000)
    }

    @Test func aHundredThousandSmallDocumentsParse() throws {
        let text = String(repeating: "a: 1\n---\n", count: 100_000)
        #expect(try YAMLParser.parse(text, file: "many.yaml").count == 100_000)
        let empty = String(repeating: "---\n", count: 100_000)
        #expect(try YAMLParser.parse(empty, file: "empty.yaml").isEmpty)
    }

    // MARK: - Keys and lines

    @Test func aKeyRepeatedIsRefusedAtItsSecondUse() throws {
        let text = String(repeating: "key: value\n", count: 100_000)
        let error = try #require(refusal(text))
        #expect(error.message == "duplicate key 'key' (first at line 1)")
        #expect(error.location.line == 2)
    }

    @Test func fiftyThousandDistinctKeysParse() throws {
        let text = (0..<50_000).map { "key\($0): \($0)\n" }.joined()
        let documents = try YAMLParser.parse(text, file: "keys.yaml")
        #expect(documents.first?.pairs?.count == 50_000)
    }

    @Test func aRepeatedMergeKeyIsRefused() throws {
        let text = "base: &b {x: 1}\nm:\n" + String(repeating: "  <<: *b\n", count: 1_000)
        let error = try #require(refusal(text))
        #expect(error.message == "duplicate key '<<' (first at line 3)")
    }

    /// One 2 MB line: a plain scalar, then the same line cut before its flow sequence closes.
    @Test func aVeryLongLineParsesOrIsRefusedAtItsEnd() throws {
        let long = String(repeating: "x", count: 2 << 20)
        let documents = try YAMLParser.parse("key: \(long)\n", file: "long.yaml")
        #expect(documents.first?["key"]?.scalar?.text.utf8.count == 2 << 20)
        let error = try #require(largeRefusal(Array("key: [\(long)".utf8)))
        // At the end of the line, not on a line after it.
        #expect(error.location.line == 1)
        #expect(error.location.column == (2 << 20) + 7)
    }

    @Test func aVeryLongKeyIsRefusedAsASimpleKey() throws {
        let key = String(repeating: "k", count: 2_000)
        let error = try #require(refusal("\(key): value\n"))
        #expect(error.location.line == 1)
    }
}
