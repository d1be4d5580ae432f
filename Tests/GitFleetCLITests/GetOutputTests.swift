import FleetAPI
import FleetYAML
import GitFleetCLI
import Testing

@Suite struct GetOutputTests {
    /// Command lines whose standard output is kept in Golden/<file>.
    static let goldens: [(file: String, arguments: [String])] = [
        ("get-csur.txt", ["get", "csur"]),
        ("get-csur-wide.txt", ["get", "clusterstagedupdateruns", "-o", "wide"]),
        ("get-sur-all-namespaces.txt", ["get", "sur", "-A"]),
        ("get-sur-namespace-wide.txt", ["get", "sur", "-n", "team-a", "-o", "wide"]),
        ("get-csus.txt", ["get", "csus"]),
        ("get-sus-all-namespaces.txt", ["get", "sus", "-A"]),
        ("get-careq.txt", ["get", "careq"]),
        ("get-areq-all-namespaces.txt", ["get", "areq", "-A"]),
        ("get-crs.txt", ["get", "crs"]),
        ("get-rs-namespace.txt", ["get", "rs", "-n", "team-a"]),
        ("get-csps.txt", ["get", "csps"]),
        ("get-sps-all-namespaces.txt", ["get", "sps", "-A"]),
        ("get-crp.txt", ["get", "crp"]),
        ("get-crp-wide.txt", ["get", "crp", "-o", "wide"]),
        ("get-rp-all-namespaces-wide.txt", ["get", "rp", "-A", "-o", "wide"]),
        ("get-crb.txt", ["get", "crb"]),
        ("get-crb-wide.txt", ["get", "crb", "-o", "wide"]),
        ("get-rb-all-namespaces.txt", ["get", "rb", "-A"]),
        ("get-cluster.txt", ["get", "cluster"]),
        ("get-cluster-wide.txt", ["get", "memberclusters", "-o", "wide"]),
        ("get-csur-one.txt", ["get", "csur", "run-2"]),
        ("get-csur-json.txt", ["get", "csur", "-o", "json"]),
        ("get-sur-one-json.txt", ["get", "sur", "api-7f3a9c1", "-n", "team-a", "-o", "json"]),
        ("get-empty-json.txt", ["get", "sur", "-n", "nobody", "-o", "json"]),
        ("get-crp-yaml.txt", ["get", "crp", "-o", "yaml"]),
        ("get-crb-one-yaml.txt", ["get", "crb", "app-member-2", "-o", "yaml"]),
        ("get-cluster-one-yaml.txt", ["get", "cluster", "member-1", "-o", "yaml"]),
    ]

    @Test(arguments: goldens)
    func outputMatchesGolden(_ file: String, _ arguments: [String]) async throws {
        let got = await runCommand(arguments)
        #expect(got.status == 0)
        #expect(got.stderr == "")
        try GoldenFile.check(got.stdout, against: file)
    }

    @Test func runTableLooksLikeKubectl() async {
        let got = await runCommand(["get", "csur"])
        #expect(got.stdout == """
            NAME    PLACEMENT   RESOURCE-SNAPSHOT-INDEX   POLICY-SNAPSHOT-INDEX   INITIALIZED   \
            PROGRESSING   SUCCEEDED   AGE
            run-1   app         0                         0                       True          \
            True                      3m20s
            run-2   app                                                           False         \
                                      7h

            """)
    }

    @Test func jsonAndYAMLShowTheSameObject() async throws {
        for arguments in [["get", "crp", "app"], ["get", "crb"], ["get", "sur", "-A"]] {
            let json = await runCommand(arguments + ["-o", "json"])
            let yaml = await runCommand(arguments + ["-o", "yaml"])
            let fromJSON = try YAMLParser.parse(Array(json.stdout.utf8), file: "json")
            let fromYAML = try YAMLParser.parse(Array(yaml.stdout.utf8), file: "yaml")
            #expect(fromJSON.count == 1)
            #expect(CanonicalJSON.encode(fromJSON[0]) == CanonicalJSON.encode(fromYAML[0]))
        }
    }

    @Test func emptyListSaysNoResources() async {
        let namespaced = await runCommand(["get", "sur", "-n", "nobody"])
        #expect(namespaced.status == 0)
        #expect(namespaced.stdout == "")
        #expect(namespaced.stderr == "No resources found in namespace 'nobody'\n")

        let defaulted = await runCommand(["get", "rb"])
        #expect(defaulted.stderr == "No resources found in namespace 'default'\n")

        var empty = FixtureActions()
        empty.state = FleetState()
        let cluster = await runCommand(["get", "csur"], actions: empty)
        #expect(cluster.status == 0)
        #expect(cluster.stderr == "No resources found\n")
        let all = await runCommand(["get", "sur", "-A"], actions: empty)
        #expect(all.stderr == "No resources found\n")
    }

    @Test func missingNameIsInputError() async {
        let got = await runCommand(["get", "csur", "run-9"])
        #expect(got.status == 1)
        #expect(got.stdout == "")
        #expect(got.stderr
            == "error: no ClusterStagedUpdateRun named 'run-9', did you mean 'run-1'?\n")

        let namespaced = await runCommand(["get", "sur", "api-7f3a9c1"])
        #expect(namespaced.status == 1)
        #expect(namespaced.stderr
            == "error: no StagedUpdateRun named 'api-7f3a9c1' in namespace 'default'\n")
    }

    @Test func itemsAreSortedByNamespaceThenName() {
        let keys = Fixture.state.items(of: .stagedUpdateRun, in: .all).map(\.key.description)
        #expect(keys == ["team-a/api-7f3a9c1", "team-b/rollback"])
        let bindings = Fixture.state.items(of: .clusterResourceBinding, in: .all).map(\.meta.name)
        #expect(bindings == ["app-member-1", "app-member-2"])
    }

    @Test(arguments: FleetKind.allCases.filter(\.isListedByGet))
    func everyListedKindHasNameFirst(_ kind: FleetKind) {
        let headers = PrinterColumns.headers(for: kind, wide: true)
        #expect(headers.first == "NAME")
        #expect(headers.contains("AGE"))
        #expect(headers.allSatisfy { $0 == $0.uppercased() })
    }

    @Test func creationFallsBackToEarliestCondition() throws {
        let runs = Fixture.state.items(of: .clusterStagedUpdateRun, in: .all)
        let first = try #require(runs.first)
        #expect(first.creationDate == Fixture.ago(200))
        let members = Fixture.state.items(of: .memberCluster, in: .all)
        #expect(members.last?.creationDate == nil)
    }
}

@Suite struct TableTests {
    @Test func columnsPadToWidestCellPlusThree() {
        let table = Table(headers: ["NAME", "AGE"], rows: [["a", "5s"], ["longer-name", "2d"]])
        #expect(table.rendered() == """
            NAME          AGE
            a             5s
            longer-name   2d

            """)
    }

    @Test func narrowColumnsKeepMinimumWidth() {
        let table = Table(headers: ["A", "B", "C"], rows: [["1", "", "3"], ["1", "2", ""]])
        #expect(table.rendered() == "A     B     C\n1           3\n1     2\n")
    }
}

@Suite struct AgeTests {
    @Test(arguments: [
        (0, "0s"), (-1, "0s"), (-2, "<invalid>"), (0.9, "0s"), (45, "45s"), (119, "119s"),
        (120, "2m"), (200, "3m20s"), (599, "9m59s"), (600, "10m"), (10_799, "179m"),
        (10_800, "3h"), (18_000, "5h"), (19_800, "5h30m"), (28_799, "7h59m"), (28_800, "8h"),
        (47 * 3600, "47h"), (48 * 3600, "2d"), (51 * 3600, "2d3h"), (191 * 3600, "7d23h"),
        (8 * 86400, "8d"), (729 * 86400, "729d"), (730 * 86400, "2y"), (731 * 86400, "2y1d"),
        (8 * 365 * 86400, "8y"), (20 * 365 * 86400, "20y"),
    ] as [(Double, String)])
    func ageUsesKubectlPrecision(_ seconds: Double, _ want: String) {
        #expect(Age.format(seconds) == want)
    }

    @Test func missingDateIsUnknown() {
        #expect(Age.since(nil, now: Fixture.now) == "<unknown>")
        #expect(Age.since(Fixture.ago(200), now: Fixture.now) == "3m20s")
    }
}

@Suite struct JSONPrinterTests {
    @Test func nestedValuesIndentByFour() {
        let node = YAMLNode.mapping([
            ("kind", .string("Thing")),
            ("spec", .mapping([
                ("count", .int(3)),
                ("enabled", .bool(true)),
                ("nothing", .null),
                ("list", .sequence([.string("a"), .mapping([("b", .string("c"))])])),
                ("empty", .sequence([])),
                ("map", .mapping([])),
            ])),
        ])
        #expect(JSONPrinter.render(node) == """
            {
                "kind": "Thing",
                "spec": {
                    "count": 3,
                    "enabled": true,
                    "nothing": null,
                    "list": [
                        "a",
                        {
                            "b": "c"
                        }
                    ],
                    "empty": [],
                    "map": {}
                }
            }

            """)
    }

    @Test(arguments: [
        (YAMLScalar("true"), "true"),
        (YAMLScalar("true", style: .doubleQuoted), "\"true\""),
        (YAMLScalar("yes"), "\"yes\""),
        (YAMLScalar("010"), "\"010\""),
        (YAMLScalar("0x1F"), "\"0x1F\""),
        (YAMLScalar("-1.5e3"), "-1.5e3"),
        (YAMLScalar("~"), "\"~\""),
        (YAMLScalar("null"), "null"),
        (YAMLScalar("12", tag: "!!str"), "\"12\""),
        (YAMLScalar("say \"hi\"\n\tback\\slash\u{01}"),
         "\"say \\\"hi\\\"\\n\\tback\\\\slash\\u0001\""),
    ])
    func scalarsKeepTheirMeaning(_ scalar: YAMLScalar, _ want: String) {
        #expect(JSONPrinter.render(YAMLNode(.scalar(scalar))) == want + "\n")
    }
}
