import Testing
@testable import FleetYAML

@Suite struct YAMLParserTests {
    @Test func parsesBasicDocument() throws {
        let docs = try YAMLParser.parse("a: 1\nb:\n  - x\n  - 'y'\n---\nc: d\n", file: "t.yaml")
        #expect(docs.count == 2)
        #expect(docs[0]["b"]?.items?.count == 2)
        #expect(docs[0]["b"]?.items?[1].scalar?.style == .singleQuoted)
        #expect(docs[0]["b"]?.items?[1].location?.line == 4)
    }
}
