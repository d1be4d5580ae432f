/// Builds nodes from parse events with an explicit stack, so nesting depth never grows the
/// call stack, and enforces the node, alias and depth limits as events arrive.
struct YAMLTreeBuilder {
    let source: YAMLSource
    let limits: YAMLLimits
    private(set) var documents: [YAMLNode] = []

    /// A finished node with its node count and height, which bound what aliases may copy.
    private struct Built {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    private enum Entry {
        case pair(YAMLPair)
        case merge(YAMLNode, keyLocation: SourceLocation)
    }

    private enum Content {
        case sequence([YAMLNode])
        /// `seen` indexes the keys by text once there are enough of them that scanning
        /// `entries` for a duplicate costs more than hashing; most mappings never get one.
        case mapping(entries: [Entry], pendingKey: (YAMLScalar, SourceLocation)?,
                     seen: [String: Int]?)
    }

    private struct Frame {
        var content: Content
        var location: SourceLocation
        var anchor: String?
        var size = 1
        var height = 1
    }

    private var stack: [Frame] = []
    private var anchors: [String: Built] = [:]
    private var root: Built?
    private var nodeCount = 0
    private var aliasCount = 0

    init(source: YAMLSource, limits: YAMLLimits) {
        self.source = source
        self.limits = limits
    }

    /// Handles one event; returns true at the end of the stream.
    mutating func consume(_ event: YAMLEvent) throws(YAMLError) -> Bool {
        switch event {
        case .streamStart:
            break
        case .streamEnd:
            return true
        case .documentStart:
            // Anchors are scoped to their document.
            anchors = [:]
            root = nil
        case .documentEnd:
            if let root, !Self.isEmptyDocument(root.node) { documents.append(root.node) }
            root = nil
        case let .scalar(scalar, anchor, mark):
            let location = source.location(mark)
            try count(1, at: location)
            // libyaml reads such a tag in its `!<...>` form but writes it bare, which it
            // cannot read back: refusing it keeps every rendered file readable.
            if let tag = scalar.tag, let short = Self.shorthand(tag),
               short.contains(where: { ",[]{}".contains($0) }) {
                throw source.error(at: location, "tag '\(tag)' cannot be written back as YAML; "
                    + "use a tag without ',', '[', ']', '{' or '}'")
            }
            try attach(Built(node: YAMLNode(.scalar(scalar), location: location), size: 1,
                             height: 0), anchor: anchor)
        case let .alias(name, mark):
            try alias(name, at: source.location(mark))
        case let .sequenceStart(anchor, mark):
            try open(.sequence([]), anchor: anchor, at: source.location(mark))
        case let .mappingStart(anchor, mark):
            try open(.mapping(entries: [], pendingKey: nil, seen: nil), anchor: anchor,
                     at: source.location(mark))
        case .sequenceEnd, .mappingEnd:
            try close()
        }
        return false
    }

    // MARK: - Limits

    private mutating func count(_ nodes: Int, at location: SourceLocation) throws(YAMLError) {
        nodeCount += nodes
        if nodeCount > limits.maxNodes {
            throw source.error(at: location,
                               "input has more than \(limits.maxNodes) nodes, the limit")
        }
    }

    private func checkDepth(adding height: Int, at location: SourceLocation) throws(YAMLError) {
        if stack.count + height > limits.maxDepth {
            throw source.error(at: location,
                               "nesting is deeper than \(limits.maxDepth) levels, the limit")
        }
    }

    // MARK: - Events

    private mutating func open(
        _ content: Content, anchor: String?, at location: SourceLocation
    ) throws(YAMLError) {
        if case .mapping(_, nil, _)? = stack.last?.content {
            let kind: String
            switch content {
            case .sequence: kind = "sequence"
            case .mapping: kind = "mapping"
            }
            throw source.error(at: location, "a mapping key must be a scalar, not a \(kind)")
        }
        try checkDepth(adding: 1, at: location)
        try count(1, at: location)
        stack.append(Frame(content: content, location: location, anchor: anchor))
    }

    private mutating func close() throws(YAMLError) {
        guard let frame = stack.popLast() else { return }
        let node: YAMLNode
        switch frame.content {
        case let .sequence(items):
            node = YAMLNode(.sequence(items), location: frame.location)
        case let .mapping(entries, _, _):
            node = YAMLNode(.mapping(try merged(entries)), location: frame.location)
        }
        try attach(Built(node: node, size: frame.size, height: frame.height),
                   anchor: frame.anchor)
    }

    private mutating func alias(_ name: String, at location: SourceLocation) throws(YAMLError) {
        guard let target = anchors[name] else {
            throw source.error(at: location, "alias '*\(name)' refers to no anchor before it")
        }
        aliasCount += target.size
        if aliasCount > limits.maxAliasExpansion {
            throw source.error(at: location,
                               "aliases copy more than \(limits.maxAliasExpansion) nodes, the "
                                   + "limit; this looks like an alias bomb")
        }
        try count(target.size, at: location)
        try checkDepth(adding: target.height, at: location)
        var copy = target
        copy.node.location = location
        try attach(copy, anchor: nil)
    }

    private mutating func attach(_ built: Built, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = built }
        guard var frame = stack.popLast() else {
            root = built
            return
        }
        frame.size += built.size
        frame.height = max(frame.height, built.height + 1)
        let location = built.node.location ?? frame.location
        switch frame.content {
        case var .sequence(items):
            frame.content = .sequence([])  // keeps `items` uniquely referenced while appending
            items.append(built.node)
            frame.content = .sequence(items)
        case .mapping(var entries, let pendingKey, var seen):
            frame.content = .sequence([])
            if let (key, keyLocation) = pendingKey {
                if Self.isMergeKey(key) {
                    entries.append(.merge(built.node, keyLocation: keyLocation))
                } else {
                    entries.append(.pair(YAMLPair(key: key, keyLocation: keyLocation,
                                                  value: built.node)))
                }
                frame.content = .mapping(entries: entries, pendingKey: nil, seen: seen)
            } else {
                guard let key = built.node.scalar else {
                    throw source.error(at: location,
                                       "a mapping key must be a scalar, not a "
                                           + built.node.kindName)
                }
                if let first = Self.line(of: key.text, in: entries, seen: seen) {
                    throw source.error(at: location,
                                       "duplicate key '\(key.text)' (first at line \(first))")
                }
                if seen != nil {
                    seen?[key.text] = location.line
                } else if entries.count >= Self.scannedKeys {
                    seen = Dictionary(entries.map { (Self.key(of: $0), Self.line(of: $0)) },
                                      uniquingKeysWith: { first, _ in first })
                    seen?[key.text] = location.line
                }
                frame.content = .mapping(entries: entries, pendingKey: (key, location),
                                         seen: seen)
            }
        }
        stack.append(frame)
    }

    /// Up to this many keys, a mapping finds duplicates by scanning its entries.
    private static let scannedKeys = 16

    /// The line where `key` was first written in a mapping, if it was.
    private static func line(of key: String, in entries: [Entry], seen: [String: Int]?) -> Int? {
        if let seen { return seen[key] }
        return entries.first { Self.key(of: $0) == key }.map(Self.line(of:))
    }

    private static func key(of entry: Entry) -> String {
        switch entry {
        case let .pair(pair): return pair.key.text
        case .merge: return "<<"
        }
    }

    private static func line(of entry: Entry) -> Int {
        switch entry {
        case let .pair(pair): return pair.keyLocation?.line ?? 0
        case let .merge(_, keyLocation): return keyLocation.line
        }
    }

    /// The part of a tag libyaml writes after a `!` or `!!` handle, where flow indicators are
    /// not allowed; nil for a tag it writes in the verbatim `!<...>` form, which allows them.
    private static func shorthand(_ tag: String) -> Substring? {
        let core = "tag:yaml.org,2002:"
        if tag.hasPrefix(core) { return tag.dropFirst(core.count) }
        if tag.hasPrefix("!") { return tag.dropFirst() }
        return nil
    }

    // MARK: - Merge keys and empty documents

    private static func isMergeKey(_ key: YAMLScalar) -> Bool {
        guard key.text == "<<" else { return false }
        return (key.style == .plain && key.tag == nil) || key.tag == "tag:yaml.org,2002:merge"
    }

    private func merged(_ entries: [Entry]) throws(YAMLError) -> [YAMLPair] {
        var pairs: [YAMLPair] = []
        pairs.reserveCapacity(entries.count)
        let hasMerge = entries.contains {
            if case .merge = $0 { return true }
            return false
        }
        guard hasMerge else {
            for case let .pair(pair) in entries { pairs.append(pair) }
            return pairs
        }
        var explicit = Set<String>()
        for case let .pair(pair) in entries { explicit.insert(pair.key.text) }
        var present = Set<String>()
        for entry in entries {
            switch entry {
            case let .pair(pair):
                pairs.append(pair)
                present.insert(pair.key.text)
            case let .merge(value, keyLocation):
                for sourcePairs in try mergeSources(value, keyLocation: keyLocation) {
                    for pair in sourcePairs
                    where !explicit.contains(pair.key.text) && !present.contains(pair.key.text) {
                        pairs.append(pair)
                        present.insert(pair.key.text)
                    }
                }
            }
        }
        return pairs
    }

    private func mergeSources(
        _ value: YAMLNode, keyLocation: SourceLocation
    ) throws(YAMLError) -> [[YAMLPair]] {
        let bad = source.error(at: value.location ?? keyLocation,
                               "the merge key '<<' needs a mapping or a sequence of mappings, "
                                   + "not a \(value.kindName)")
        switch value.kind {
        case let .mapping(pairs):
            return [pairs]
        case let .sequence(items):
            var result: [[YAMLPair]] = []
            for item in items {
                guard let pairs = item.pairs else { throw bad }
                result.append(pairs)
            }
            return result
        case .scalar:
            throw bad
        }
    }

    /// A document with no content: libyaml gives it an empty, untagged plain scalar.
    private static func isEmptyDocument(_ node: YAMLNode) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.text.isEmpty && scalar.style == .plain && scalar.tag == nil
    }
}
