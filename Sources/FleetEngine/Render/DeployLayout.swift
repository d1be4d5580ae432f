import FleetAPI
import FleetYAML

/// Where each rendered resource goes inside `deploy/<member>/`, and its bytes.
///
/// One file per resource: `_cluster/<kind>[.<group>]_<name>.yaml` for cluster-scoped objects and
/// `<namespace>/<kind>[.<group>]_<name>.yaml` for namespaced ones. Flux and Argo CD read a
/// folder recursively, so the layout is only for people browsing the tree.
package enum DeployLayout {
    package static let clusterFolder = "_cluster"

    /// The relative path of a resource of a snapshot, or nil when the object lacks the fields
    /// that name it (snapshots only ever hold objects that had them).
    package static func relativePath(of resource: YAMLNode) -> String? {
        guard let apiVersion = resource["apiVersion"]?.scalar?.text,
              let kind = resource["kind"]?.scalar?.text,
              let name = resource["metadata"]?["name"]?.scalar?.text else { return nil }
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        let kindPart = gvk.group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(gvk.group)"
        let folder = resource["metadata"]?["namespace"]?.scalar?.text ?? clusterFolder
        return "\(folder)/\(kindPart)_\(name).yaml"
    }

    /// The files of one snapshot, relative to the member folder.
    package static func files(of snapshot: ResourceSnapshot) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for resource in snapshot.selectedResources {
            guard let path = relativePath(of: resource) else { continue }
            files[path] = Array(try YAMLWriter.write(resource).utf8)
        }
        return files
    }
}
