import FleetYAML

/// Writes a YAML node as JSON the way `kubectl get -o json` does: 4-space indents, one
/// member per line, `[]` and `{}` for empty collections, and a final newline.
///
/// Scalars keep their meaning, not their YAML spelling: null, booleans and JSON numbers are
/// written bare, everything else as a string, including plain scalars such as `yes` or `010`
/// that YAML versions read differently.
package enum JSONPrinter {
    /// The JSON text of `node`.
    package static func render(_ node: YAMLNode) -> String {
        var output = ""
        write(node, indent: 0, into: &output)
        return output + "\n"
    }

    private static let indentUnit = "    "

    private static func write(_ node: YAMLNode, indent: Int, into output: inout String) {
        switch node.kind {
        case let .scalar(scalar):
            output += literal(scalar)
        case let .sequence(items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (index, item) in items.enumerated() {
                output += String(repeating: indentUnit, count: indent + 1)
                write(item, indent: indent + 1, into: &output)
                output += index < items.count - 1 ? ",\n" : "\n"
            }
            output += String(repeating: indentUnit, count: indent) + "]"
        case let .mapping(pairs):
            guard !pairs.isEmpty else { output += "{}"; return }
            output += "{\n"
            for (index, pair) in pairs.enumerated() {
                output += String(repeating: indentUnit, count: indent + 1)
                output += quoted(pair.key.text) + ": "
                write(pair.value, indent: indent + 1, into: &output)
                output += index < pairs.count - 1 ? ",\n" : "\n"
            }
            output += String(repeating: indentUnit, count: indent) + "}"
        }
    }

    private static func literal(_ scalar: YAMLScalar) -> String {
        switch scalar.resolved {
        case .null: return "null"
        case let .bool(value): return value ? "true" : "false"
        case let .number(text): return text
        case let .string(text), let .ambiguous(text): return quoted(text)
        }
    }

    /// A JSON string literal; only what JSON requires is escaped.
    package static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension YAMLNode {
    /// Several objects wrapped as kubectl wraps a listing: a `List` with the objects as `items`.
    package static func kubectlList(_ items: [YAMLNode]) -> YAMLNode {
        .mapping([
            ("apiVersion", .string("v1")),
            ("items", .sequence(items)),
            ("kind", .string("List")),
            ("metadata", .mapping([("resourceVersion", .string(""))])),
        ])
    }
}
