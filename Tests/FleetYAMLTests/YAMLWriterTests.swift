import Testing
@testable import FleetYAML

@Suite struct YAMLWriterTests {
    /// Inputs already in the writer's layout: reading and writing them changes no byte.
    static let exactInputs = [
        "a: 1\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\n"
            + "spec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: web\n"
            + "        image: nginx:1.25\n        ports:\n        - containerPort: 80\n",
        "a: 'single'\nb: \"double\"\nc: plain\nd: 'it''s'\ne: \"tab\\there\"\n",
        "on: on\nno: 'no'\nport: \"8080\"\nmode: 010\nhex: 0x1F\nnull: ~\nn: 1_000\nt: \"true\"\n",
        "script: |\n  #!/bin/sh\n  echo hello\n  - not a list\n",
        "strip: |-\n  x\n",
        "folded: >\n  folded\n    more indented\n  back\n",
        "folded: >-\n  x\n",
        "k: |2\n   leading\n  x\n",
        "- - a\n  - b\n- c: d\n  e: f\n",
        "empty: []\nnone: {}\nnothing:\n",
        "a: !!str 10\nb: !!int 10\nc: !!binary aGVsbG8=\n",
        "a: 'single\n\n  newline'\n",
        "a: '  leading spaces'\nb: \"trailing tab\\t\"\nc: \"\\0\"\nd: \"\\\\x\"\n",
        "key: é ü 日本\n",
        "a:\n- b: |\n    x\n  c: d\n",
        "a: 1\n---\nb: 2\n---\n- c\n",
        "|\n  root literal\n",
        "long: " + String(repeating: "word ", count: 60) + "end\n",
    ]

    @Test(arguments: exactInputs)
    func rewritesAuthoredTextExactly(text: String) throws {
        #expect(try YAMLWriter.write(documents: parse(text)) == text)
    }

    /// Inputs whose layout the writer normalises; the values and styles still read back equal.
    static let normalisedInputs = [
        "a:   1   # comment\nb:\n    - x\n    -   y\n",
        "{a: [1, 2], b: {c: d}}\n",
        "? a\n: b\n",
        "a: >+\n  x\n\n",
        "- |+\n  keep\n\n",
        "a: |\n\n  leading blank\n",
        "a: \"esc \\x07 \\u2028 \\N \\_\"\n",
        "'root single'\n---\n\"root double\"\n---\nroot plain\n",
        String(repeating: "k", count: 200) + ": v\n",
        "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n",
        "a: 1\r\nb: |\r\n  x\r\n",
        "multi: plain\n  continued\n",
        "a: !custom x\n",
    ] + exactInputs

    @Test(arguments: normalisedInputs)
    func writtenNodesReadBackEqual(text: String) throws {
        let nodes = try parse(text)
        let written = try YAMLWriter.write(documents: nodes)
        #expect(try parse(written) == nodes)
    }

    @Test(arguments: normalisedInputs)
    func writingIsStable(text: String) throws {
        let nodes = try parse(text)
        let first = try YAMLWriter.write(documents: nodes)
        #expect(try YAMLWriter.write(documents: nodes) == first)
        #expect(try YAMLWriter.write(documents: parse(first)) == first)
    }

    /// Styles libyaml 0.2.5 cannot write: the text survives in double quotes.
    @Test(arguments: [
        ("a: |\n  trailing  \n  b\n", "trailing  \nb\n", "a: \"trailing  \\nb\\n\"\n"),
        ("a: |\n  tab\there\n", "tab\there\n", "a: \"tab\\there\\n\"\n"),
        ("a: |\n  line\n   \n  x\n", "line\n \nx\n", "a: \"line\\n \\nx\\n\"\n"),
        ("a: 😀 emoji\n", "😀 emoji", "a: \"\\U0001F600 emoji\"\n"),
    ])
    func unwritableStylesFallBackToDoubleQuotes(text: String, value: String, want: String) throws {
        let written = try YAMLWriter.write(documents: parse(text))
        #expect(written == want)
        #expect(try parse(written).first?["a"]?.scalar == YAMLScalar(value, style: .doubleQuoted))
    }

    @Test(arguments: [
        "", "true", "1", "no", "010", "null", "~", "0x1F", "1_000", "-", "---", "...", "- x",
        "a: b", "a:", "#c", "x #c", " lead", "trail ", "a\nb", "multi\nline\n", "tab\there",
        "\u{1}", "@x", "`x", "%x", "!x", "&x", "*x", "{x", "[x", "]", ",x", "?", "? x", "'", "\"",
        "|", ">", "<<", "=", "😀", "\u{FEFF}x", "value1", "nginx:1.25", "é", "C:\\dir",
        String(repeating: "long ", count: 50),
    ])
    func builtStringsReadBackTheSame(text: String) throws {
        let node = YAMLNode.mapping([(text, .string(text)), ("list", .sequence([.string(text)]))])
        let written = try YAMLWriter.write(node)
        let back = try parse(written)
        #expect(back == [node])
        #expect(back.first?[text]?.scalar?.text == text)
    }

    @Test func writesBuiltObjectsInKubectlLayout() throws {
        let node = YAMLNode.mapping([
            ("apiVersion", .string("v1")),
            ("kind", .string("ConfigMap")),
            ("metadata", .mapping([("name", .string("web")), ("generation", .int(2))])),
            ("data", .mapping([("enabled", .string("true")), ("script", .string("a\nb\n"))])),
            ("items", .sequence([.mapping([("x", .bool(false)), ("y", .null)]), .int(3)])),
            ("empty", .sequence([])),
        ])
        let written = try YAMLWriter.write(node)
        #expect(written == """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web
              generation: 2
            data:
              enabled: "true"
              script: "a\\nb\\n"
            items:
            - x: false
              "y": null
            - 3
            empty: []

            """)
    }

    @Test func joinsDocumentsWithSeparators() throws {
        let docs: [YAMLNode] = [.mapping([("a", .int(1))]), .sequence([.string("b")]),
                                .string("c")]
        #expect(try YAMLWriter.write(documents: docs) == "a: 1\n---\n- b\n--- c\n")
        #expect(try YAMLWriter.write(documents: []) == "")
    }

    @Test func writesTagsOnlyWhenExplicit() throws {
        let node = YAMLNode.mapping([
            ("tagged", YAMLNode(.scalar(YAMLScalar("10", tag: "tag:yaml.org,2002:str")))),
            ("local", YAMLNode(.scalar(YAMLScalar("x", tag: "!thing")))),
            ("quoted", YAMLNode(.scalar(YAMLScalar("10", style: .singleQuoted)))),
        ])
        #expect(try YAMLWriter.write(node) == "tagged: !!str 10\nlocal: !thing x\nquoted: '10'\n")
    }

    @Test func emitterErrorsAreThrown() throws {
        let node = YAMLNode(.scalar(YAMLScalar("x", tag: "")))
        do {
            _ = try YAMLWriter.write(node)
            Issue.record("an empty tag was written")
        } catch {
            #expect(error.message == "tag value must not be empty")
            #expect(error.description == "cannot write YAML: tag value must not be empty")
        }
    }
}
