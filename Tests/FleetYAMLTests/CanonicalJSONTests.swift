import Testing
@testable import FleetYAML

@Suite struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        CanonicalJSON.encode(try parse(text))
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web, tier: front}
        spec:
          replicas: 3
          paused: false
          selector: null
          ports: [80, 443]
          script: |
            echo <ok> & done

        """

    /// The same object with keys reordered, other quoting, comments, flow style and CRLF.
    static let sameObjectElsewhere = [
        """
        # a comment
        spec:
          script: "echo <ok> & done\\n"   # trailing comment
          ports:
          - 80
          - 443
          selector:
          paused: false
          replicas: 3
        kind: 'Deployment'
        apiVersion: "apps/v1"
        metadata:
          labels:
            tier: "front"
            app: 'web'
          name: web
        """,
        "{\"metadata\": {\"name\": \"web\", \"labels\": {\"tier\": \"front\", \"app\": \"web\"}},"
            + " \"kind\": \"Deployment\", \"apiVersion\": \"apps/v1\", \"spec\": {\"ports\": [80,"
            + " 443], \"replicas\": 3, \"paused\": false, \"selector\": null,"
            + " \"script\": \"echo <ok> & done\\n\"}}",
        deployment.replacingOccurrences("\n", with: "\r\n"),
        "\u{FEFF}" + deployment,
        deployment.replacingOccurrences("labels: {", with: "labels: &labels {"),
    ]

    @Test func encodesCompactSortedJSON() throws {
        #expect(try canonical(Self.deployment)
            == "[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
            + "\"metadata\":{\"labels\":{\"app\":\"web\",\"tier\":\"front\"},\"name\":\"web\"},"
            + "\"spec\":{\"paused\":false,\"ports\":[80,443],\"replicas\":3,"
            + "\"script\":\"echo \\u003cok\\u003e \\u0026 done\\n\",\"selector\":null}}]")
    }

    @Test(arguments: sameObjectElsewhere.indices)
    func layoutDoesNotChangeTheBytesOrHash(index: Int) throws {
        let docs = try parse(Self.sameObjectElsewhere[index])
        let want = try #require(try parse(Self.deployment).first)
        let got = try #require(docs.last)
        #expect(CanonicalJSON.encode(got) == CanonicalJSON.encode(want))
        #expect(SHA256.hex(CanonicalJSON.encode(got)) == SHA256.hex(CanonicalJSON.encode(want)))
    }

    @Test(arguments: [
        ("v: 1", "v: \"1\""), ("v: 010", "v: 10"), ("v: true", "v: \"true\""),
        ("v: no", "v: \"no\""), ("v: ~", "v: null"), ("v: 1.0", "v: 1"), ("v: 0x1F", "v: 31"),
        ("v: [1]", "v: 1"), ("v: {a: 1}", "v: [a, 1]"), ("v: ''", "v:"), ("a: 1", "A: 1"),
    ])
    func differentValuesChangeTheHash(left: String, right: String) throws {
        let a = try canonical(left)
        let b = try canonical(right)
        #expect(a != b)
        #expect(SHA256.hex(a) != SHA256.hex(b))
    }

    @Test(arguments: [
        ("v: x", "v: 'x'"), ("v: \"x\"", "v: |-\n  x\n"), ("{b: 1, a: 2}", "a: 2\nb: 1"),
        ("v: >-\n  a\n  b\n", "v: a b"), ("v: \"\\u00e9\"", "v: é"),
    ])
    func equalValuesGiveEqualBytes(left: String, right: String) throws {
        #expect(try canonical(left) == canonical(right))
    }

    @Test(arguments: [
        ("v: \"<a>&'\\\"\\\\\"", "{\"v\":\"\\u003ca\\u003e\\u0026'\\\"\\\\\"}"),
        ("v: \"\\t\\r\\n\\x01\\x1f\\u2028\\u2029\\x7f\"",
         "{\"v\":\"\\t\\r\\n\\u0001\\u001f\\u2028\\u2029\u{7f}\"}"),
        ("v: 日本 😀", "{\"v\":\"日本 😀\"}"),
        // U+2026 shares its lead byte with U+2028, so it takes the escaping path unescaped.
        ("v: \"a…b\\u2028\"", "{\"v\":\"a…b\\u2028\"}"), ("v: a…b", "{\"v\":\"a…b\"}"),
        ("v: on", "{\"v\":\"\\u0000yaml-plain:on\"}"),
        ("v: -1.5e3", "{\"v\":-1.5e3}"),
        ("v:\n  B: 1\n  a: 2\n  _: 3\n  é: 4\n", "{\"v\":{\"B\":1,\"_\":3,\"a\":2,\"é\":4}}"),
        ("[]", "[]"), ("{}", "{}"), ("v: [{}, []]", "{\"v\":[{},[]]}"),
    ])
    func escapesAndSortsLikeGo(yaml: String, json: String) throws {
        let node = try #require(try parse(yaml).first)
        #expect(CanonicalJSON.encode(node) == json)
    }

    @Test func encodesDocumentLists() throws {
        #expect(try canonical("a: 1\n---\n- x\n") == "[{\"a\":1},[\"x\"]]")
        #expect(CanonicalJSON.encode([YAMLNode]()) == "[]")
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesKnownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func sha256OfAMillionAs() {
        let digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == digest)
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
