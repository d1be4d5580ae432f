/// A deterministic JSON encoding of a node, used for content hashes and `-o json` output.
///
/// Keys are sorted by their UTF-8 bytes at every level and the output is compact, so key order,
/// comments, line ends and quoting that does not change a value never change the bytes.
package enum CanonicalJSON {
    /// Marks the text of an ambiguous plain scalar so it can never equal a quoted string.
    static let ambiguousPrefix = "\u{0}yaml-plain:"

    package static func encode(_ node: YAMLNode) -> String {
        String(decoding: bytes(node), as: UTF8.self)
    }

    package static func encode(_ nodes: [YAMLNode]) -> String {
        encode(YAMLNode(.sequence(nodes)))
    }

    /// The encoding as UTF-8 bytes, ready to hash. Snapshot hashes encode every selected
    /// resource on every commit that touches a placement; bytes are appended with a copy
    /// where a String would check and grow itself on every append.
    package static func bytes(_ node: YAMLNode) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(node, into: &out)
        return out
    }

    static func write(_ node: YAMLNode, into out: inout [UInt8]) {
        switch node.kind {
        case let .scalar(scalar):
            switch scalar.resolved {
            case .null: out.append(contentsOf: "null".utf8)
            case let .bool(value): out.append(contentsOf: (value ? "true" : "false").utf8)
            case let .number(text): out.append(contentsOf: text.utf8)
            case let .string(text): writeString(text, into: &out)
            case let .ambiguous(text): writeString(ambiguousPrefix + text, into: &out)
            }
        case let .sequence(items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .mapping(pairs):
            out.append(UInt8(ascii: "{"))
            let sorted = pairs.sorted {
                $0.key.text.utf8.lexicographicallyPrecedes($1.key.text.utf8)
            }
            for (index, pair) in sorted.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(pair.key.text, into: &out)
                out.append(UInt8(ascii: ":"))
                write(pair.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// JSON string escaping in the style of Go's encoding/json, `<`, `>` and `&` included.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Almost no text needs escaping: such text is copied whole rather than scalar by scalar.
        guard text.utf8.contains(where: needsEscapeCheck) else {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: "\\\"".utf8)
            case "\\": out.append(contentsOf: "\\\\".utf8)
            case "\n": out.append(contentsOf: "\\n".utf8)
            case "\r": out.append(contentsOf: "\\r".utf8)
            case "\t": out.append(contentsOf: "\\t".utf8)
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out.append(contentsOf: unicodeEscape(scalar.value).utf8)
            default:
                if scalar.value < 0x20 {
                    out.append(contentsOf: unicodeEscape(scalar.value).utf8)
                } else {
                    UTF8.encode(scalar) { out.append($0) }
                }
            }
        }
        out.append(UInt8(ascii: "\""))
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
