import FleetAPI
@testable import FleetEngine
import Foundation
import Testing

/// Applying a file of plain workloads patches the combined view in place; it must equal what
/// combining every file again gives, whatever the change.
@Suite("hub patches")
struct HubPatchTests {
    static func configMap(_ name: String, namespace: String = "app", value: String = "v1")
        -> String
    {
        Manifests.configMap(name, namespace: namespace, value: value)
    }

    static let start: [String: String] = [
        "app/a.yaml": configMap("a"),
        "app/c.yaml": configMap("c") + "---\n" + configMap("d"),
        "app/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n",
        "placements/p.yaml": """
            apiVersion: placement.kubernetes-fleet.io/v1beta1
            kind: ClusterResourcePlacement
            metadata: {name: p}
            spec:
              resourceSelectors: [{group: "", version: v1, kind: Namespace, name: app}]
            """,
    ]

    static let changes: [(String, [String: String?])] = [
        ("a value changes", ["app/a.yaml": configMap("a", value: "v2")]),
        ("a file is added between others", ["app/b.yaml": configMap("b")]),
        ("a file is added last", ["app/z.yaml": configMap("z")]),
        ("a file is deleted", ["app/c.yaml": nil]),
        ("a document moves to another file", [
            "app/c.yaml": configMap("c"), "app/e.yaml": configMap("d"),
        ]),
        ("a duplicate appears", ["app/b.yaml": configMap("a")]),
        ("a file gets a fleet object", ["app/a.yaml": configMap("a") + "---\n"
            + "apiVersion: cluster.kubernetes-fleet.io/v1beta1\nkind: MemberCluster\n"
            + "metadata: {name: m1}\n"]),
        ("a file breaks", ["app/a.yaml": "kind: [\n"]),
        ("an invalid workload", ["app/a.yaml": "apiVersion: v1\nkind: ConfigMap\n"]),
    ]

    func fresh(_ files: [String: String]) -> HubObjects {
        var hub = HubContent()
        for (path, text) in files { hub.apply(path: path, bytes: Array(text.utf8)) }
        return hub.combined()
    }

    func summary(_ objects: HubObjects) -> [String] {
        objects.workloads.map { "\($0.identity) \($0.location.map(String.init(describing:)) ?? "")" }
            + objects.diagnostics.map(\.description)
            + objects.invalidWorkloads.map { "invalid: \($0)" }
            + objects.placements.keys.sorted().map { "placement \($0)" }
            + objects.members.keys.sorted().map { "member \($0)" }
    }

    @Test("a patched view equals a combined one", arguments: changes.indices)
    func patchedEqualsCombined(_ index: Int) {
        let (what, change) = Self.changes[index]
        var hub = HubContent()
        for (path, text) in Self.start { hub.apply(path: path, bytes: Array(text.utf8)) }
        _ = hub.combined()
        var files = Self.start
        for path in change.keys.sorted() {
            let text = change[path] ?? nil
            hub.apply(path: path, bytes: text.map { Array($0.utf8) })
            files[path] = text
        }
        #expect(summary(hub.combined()) == summary(fresh(files)), "\(what)")
    }

    @Test("plain workload changes patch; others combine again")
    func whichChangesPatch() {
        var hub = HubContent()
        for (path, text) in Self.start { hub.apply(path: path, bytes: Array(text.utf8)) }
        _ = hub.combined()
        let plain = hub.apply(path: "app/a.yaml", bytes: Array(Self.configMap("a").utf8))
        #expect(plain.replaced?.removed == ["/v1/ConfigMap/app/a"])
        let fleet = hub.apply(path: "placements/p.yaml", bytes: nil)
        #expect(fleet.replaced == nil)
    }
}
