/// A deterministic JSON encoding of a node, used for content hashes and `-o json` output.
///
/// Keys are sorted by their UTF-8 bytes at every level and the output is compact, so key order,
/// comments, line ends and quoting that does not change a value never change the bytes.
package enum CanonicalJSON {
    /// Marks the text of an ambiguous plain scalar so it can never equal a quoted string.
    static let ambiguousPrefix = "\u{0}yaml-plain:"

    package static func encode(_ node: YAMLNode) -> String {
        var out = ""
        write(node, into: &out)
        return out
    }

    package static func encode(_ nodes: [YAMLNode]) -> String {
        var out = "["
        for (index, node) in nodes.enumerated() {
            if index > 0 { out += "," }
            write(node, into: &out)
        }
        return out + "]"
    }

    static func write(_ node: YAMLNode, into out: inout String) {
        switch node.kind {
        case let .scalar(scalar):
            switch scalar.resolved {
            case .null: out += "null"
            case let .bool(value): out += value ? "true" : "false"
            case let .number(text): out += text
            case let .string(text): writeString(text, into: &out)
            case let .ambiguous(text): writeString(ambiguousPrefix + text, into: &out)
            }
        case let .sequence(items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case let .mapping(pairs):
            out += "{"
            let sorted = pairs.sorted {
                $0.key.text.utf8.lexicographicallyPrecedes($1.key.text.utf8)
            }
            for (index, pair) in sorted.enumerated() {
                if index > 0 { out += "," }
                writeString(pair.key.text, into: &out)
                out += ":"
                write(pair.value, into: &out)
            }
            out += "}"
        }
    }

    /// JSON string escaping in the style of Go's encoding/json, `<`, `>` and `&` included.
    package static func writeString(_ text: String, into out: inout String) {
        out += "\""
        // Snapshot hashes encode every selected resource on every commit, and almost no text
        // needs escaping: such text is appended whole rather than scalar by scalar.
        guard text.utf8.contains(where: needsEscapeCheck) else {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 {
                    out += unicodeEscape(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// True for the bytes of every character escaped above: control characters, `"`, `\`,
    /// `<`, `>`, `&`, and 0xE2, the lead byte of U+2028 and U+2029 (and of other characters,
    /// which the slow path then writes unchanged).
    private static func needsEscapeCheck(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x3C || byte == 0x3E
            || byte == 0x26 || byte == 0xE2
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
