import FleetYAML

/// Collects the diagnostics of one document while it is decoded, naming the object once the
/// decoder knows it.
package final class DiagnosticLog {
    /// Used when a node carries no location (nodes built in code).
    package let fallback: SourceLocation?
    /// `Kind/name` or `Kind/namespace/name`, set as soon as metadata is read.
    package var object: String?
    /// Everything reported so far, in order.
    package private(set) var diagnostics: [Diagnostic] = []

    /// Whether the field paths decoders look at are recorded. Only a caller that reports
    /// unknown fields needs them, and recording costs a set insertion per field read, which
    /// is most of decoding a status file of thousands of bindings.
    package let tracksReads: Bool

    /// A log for one document; `fallback` is usually where the document starts.
    package init(fallback: SourceLocation? = nil, object: String? = nil, tracksReads: Bool = true) {
        self.fallback = fallback
        self.object = object
        self.tracksReads = tracksReads
    }

    /// Records `message` at `location`, or at the fallback when the node has none.
    package func report(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(message, at: location ?? fallback, object: object))
    }

    /// How many problems were reported; decoders compare it before and after a step.
    package var count: Int { diagnostics.count }

    /// The field paths decoders looked at, so fields nobody reads can be reported as unknown.
    package private(set) var read: Set<String> = []

    /// Paths whose whole value was taken as one thing (a map of labels, say): their keys are
    /// data, not fields.
    package private(set) var consumed: Set<String> = []

    /// Every path that some read path lies below, so that `readsBelow` is one lookup instead
    /// of a scan of all reads, which made checking a long spec quadratic.
    private var readAncestors: Set<String> = []

    func markRead(_ path: String) {
        guard tracksReads, read.insert(path).inserted else { return }
        let utf8 = path.utf8
        for index in utf8.indices where utf8[index] == UInt8(ascii: ".")
            || utf8[index] == UInt8(ascii: "[") {
            if let prefix = String(utf8[..<index]) { readAncestors.insert(prefix) }
        }
    }

    func markConsumed(_ path: String) {
        if tracksReads { consumed.insert(path) }
    }

    /// True when a decoder read some field inside `path`.
    func readsBelow(_ path: String) -> Bool {
        readAncestors.contains(path)
    }
}

/// An int-or-string field as written: a plain decimal scalar is an int, anything else a string.
package enum IntOrString: Hashable, Sendable {
    case int(Int)
    case string(String)
}

/// Reads one node of a document by type, reporting problems with the field's path and line.
///
/// Absent keys and explicit nulls read as nil, as the API server treats them. Keys nobody read
/// can be reported afterwards as unknown (`reportUnknownFields`), as strict field validation
/// in the API server does. Scalars are typed by the field,
/// not by how YAML would resolve them: a string field takes the text as written (`no`, `on`
/// and `08` stay those strings), an int field takes only plain decimal digits (`010` is 10),
/// and a bool field takes only plain `true` or `false`.
package struct NodeReader {
    /// The node read.
    package let node: YAMLNode
    /// The field path from the document root, such as `spec.stages[1].maxConcurrency`.
    package let path: String
    /// The line of the field's key when known, else of its value.
    package let location: SourceLocation?
    /// Where problems go; shared by every reader of one document.
    package let log: DiagnosticLog

    /// A reader at `path`; the root of a document has the empty path.
    package init(
        _ node: YAMLNode, path: String = "", location: SourceLocation? = nil, log: DiagnosticLog
    ) {
        self.node = node
        self.path = path
        self.location = location ?? node.location
        self.log = log
    }

    /// Reports a problem with this field, prefixed by its path.
    package func error(_ message: String) {
        log.report(path.isEmpty ? message : "\(path): \(message)", at: location)
    }

    /// Reports a problem about a key of this mapping, whether or not the key is present.
    package func error(_ message: String, field key: String) {
        let pair = node.pairs?.first { $0.key.text == key }
        let at = pair?.keyLocation ?? pair?.value.location ?? location
        log.report("\(childPath(key)): \(message)", at: at)
    }

    /// The path of `key` under this node.
    package func childPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    // MARK: - Navigation

    /// The value under `key`; nil when the key is absent, its value is null, or this node is
    /// not a mapping.
    package func field(_ key: String) -> NodeReader? {
        let path = childPath(key)
        log.markRead(path)
        guard let pair = node.pairs?.first(where: { $0.key.text == key }),
              !pair.value.isNull else { return nil }
        return NodeReader(pair.value, path: path,
                          location: pair.keyLocation ?? pair.value.location ?? location, log: log)
    }

    /// Reports every field under this node that no decoder read: in a fleet object's spec an
    /// unknown field is almost always a typo (`stratgy:`), and ignoring it can change what
    /// rolls out (a placement without its External strategy rolls out at once).
    package func reportUnknownFields() {
        guard !log.consumed.contains(path) else { return }
        if let pairs = node.pairs {
            for pair in pairs {
                let path = childPath(pair.key.text)
                guard log.read.contains(path) else {
                    log.report("unknown field '\(path)'", at: pair.keyLocation ?? location)
                    continue
                }
                // A field the decoder took whole, or refused, is not looked into.
                guard log.readsBelow(path) else { continue }
                NodeReader(pair.value, path: path, location: pair.keyLocation, log: log)
                    .reportUnknownFields()
            }
        } else if let items = node.items {
            for index in items.indices {
                let item = items[index]
                let itemPath = "\(path)[\(index)]"
                guard log.readsBelow(itemPath) else { continue }
                NodeReader(item, path: itemPath, location: item.location ?? location, log: log)
                    .reportUnknownFields()
            }
        }
    }

    /// True when `key` is present with a non-null value.
    package func has(_ key: String) -> Bool { field(key) != nil }

    /// The value under `key`, reporting `<path> is required` when it is missing.
    package func required(_ key: String) -> NodeReader? {
        if let value = field(key) { return value }
        log.report("\(childPath(key)) is required", at: location)
        return nil
    }

    /// This node when it is a mapping; reports the wrong type otherwise.
    package func asMapping() -> NodeReader? {
        if node.pairs != nil { return self }
        error("expected a mapping, got \(describe(node))")
        return nil
    }

    /// The items of this sequence, each with its `path[i]`; reports the wrong type otherwise.
    package func asList() -> [NodeReader]? {
        guard let items = node.items else {
            error("expected a list, got \(describe(node))")
            return nil
        }
        return items.enumerated().map { index, item in
            NodeReader(item, path: "\(path)[\(index)]", location: item.location ?? location,
                       log: log)
        }
    }

    // MARK: - Scalars

    /// The scalar's text as written, whatever its style.
    package func asString() -> String? {
        guard let scalar = node.scalar else {
            error("expected a string, got \(describe(node))")
            return nil
        }
        return scalar.text
    }

    /// A plain decimal integer (`-?[0-9]+`, leading zeros read as decimal); quoted text is
    /// refused, as the API server refuses a string for an integer field.
    package func asInt() -> Int? {
        guard let scalar = node.scalar else {
            error("expected an integer, got \(describe(node))")
            return nil
        }
        guard scalar.style == .plain, scalar.tag == nil || Self.intTags.contains(scalar.tag ?? ""),
              Self.isDecimal(scalar.text) else {
            error("expected an integer, got \(describe(node))")
            return nil
        }
        guard let value = Self.decimal(scalar.text) else {
            error("'\(scalar.text)' is too large for an integer")
            return nil
        }
        return value
    }

    /// Plain `true` or `false` only; YAML 1.1 words such as `yes` or `on` are refused.
    package func asBool() -> Bool? {
        if let scalar = node.scalar, scalar.style == .plain,
           scalar.tag == nil || Self.boolTags.contains(scalar.tag ?? "") {
            switch scalar.text {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        error("expected true or false, got \(describe(node))")
        return nil
    }

    /// A plain decimal scalar as an int, any other scalar as its text.
    package func asIntOrString() -> IntOrString? {
        guard let scalar = node.scalar else {
            error("expected an integer or a string, got \(describe(node))")
            return nil
        }
        if scalar.style == .plain, scalar.tag == nil, Self.isDecimal(scalar.text) {
            return asInt().map(IntOrString.int)
        }
        return .string(scalar.text)
    }

    /// One of the enum's YAML spellings.
    package func asEnum<E>(_: E.Type) -> E?
    where E: RawRepresentable & CaseIterable, E.RawValue == String {
        guard let text = asString() else { return nil }
        if let value = E(rawValue: text) { return value }
        let names = E.allCases.map { "'\($0.rawValue)'" }
        let choices = names.count > 1
            ? names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
            : names.joined()
        error("'\(text)' is not valid, use \(choices)")
        return nil
    }

    /// A map of strings, such as labels; each value is the text as written, null reads as "".
    package func asStringMap() -> [String: String]? {
        log.markConsumed(path)
        guard let pairs = node.pairs else {
            error("expected a mapping of strings, got \(describe(node))")
            return nil
        }
        var map: [String: String] = [:]
        for pair in pairs {
            if pair.value.isNull {
                map[pair.key.text] = ""
            } else if let text = pair.value.scalar?.text {
                map[pair.key.text] = text
            } else {
                log.report("\(childPath(pair.key.text)): expected a string, got "
                    + describe(pair.value), at: pair.keyLocation ?? pair.value.location ?? location)
            }
        }
        return map
    }

    // MARK: - Fields by key

    /// The string under `key`, nil when absent.
    package func string(_ key: String) -> String? { field(key)?.asString() }
    /// The string under `key`, reporting it when absent.
    package func requiredString(_ key: String) -> String? { required(key)?.asString() }
    /// The integer under `key`, nil when absent.
    package func int(_ key: String) -> Int? { field(key)?.asInt() }
    /// The integer under `key`, reporting it when absent.
    package func requiredInt(_ key: String) -> Int? { required(key)?.asInt() }
    /// The bool under `key`, nil when absent.
    package func bool(_ key: String) -> Bool? { field(key)?.asBool() }
    /// The mapping under `key`, nil when absent.
    package func mapping(_ key: String) -> NodeReader? { field(key)?.asMapping() }
    /// The list under `key`, nil when absent.
    package func list(_ key: String) -> [NodeReader]? { field(key)?.asList() }
    /// The int-or-string under `key`, nil when absent.
    package func intOrString(_ key: String) -> IntOrString? { field(key)?.asIntOrString() }

    /// The string map under `key`, empty when absent.
    package func stringMap(_ key: String) -> [String: String] {
        field(key)?.asStringMap() ?? [:]
    }

    /// The list of strings under `key`, nil when absent.
    package func stringList(_ key: String) -> [String]? {
        list(key)?.compactMap { $0.asString() }
    }

    /// The enum value under `key`, nil when absent.
    package func enumValue<E>(_ key: String, _ type: E.Type) -> E?
    where E: RawRepresentable & CaseIterable, E.RawValue == String {
        field(key)?.asEnum(type)
    }

    // MARK: - Helpers

    private static let intTags: Set<String> = ["!!int", "tag:yaml.org,2002:int"]
    private static let boolTags: Set<String> = ["!!bool", "tag:yaml.org,2002:bool"]

    /// `-?[0-9]+`.
    static func isDecimal(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Decimal value of `-?[0-9]+`, leading zeros allowed; nil on overflow.
    static func decimal(_ text: String) -> Int? {
        let negative = text.hasPrefix("-")
        var value = 0
        for byte in text.utf8.dropFirst(negative ? 1 : 0) {
            let digit = Int(byte) - 0x30
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative
                ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }
}

/// How a node reads in an error message: `'5' (a quoted string)`, `a mapping`, ...
func describe(_ node: YAMLNode) -> String {
    switch node.kind {
    case let .scalar(scalar):
        if node.isNull { return "null" }
        let text = scalar.text.count > 40 ? String(scalar.text.prefix(40)) + "..." : scalar.text
        switch scalar.style {
        case .plain: return "'\(text)'"
        case .singleQuoted, .doubleQuoted: return "'\(text)' (a quoted string)"
        case .literal, .folded: return "'\(text)' (a block string)"
        }
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    }
}
