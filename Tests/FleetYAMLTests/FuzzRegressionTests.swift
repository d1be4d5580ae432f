import FleetYAMLFuzzing
import Testing
@testable import FleetYAML

/// Inputs fuzzing found to break an invariant, minimised; each is also a `found-*` seed of the
/// corpus, so the fuzz suites start from it.
@Suite struct FuzzRegressionTests {
    func failure(_ bytes: [UInt8]) throws -> YAMLError {
        let outcome = YAMLFuzzChecks.run(bytes, file: "test.yaml")
        #expect(outcome.violations == [])
        return try #require(outcome.parseError)
    }

    /// libyaml ends input without a final line break with one of its own, so errors at the
    /// end named the line after the last; they name the end of the last line.
    @Test(arguments: [
        ("a: [x", 1, 6, "a: [x"),
        ("metadata:\n  name: a\n  labe", 3, 7, "  labe"),
        ("a: 1\r\nb: {c: d", 2, 9, "b: {c: d"),
    ])
    func errorsAtTheEndNameTheLastLine(
        text: String, line: Int, column: Int, shown: String
    ) throws {
        let error = try failure(Array(text.utf8))
        #expect(error.location.line == line)
        #expect(error.location.column == column)
        #expect(error.sourceLine == shown)
    }

    @Test func anEmptyKeyAtTheEndIsOnTheLastLine() throws {
        let documents = try YAMLParser.parse(Array("?".utf8), file: "test.yaml")
        let key = try #require(documents.first?.pairs?.first)
        #expect(key.keyLocation?.line == 1)
        #expect(key.value.location?.line == 1)
    }

    /// libyaml counts a lone CR, NEL, LS and PS as line breaks; the line shown with an error
    /// is the line its number names.
    @Test(arguments: [
        ("a: 1\rb: 2\nc: ]\nd: 3\n", 3, "c: ]"),
        ("k: \"x\u{85}y\"\nc: ]\nd: 3\n", 3, "c: ]"),
        ("k: \"x\u{2028}y\u{2029}z\"\nc: ]\n", 4, "c: ]"),
    ])
    func theLineShownIsTheLineNamed(text: String, line: Int, shown: String) throws {
        let error = try failure(Array(text.utf8))
        #expect(error.location.line == line)
        #expect(error.sourceLine == shown)
    }

    @Test func readerErrorsCountLinesAsLibyamlDoes() throws {
        let error = try failure(Array("a: 1\rb: ".utf8) + [0xFF, 0x0A])
        #expect(error.location.line == 2)
        #expect(error.location.column == 4)
        #expect(error.message.hasPrefix("file is not valid UTF-8"))
    }

    /// Known gap (see RoundTripDiff): a plain scalar read as ambiguous that libyaml cannot
    /// write plain comes back quoted, a string.
    @Test func ambiguousPlainScalarsComeBackQuotedWhenLibyamlCannotWriteThemPlain() throws {
        let outcome = YAMLFuzzChecks.run(Array("a: --- x\nb: ... x\nc: 1.5\n".utf8))
        #expect(outcome.violations == [])
        #expect(outcome.requotedAmbiguousScalars == 2)
    }

    /// Found by libFuzzer: libyaml writes these tags under a handle, where its own reader
    /// refuses `,`, `[` and `]`, so the parser refuses them rather than render unreadable files.
    @Test(arguments: ["a: !<tag:yaml.org,2002:x,y> z\n", "a: !<!x,y> z\n", "a: !<!x[y]> z\n"])
    func tagsThatCannotBeWrittenBackAreRefused(text: String) throws {
        #expect(throws: YAMLError.self) { try YAMLParser.parse(text, file: "test.yaml") }
        #expect(YAMLFuzzChecks.run(Array(text.utf8)).violations == [])
    }
}
