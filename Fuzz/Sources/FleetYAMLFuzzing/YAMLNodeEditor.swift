import FleetYAML

/// Edits parsed documents rather than bytes, then writes them back: inputs that stay valid
/// YAML but hold other values, keys and shapes, which reach the decoder's validation instead
/// of stopping at the parser.
struct YAMLNodeEditor {
    /// Subtrees and keys of all seeds, to graft into the document being edited.
    let donors: [YAMLNode]

    /// Edits one randomly chosen node of `bytes`' documents; nil when they do not parse or the
    /// result cannot be written.
    func edit(_ bytes: [UInt8], random: inout FuzzRandom) -> (bytes: [UInt8], name: String)? {
        guard var documents = try? YAMLParser.parse(bytes, file: "seed.yaml"),
              !documents.isEmpty else { return nil }
        let document = random.below(documents.count)
        var paths: [[Int]] = []
        Self.collectPaths(documents[document], prefix: [], into: &paths)
        guard let path = random.element(of: paths) else { return nil }
        var name = ""
        Self.modify(&documents[document], at: path[...]) { node in
            name = apply(to: &node, random: &random)
        }
        guard let text = try? YAMLWriter.write(documents: documents) else { return nil }
        return (Array(text.utf8), name)
    }

    private func apply(to node: inout YAMLNode, random: inout FuzzRandom) -> String {
        switch random.below(7) {
        case 0, 1:
            let text = YAMLMutator.fleetValues[random.below(YAMLMutator.fleetValues.count)]
            let style: ScalarStyle = random.oneIn(3) ? .doubleQuoted : .plain
            node = YAMLNode(.scalar(YAMLScalar(text, style: style)))
            return "set '\(text)'"
        case 2:
            switch node.kind {
            case var .mapping(pairs) where !pairs.isEmpty:
                let removed = pairs.remove(at: random.below(pairs.count))
                node.kind = .mapping(pairs)
                return "remove key '\(removed.key.text)'"
            case var .sequence(items) where !items.isEmpty:
                items.remove(at: random.below(items.count))
                node.kind = .sequence(items)
                return "remove item"
            case .scalar, .mapping, .sequence:
                node = .null
                return "set null"
            }
        case 3:
            guard case var .sequence(items) = node.kind, let item = random.element(of: items)
            else { return apply(to: &node, random: &random) }
            items.insert(item, at: random.below(items.count + 1))
            node.kind = .sequence(items)
            return "repeat item"
        case 4:
            switch node.kind {
            case .scalar:
                node = .sequence([node])
                return "wrap in sequence"
            case let .sequence(items):
                node = items.first ?? .mapping([])
                return "unwrap sequence"
            case let .mapping(pairs):
                node = pairs.first?.value ?? .sequence([])
                return "unwrap mapping"
            }
        case 5:
            guard case var .mapping(pairs) = node.kind, !pairs.isEmpty,
                  let key = randomKey(&random),
                  !pairs.contains(where: { $0.key.text == key.text })
            else { return apply(to: &node, random: &random) }
            pairs[random.below(pairs.count)].key = key
            node.kind = .mapping(pairs)
            return "rename key to '\(key.text)'"
        default:
            guard let donor = random.element(of: donors) else { return "no donors" }
            var subtrees: [[Int]] = []
            Self.collectPaths(donor, prefix: [], into: &subtrees)
            guard let path = random.element(of: subtrees) else { return "empty donor" }
            node = Self.node(in: donor, at: path[...])
            return "graft"
        }
    }

    private func randomKey(_ random: inout FuzzRandom) -> YAMLScalar? {
        guard let donor = random.element(of: donors) else { return nil }
        var keys: [YAMLScalar] = []
        Self.collectKeys(donor, into: &keys)
        return random.element(of: keys)
    }

    // MARK: - Paths

    /// Every node's path: the child indices (items, or pairs of a mapping) from the root.
    static func collectPaths(_ node: YAMLNode, prefix: [Int], into paths: inout [[Int]]) {
        paths.append(prefix)
        switch node.kind {
        case .scalar:
            break
        case let .sequence(items):
            for (index, item) in items.enumerated() {
                collectPaths(item, prefix: prefix + [index], into: &paths)
            }
        case let .mapping(pairs):
            for (index, pair) in pairs.enumerated() {
                collectPaths(pair.value, prefix: prefix + [index], into: &paths)
            }
        }
    }

    static func collectKeys(_ node: YAMLNode, into keys: inout [YAMLScalar]) {
        switch node.kind {
        case .scalar:
            break
        case let .sequence(items):
            for item in items { collectKeys(item, into: &keys) }
        case let .mapping(pairs):
            for pair in pairs {
                keys.append(pair.key)
                collectKeys(pair.value, into: &keys)
            }
        }
    }

    static func node(in root: YAMLNode, at path: ArraySlice<Int>) -> YAMLNode {
        guard let index = path.first else { return root }
        switch root.kind {
        case let .sequence(items) where items.indices.contains(index):
            return node(in: items[index], at: path.dropFirst())
        case let .mapping(pairs) where pairs.indices.contains(index):
            return node(in: pairs[index].value, at: path.dropFirst())
        case .scalar, .sequence, .mapping:
            return root
        }
    }

    static func modify(
        _ root: inout YAMLNode, at path: ArraySlice<Int>, _ change: (inout YAMLNode) -> Void
    ) {
        guard let index = path.first else { return change(&root) }
        switch root.kind {
        case var .sequence(items) where items.indices.contains(index):
            modify(&items[index], at: path.dropFirst(), change)
            root.kind = .sequence(items)
        case var .mapping(pairs) where pairs.indices.contains(index):
            modify(&pairs[index].value, at: path.dropFirst(), change)
            root.kind = .mapping(pairs)
        case .scalar, .sequence, .mapping:
            change(&root)
        }
    }
}
