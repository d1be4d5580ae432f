/// Kubernetes' rules for names, label keys and label values.
///
/// Each check returns nil when the text is valid, or the problem as the tail of a sentence
/// (`'Foo' must be ...`), so callers can prefix the field path.
package enum KubernetesName {
    /// Longest DNS label, label value and label key name.
    package static let maxLabelLength = 63
    /// Longest DNS subdomain, the usual limit for object names.
    package static let maxSubdomainLength = 253

    /// A DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters (namespaces).
    package static func labelProblem(_ text: String) -> String? {
        if text.isEmpty { return "must not be empty" }
        if text.utf8.count > maxLabelLength {
            return "'\(text)' is longer than \(maxLabelLength) characters"
        }
        return isLabel(text[...].utf8) ? nil
            : "'\(text)' must consist of lower-case letters, digits and '-', "
                + "and start and end with a letter or digit"
    }

    /// A DNS-1123 subdomain: labels joined by dots, at most 253 characters (most objects).
    package static func subdomainProblem(_ text: String, maxLength: Int = maxSubdomainLength)
        -> String?
    {
        if text.isEmpty { return "must not be empty" }
        if text.utf8.count > maxLength { return "'\(text)' is longer than \(maxLength) characters" }
        let valid = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .allSatisfy { isLabel($0) }
        return valid ? nil
            : "'\(text)' must consist of lower-case letters, digits, '-' and '.', "
                + "and start and end with a letter or digit"
    }

    /// What the API server accepts for names of kinds without a stricter rule (RBAC names such
    /// as `system:aggregate-to-edit`): anything but `.`, `..` and text containing `/` or `%`.
    /// That is also what keeps a name safe as one path component.
    package static func pathSegmentProblem(_ text: String) -> String? {
        if text.isEmpty { return "must not be empty" }
        if text == "." || text == ".." { return "'\(text)' is not a valid name" }
        if text.utf8.count > maxSubdomainLength {
            return "'\(text)' is longer than \(maxSubdomainLength) characters"
        }
        if text.contains("/") || text.contains("%") { return "'\(text)' must not contain '/' or '%'" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "'\(text)' must not contain control characters"
        }
        return nil
    }

    /// A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of at
    /// most 63 characters of letters, digits, `-`, `_` and `.`, starting and ending with a
    /// letter or digit.
    package static func keyProblem(_ key: String) -> String? {
        var name = Substring(key)
        if let slash = key.firstIndex(of: "/") {
            let prefix = String(key[..<slash])
            if let problem = subdomainProblem(prefix) { return "prefix of '\(key)' \(problem)" }
            name = key[key.index(after: slash)...]
        }
        if name.isEmpty { return "key '\(key)' has an empty name" }
        if name.utf8.count > maxLabelLength {
            return "key '\(key)' has a name longer than \(maxLabelLength) characters"
        }
        return isQualifiedName(name) ? nil
            : "key '\(key)' must consist of letters, digits, '-', '_' and '.', "
                + "and start and end with a letter or digit"
    }

    /// A label value: empty, or at most 63 letters, digits, `-`, `_` and `.`, starting and
    /// ending with a letter or digit.
    package static func labelValueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if value.utf8.count > maxLabelLength {
            return "value '\(value)' is longer than \(maxLabelLength) characters"
        }
        return isQualifiedName(value[...]) ? nil
            : "value '\(value)' must consist of letters, digits, '-', '_' and '.', "
                + "and start and end with a letter or digit"
    }

    // MARK: - Character classes

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        isLowerAlnum(c) || (c >= 0x41 && c <= 0x5A)
    }

    private static func isLabel(_ bytes: Substring.UTF8View) -> Bool {
        guard let first = bytes.first, let last = bytes.last, bytes.count <= maxLabelLength,
              isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isQualifiedName(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last)
        else { return false }
        return bytes.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: ".")
        }
    }
}
