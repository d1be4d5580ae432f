/// Where a node came from, for error messages; lines and columns are 1-based.
package struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    package var description: String { "\(file):\(line)" }
}

/// How a scalar was written; kept so that workload resources are written back as authored.
package enum ScalarStyle: String, Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's text (after unescaping) and the style it was written in.
package struct YAMLScalar: Hashable, Sendable {
    package var text: String
    package var style: ScalarStyle
    /// An explicit tag such as `!!str`, when the author wrote one.
    package var tag: String?

    package init(_ text: String, style: ScalarStyle = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }
}

/// One key and value of a mapping. Keys are scalars: Kubernetes objects have no other keys.
package struct YAMLPair: Sendable {
    package var key: YAMLScalar
    package var keyLocation: SourceLocation?
    package var value: YAMLNode

    package init(key: YAMLScalar, keyLocation: SourceLocation? = nil, value: YAMLNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

/// A parsed YAML value with its source location. Mappings keep their key order.
///
/// Equality compares content and scalar styles but not locations, so a node read back from a
/// file equals the node that was written.
package struct YAMLNode: Sendable {
    package enum Kind: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    package var kind: Kind
    package var location: SourceLocation?

    package init(_ kind: Kind, location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }
}

extension YAMLNode: Equatable {
    package static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        switch (lhs.kind, rhs.kind) {
        case let (.scalar(a), .scalar(b)):
            return a == b
        case let (.sequence(a), .sequence(b)):
            return a == b
        case let (.mapping(a), .mapping(b)):
            return a.count == b.count
                && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.scalar, _), (.sequence, _), (.mapping, _):
            return false
        }
    }
}

// MARK: - Building nodes in code

extension YAMLNode {
    /// A string scalar; the writer quotes it when plain text would read as another type.
    package static func string(_ text: String) -> YAMLNode {
        YAMLNode(.scalar(stringScalar(text)))
    }

    /// Plain when plain text reads back as this string, double-quoted otherwise.
    static func stringScalar(_ text: String) -> YAMLScalar {
        YAMLScalar(text, style: YAMLScalar.needsQuotes(text) ? .doubleQuoted : .plain)
    }

    package static func int(_ value: Int) -> YAMLNode {
        YAMLNode(.scalar(YAMLScalar(String(value))))
    }

    package static func bool(_ value: Bool) -> YAMLNode {
        YAMLNode(.scalar(YAMLScalar(value ? "true" : "false")))
    }

    package static var null: YAMLNode { YAMLNode(.scalar(YAMLScalar("null"))) }

    package static func sequence(_ items: [YAMLNode]) -> YAMLNode {
        YAMLNode(.sequence(items))
    }

    /// A mapping from ordered pairs; `nil` values are left out, which keeps builders short.
    /// Keys are styled like `string(_:)` values, so they read back as the same text.
    package static func mapping(_ pairs: [(String, YAMLNode?)]) -> YAMLNode {
        YAMLNode(.mapping(pairs.compactMap { key, value in
            value.map { YAMLPair(key: stringScalar(key), value: $0) }
        }))
    }
}

// MARK: - Reading nodes

extension YAMLNode {
    package var scalar: YAMLScalar? {
        if case let .scalar(s) = kind { return s }
        return nil
    }

    package var pairs: [YAMLPair]? {
        if case let .mapping(p) = kind { return p }
        return nil
    }

    package var items: [YAMLNode]? {
        if case let .sequence(i) = kind { return i }
        return nil
    }

    /// The value under `key` when this node is a mapping.
    package subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key.text == key }?.value
    }

    /// True for an explicit null (`~`, `null`, or nothing) written as a plain scalar.
    package var isNull: Bool {
        guard let s = scalar, s.style == .plain, s.tag == nil else { return false }
        return YAMLScalar.nullWords.contains(s.text)
    }

    /// A short name of the node's kind for error messages.
    package var kindName: String {
        switch kind {
        case .scalar: return isNull ? "null" : "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }

    /// Sets `key` to `value` in a mapping, replacing an existing entry in place.
    package mutating func set(_ key: String, _ value: YAMLNode?) {
        guard case var .mapping(p) = kind else { return }
        if let index = p.firstIndex(where: { $0.key.text == key }) {
            if let value { p[index].value = value } else { p.remove(at: index) }
        } else if let value {
            p.append(YAMLPair(key: Self.stringScalar(key), value: value))
        }
        kind = .mapping(p)
    }
}
