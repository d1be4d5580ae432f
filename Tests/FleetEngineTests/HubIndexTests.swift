import FleetAPI
@testable import FleetEngine
import FleetGit
import Foundation
import Testing

@Suite("hub index")
struct HubIndexTests {
    static let configMaps = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: one, namespace: app}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: app}

        """

    static let blob = ObjectID(hex: String(repeating: "ab", count: 20))!

    func file(_ text: String) -> HubFile {
        HubFile(path: "workloads/app.yaml", bytes: Array(text.utf8))
    }

    @Test("a file of built-in workloads is described by where they live and who they are")
    func describesWorkloads() throws {
        let entry = try #require(HubIndex.entry(for: file(Self.configMaps)))
        #expect(entry.places.map(\.name) == ["one", "app"])
        #expect(entry.places.map(\.namespace) == ["app", nil])
        #expect(entry.identities == ["/v1/ConfigMap/app/one", "/v1/Namespace//app"])
    }

    @Test("files that must always be parsed get no entry", arguments: [
        ("a fleet object", """
            apiVersion: cluster.kubernetes-fleet.io/v1beta1
            kind: MemberCluster
            metadata: {name: m1}
            """),
        ("a kind a CRD may declare", """
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, namespace: app}
            """),
        ("a YAML error", "apiVersion: v1\nkind: [\n"),
        ("an invalid workload", "apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: app}\n"),
        ("nothing", "# only a comment\n"),
    ])
    func alwaysParsed(_ what: String, _ text: String) {
        #expect(HubIndex.entry(for: file(text)) == nil, "\(what)")
    }

    static let member = """
        apiVersion: cluster.kubernetes-fleet.io/v1beta1
        kind: MemberCluster
        metadata:
          name: m1
          labels: {environment: prod, order: "2"}
          annotations: {gitfleet.io/availability: reported, note: "a=b c"}
          generation: 3
          creationTimestamp: "2026-01-02T03:04:05Z"

        """

    @Test("a file of one valid member keeps the member, exactly")
    func keepsMembers() throws {
        let parsed = file(Self.member)
        let member = try #require(HubIndex.member(of: parsed))
        #expect(parsed.objects.first == .memberCluster(member))
        #expect(member.meta.annotations["note"] == "a=b c")
    }

    @Test("members the index cannot keep exactly are parsed each time", arguments: [
        ("an annotation with a newline", """
            apiVersion: cluster.kubernetes-fleet.io/v1beta1
            kind: MemberCluster
            metadata: {name: m1, annotations: {note: "two\\nlines"}}
            """),
        ("an annotation with a tab", """
            apiVersion: cluster.kubernetes-fleet.io/v1beta1
            kind: MemberCluster
            metadata: {name: m1, annotations: {note: "a\\tb"}}
            """),
        ("a member and a workload", """
            apiVersion: cluster.kubernetes-fleet.io/v1beta1
            kind: MemberCluster
            metadata: {name: m1}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: app}
            """),
        ("an invalid member", """
            apiVersion: cluster.kubernetes-fleet.io/v1beta1
            kind: MemberCluster
            metadata: {name: M_1}
            """),
        ("a placement", """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourcePlacement
            metadata: {name: p}
            spec:
              resourceSelectors: [{group: "", version: v1, kind: Namespace, name: app}]
            """),
    ])
    func membersNotKept(_ what: String, _ text: String) {
        #expect(HubIndex.member(of: file(text)) == nil, "\(what)")
    }

    @Test("the index survives a save and a load, and a damaged file reads as empty")
    func roundTrip() throws {
        let folder = NSTemporaryDirectory() + "hub-index-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + HubIndex.fileName
        #expect(HubIndex.load(from: path) == HubIndex(), "a missing file is an empty index")

        var index = HubIndex()
        index[Self.blob] = HubIndex.entry(for: file(Self.configMaps))
        let member = try #require(HubIndex.member(of: file(Self.member)))
        index.setMember(member, blob: ObjectID(hex: String(repeating: "cd", count: 20))!)
        try index.save(to: path)
        #expect(HubIndex.load(from: path) == index)

        try Data("gitfleet hub index 2\nnot\ta\tline\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(HubIndex.load(from: path) == HubIndex())
        try Data("some other format\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(HubIndex.load(from: path) == HubIndex())
    }
}
