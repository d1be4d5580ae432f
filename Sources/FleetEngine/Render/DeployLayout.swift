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
        return "\(safe(folder))/\(safe(kindPart + "_" + name)).yaml"
    }

    /// One path component that cannot leave the member's folder or clash with git: only
    /// `[A-Za-z0-9._-]` are kept as they are, anything else (a `/` in a hostile kind, say)
    /// becomes `%XX`, and a name made only of dots is escaped too.
    static func safe(_ component: String) -> String {
        var out = ""
        for byte in component.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "-"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        if out.isEmpty || out.allSatisfy({ $0 == "." }) || out.lowercased() == ".git" {
            out = out.replacingOccurrences(of: ".", with: "%2E")
            if out.isEmpty { out = "%00" }
        }
        return out
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

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
