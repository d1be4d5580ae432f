import Testing
import FleetAPI
import FleetPlacement
import FleetYAML

private let f = Fixture.self

/// Decodes YAML text as a repository file and indexes its workload resources.
private func index(_ text: String, file: String = "app.yaml") throws -> WorkloadIndex {
    let decoded = FleetDecoder.decodeFile(path: file, bytes: Array(text.utf8), source: .repository)
    if let error = decoded.parseError { throw error }
    for document in decoded.documents {
        #expect(document.diagnostics.isEmpty, "\(document.diagnostics)")
    }
    return WorkloadIndex(decoded.documents.compactMap(\.workload))
}

private func snapshotHash(_ text: String) throws -> String {
    let placement = f.placement(selectors: [f.namespaceSelector("app")])
    let selected = try ResourceSelection.select(placement: placement, resources: try index(text))
    return SnapshotContent(selected: selected).hash
}

private let original = """
    apiVersion: v1
    kind: Namespace
    metadata:
      name: app
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
      namespace: app
      annotations:
        kubectl.kubernetes.io/last-applied-configuration: '{"big": "blob"}'
    data:
      mode: fast
      retries: "3"
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: app
      resourceVersion: "881"
    spec:
      clusterIP: 10.0.0.12
      ports:
        - port: 80
          nodePort: 30080
    status:
      loadBalancer: {}
    """

/// The same objects: other document and key order, quoting, comments and flow style.
private let reformatted = """
    # Service first this time.
    kind: Service
    apiVersion: "v1"
    metadata: {namespace: app, name: web}
    spec:
      ports: [{port: 80}]
      clusterIP: "10.0.0.99"
    ---
    kind: ConfigMap
    apiVersion: v1
    data:
      retries: '3'      # still a string
      mode: "fast"
    metadata:
      namespace: app
      name: settings
    ---
    metadata:
      name: "app"
    kind: Namespace
    apiVersion: v1
    """

@Suite("Snapshots from YAML text")
struct YAMLFixtureTests {
    @Test("formatting, order and hub-written fields do not change the hash")
    func formattingDoesNotMatter() throws {
        #expect(try snapshotHash(original) == snapshotHash(reformatted))
    }

    @Test("a changed value changes the hash", arguments: [
        ("retries: \"3\"", "retries: \"4\""),
        ("retries: \"3\"", "retries: 3"),
        ("mode: fast", "mode: slow"),
        ("- port: 80", "- port: 8080"),
    ])
    func valueChanges(_ edit: (String, String)) throws {
        let edited = original.replacingOccurrences(of: edit.0, with: edit.1)
        #expect(edited != original)
        #expect(try snapshotHash(original) != snapshotHash(edited))
    }

    @Test("fleet objects inside a selected namespace are never propagated (edge case 50)")
    func fleetObjectsStayOnTheHub() throws {
        let text = original + """

            ---
            apiVersion: placement.kubernetes-fleet.io/v1
            kind: StagedUpdateStrategy
            metadata:
              name: two-stages
              namespace: app
            spec:
              stages:
                - name: canary
                  labelSelector:
                    matchLabels:
                      env: canary
            ---
            apiVersion: placement.kubernetes-fleet.io/v1
            kind: ResourceEnvelope
            metadata:
              name: wrapped
              namespace: app
            data:
              cm.yaml:
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: inner
            """
        let placement = f.placement(selectors: [f.namespaceSelector("app")])
        let selected = try ResourceSelection.select(placement: placement, resources: index(text))
        #expect(selected.map(f.short) == [
            "Namespace app", "ConfigMap app/settings", "Service app/web",
            "ResourceEnvelope app/wrapped",
        ])
        #expect(SnapshotContent(selected: selected).envelopeCount == 1)
    }

    @Test("the stored Service has no hub-allocated addresses")
    func strippedService() throws {
        let placement = f.placement(selectors: [f.namespaceSelector("app")])
        let selected = try ResourceSelection.select(placement: placement, resources: index(original))
        let service = try #require(selected.first { $0.gvk.kind == "Service" })
        let stored = ResourceStripping.strip(service)
        #expect(stored["spec"]?["clusterIP"] == nil)
        #expect(stored["spec"]?["ports"]?.items?.first?["nodePort"] == nil)
        #expect(stored["metadata"]?["resourceVersion"] == nil)
        #expect(stored["status"] == nil)
        #expect(stored["spec"]?["ports"]?.items?.first?["port"]?.scalar?.text == "80")
    }
}
