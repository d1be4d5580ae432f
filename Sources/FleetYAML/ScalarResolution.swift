/// What a scalar means, independent of how it was quoted.
///
/// Plain scalars that YAML 1.1 and 1.2 read differently (`no`, `on`, `010`, `0x1F`, `1_000`,
/// `~`, timestamps, ...) resolve to `.ambiguous`: gitfleet never guesses which schema a member's
/// tools use, so such a value keeps its exact text in hashes and is written back unchanged.
package enum ResolvedScalar: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A JSON-form number (`-12`, `3.5`, `1e3`), kept as written so no precision is lost.
    case number(String)
    case string(String)
    case ambiguous(String)
}

extension YAMLScalar {
    static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// Plain words that YAML 1.1 reads as booleans or null.
    static let yaml11Words: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
        "~", "null", "Null", "NULL", "",
    ]

    /// The scalar's meaning under the rules described on `ResolvedScalar`.
    package var resolved: ResolvedScalar {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!!str": return .string(text)
            default: break
            }
        }
        guard style == .plain else { return .string(text) }
        switch text {
        // An empty plain scalar (`key:` with no value) is null in every YAML version.
        case "", "null": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
        if Self.isJSONNumber(text) { return .number(text) }
        if Self.isPlainString(text) { return .string(text) }
        return .ambiguous(text)
    }

    /// True when `text` cannot be written as a plain scalar that every YAML reader reads back
    /// as this same string; `YAMLNode.string` double-quotes such strings.
    package static func needsQuotes(_ text: String) -> Bool {
        // A plain `<<` key would be read as a merge key.
        !isPlainString(text) || !isPlainSyntax(text) || text == "<<"
    }

    /// Characters that start a YAML indicator when they open a plain scalar.
    private static let leadingIndicators = Set("-?:,[]{}#&*!|>'\"%@`".unicodeScalars)

    /// True when libyaml can write `text` plain in block context and read it back unchanged.
    ///
    /// Deliberately stricter than YAML: a string this rejects is only quoted, never changed.
    static func isPlainSyntax(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return false }
        if leadingIndicators.contains(first) || first == " " || last == " " || last == ":" {
            return false
        }
        var previous: Unicode.Scalar = " "
        for scalar in scalars {
            if !isPrintableInline(scalar) { return false }
            // `: ` starts a mapping value and ` #` a comment.
            if (previous == ":" && scalar == " ") || (previous == " " && scalar == "#") {
                return false
            }
            previous = scalar
        }
        return true
    }

    /// Printable as libyaml's emitter sees it, minus line breaks (NEL, LS, PS): libyaml 0.2.5
    /// treats characters outside the Basic Multilingual Plane, emoji included, as unprintable
    /// and always double-quotes them as `\U` escapes.
    private static func isPrintableInline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD:
            return true
        default:
            return false
        }
    }

    /// A plain scalar that every YAML version reads as a string: not a special word and not
    /// starting like a number, so `value1`, `nginx:1.25` and `kube-system` qualify.
    static func isPlainString(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if yaml11Words.contains(text) { return false }
        switch first {
        case "0"..."9", "+", "-", ".": return false
        default: return true
        }
    }

    /// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        var chars = Array(text.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let c = chars.first, c >= 0x30, c <= 0x39 { chars.removeFirst(); n += 1 }
            return n
        }
        if chars.first == UInt8(ascii: "-") { chars.removeFirst() }
        if chars.first == UInt8(ascii: "0") {
            chars.removeFirst()
        } else if digits() == 0 {
            return false
        }
        if chars.first == UInt8(ascii: ".") {
            chars.removeFirst()
            if digits() == 0 { return false }
        }
        if let c = chars.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            chars.removeFirst()
            if let s = chars.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
                chars.removeFirst()
            }
            if digits() == 0 { return false }
        }
        return chars.isEmpty
    }
}
