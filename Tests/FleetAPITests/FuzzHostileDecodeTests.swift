import FleetAPIFuzzing
import FleetYAML
import FleetYAMLFuzzing
import Testing
@testable import FleetAPI

/// Decoding inputs built to be large: many files, many documents, wide and deep objects.
/// Each must finish with content or located diagnostics; nothing here measures time.
@Suite struct FuzzHostileDecodeTests {
    static func configMap(_ index: Int) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\(index)\n  namespace: ns\n"
            + "data:\n  key: value\(index)\n"
    }

    /// Ten thousand files of one commit: workloads, members, duplicates and broken files.
    @Test func tenThousandFilesLoad() {
        var files: [(path: String, bytes: [UInt8])] = []
        for index in 0..<9_000 {
            files.append(("workloads/cm\(index).yaml", Array(Self.configMap(index).utf8)))
        }
        for index in 0..<500 {
            files.append(("copies/cm\(index).yaml", Array(Self.configMap(index).utf8)))
        }
        for index in 0..<400 {
            files.append(("broken/b\(index).yaml", Array("a: [\(index)\n".utf8)))
        }
        for index in 0..<100 {
            let member = "apiVersion: cluster.kubernetes-fleet.io/v1beta1\nkind: MemberCluster\n"
                + "metadata:\n  name: member\(index)\n"
            files.append(("members/m\(index).yaml", Array(member.utf8)))
        }
        let set = ManifestSet.load(files: files)
        #expect(set.workloads.count == 9_000)
        #expect(set.state.members.count == 100)
        #expect(set.parseErrors.count == 400)
        #expect(set.parseErrors.allSatisfy { $0.location?.line == 2 })
        #expect(set.diagnostics.count == 500)
        #expect(set.diagnostics.allSatisfy { $0.message.contains("is also defined at") })
    }

    /// Twenty thousand small documents in one file, through `decodeFile`. (FleetYAMLTests
    /// parses a hundred thousand; at nine nodes a document, that many would also fit the
    /// parser's node limit, but would take seconds to decode in a debug build.)
    @Test func twentyThousandDocumentsDecode() {
        let text = (0..<20_000)
            .map { "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\($0)\n" }
            .joined(separator: "---\n")
        let (documents, parseError) = FleetDecoder.decodeFile(
            path: "many.yaml", bytes: Array(text.utf8), source: .repository)
        #expect(parseError == nil)
        #expect(documents.count == 20_000)
        #expect(documents.allSatisfy { $0.workload != nil })
        #expect(documents.last?.ref?.name == "ns19999")
    }

    /// Nesting at the parser's limit, inside a workload and where a fleet object expects a
    /// string.
    @Test func objectsNestedToTheLimitDecode() throws {
        let deep = String(repeating: "[", count: 190) + "x" + String(repeating: "]", count: 190)
        let workload = Self.configMap(0) + "  deep: \(deep)\n"
        let strategy = """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterStagedUpdateStrategy
            metadata:
              name: s
            spec:
              stages:
                - name: \(deep)

            """
        let outcome = DecoderFuzzChecks.run(Array((workload + "---\n" + strategy).utf8))
        #expect(outcome.violations == [])
        #expect(outcome.yaml.documents.count == 2)
        let decoded = outcome.yaml.documents.map {
            FleetDecoder.decode($0, file: "fuzz.yaml", source: .repository)
        }
        #expect(decoded.first?.workload != nil)
        #expect(decoded.last?.content == nil)
        #expect(decoded.last?.diagnostics.isEmpty == false)
    }

    /// Wide objects: hundreds of stages, thousands of labels, an aliased list of selectors.
    @Test func wideObjectsDecodeWithLocatedDiagnostics() {
        let stages = (0..<500).map { "    - name: stage\($0)\n      maxConcurrency: \($0)\n" }
        let strategy = "apiVersion: placement.kubernetes-fleet.io/v1beta1\n"
            + "kind: ClusterStagedUpdateStrategy\nmetadata:\n  name: wide\nspec:\n  stages:\n"
            + stages.joined()
        let labels = (0..<2_000).map { "    label\($0): value\($0)\n" }
        let member = "apiVersion: cluster.kubernetes-fleet.io/v1beta1\nkind: MemberCluster\n"
            + "metadata:\n  name: wide\n  labels:\n" + labels.joined()
        let selector = "  - {group: \"\", version: v1, kind: Namespace, name: ns}\n"
        let placement = "apiVersion: placement.kubernetes-fleet.io/v1beta1\n"
            + "kind: ClusterResourcePlacement\nmetadata:\n  name: wide\nspec:\n"
            + "  resourceSelectors: &s\n" + String(repeating: selector, count: 100)
            + "  policy:\n    clusterNames: [*s, *s, *s, *s, *s, *s, *s, *s, *s, *s]\n"
        for text in [strategy, member, placement] {
            let outcome = DecoderFuzzChecks.run(Array(text.utf8))
            #expect(outcome.violations == [])
            #expect(outcome.fleetObjects + outcome.rejected == 2)
        }
    }
}
