import Foundation
import FleetYAML
@testable import FleetAPI

/// Parses one YAML document and decodes it; a parse failure is a test setup mistake.
func decode(
    _ yaml: String, file: String = "test.yaml", source: DocumentSource = .repository,
    scopes: KindScopes = KindScopes()
) -> DecodedDocument {
    do {
        let nodes = try YAMLParser.parse(yaml, file: file)
        guard let node = nodes.first else {
            return DecodedDocument(content: nil, ref: nil, location: nil,
                                   diagnostics: [Diagnostic("no document in test input")])
        }
        return FleetDecoder.decode(node, file: file, source: source, scopes: scopes)
    } catch {
        return DecodedDocument(content: nil, ref: nil, location: nil,
                               diagnostics: [Diagnostic("test input does not parse: \(error)")])
    }
}

/// The messages of a decode, for whole-value comparisons.
func messages(_ yaml: String, source: DocumentSource = .repository) -> [String] {
    decode(yaml, source: source).diagnostics.map(\.message)
}

/// A file for `ManifestSet.load` and `ManifestValidator.validate`.
func file(_ path: String, _ text: String) -> (path: String, bytes: [UInt8]) {
    (path, Array(text.utf8))
}

/// Indents every line of `text` by `spaces`.
func indent(_ text: String, _ spaces: Int) -> String {
    let pad = String(repeating: " ", count: spaces)
    return text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
}

/// A ClusterStagedUpdateStrategy with the given stage list (YAML items, unindented).
func strategyYAML(stages: String) -> String {
    """
    apiVersion: placement.kubernetes-fleet.io/v1beta1
    kind: ClusterStagedUpdateStrategy
    metadata:
      name: s
    spec:
      stages:
    \(indent(stages, 4))
    """
}

/// A ClusterStagedUpdateStrategy with one stage named `a` and the given extra stage fields.
func stageYAML(_ fields: String) -> String {
    strategyYAML(stages: "- name: a\n" + indent(fields, 2))
}

/// A ClusterResourcePlacement with one Namespace selector and the given extra spec fields.
func placementYAML(spec: String, metadata: String = "") -> String {
    """
    apiVersion: placement.kubernetes-fleet.io/v1beta1
    kind: ClusterResourcePlacement
    metadata:
      name: p
    \(indent(metadata, 2))
    spec:
      resourceSelectors:
        - group: ""
          version: v1
          kind: Namespace
          name: ns
    \(indent(spec, 2))
    """
}

/// A ClusterStagedUpdateRun with the given spec fields.
func runYAML(name: String = "r", spec: String) -> String {
    """
    apiVersion: placement.kubernetes-fleet.io/v1beta1
    kind: ClusterStagedUpdateRun
    metadata:
      name: \(name)
    spec:
    \(indent(spec, 2))
    """
}

/// A fixed time with whole seconds, as status files keep them.
func time(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: TimeInterval(1_714_564_800 + seconds))
}
