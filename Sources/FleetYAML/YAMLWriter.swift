internal import CYAML

/// Writes nodes as block-style YAML through libyaml's emitter.
///
/// Output uses a 2-space indent, no line folding and raw UTF-8. Each scalar keeps its recorded
/// style and its tag only when it has one, so resources are written back as authored. When
/// libyaml cannot write a scalar in its style (a plain scalar that would read as something
/// else, a literal with trailing spaces), it quotes it instead, so the text always survives.
/// Sequences inside mappings are written without extra indent (`key:` then `- item` in the same
/// column), the style libyaml and kubectl use. The output is deterministic.
///
/// FIXME: libyaml 0.2.5 cannot write some authored styles, and double-quotes those scalars
/// instead (their text is unchanged): literal and folded blocks with trailing spaces, tabs or
/// whitespace-only lines, and any scalar holding a character outside the Basic Multilingual
/// Plane (emoji), which becomes a `\U` escape. A document whose root is an empty plain scalar
/// is written as an empty document, which reads back as no document at all.
package enum YAMLWriter {
    /// One document, without a `---` line.
    package static func write(_ node: YAMLNode) throws(YAMLWriteError) -> String {
        try write(documents: [node])
    }

    /// One document as UTF-8 bytes, for writing a file without a copy through `String`.
    package static func bytes(_ node: YAMLNode) throws(YAMLWriteError) -> [UInt8] {
        let emitter = try YAMLEmitter()
        try emitter.emitDocuments([node])
        return emitter.output
    }

    /// Several documents, each after the first starting with a `---` line; empty for none.
    package static func write(documents: [YAMLNode]) throws(YAMLWriteError) -> String {
        let emitter = try YAMLEmitter()
        try emitter.emitDocuments(documents)
        return String(decoding: emitter.output, as: UTF8.self)
    }
}

/// Why libyaml's emitter refused a node.
package struct YAMLWriteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libyaml's problem, one lower-case sentence.
    package var message: String

    package init(message: String) {
        self.message = message
    }

    package var description: String { "cannot write YAML: \(message)" }
}

/// Owns a libyaml emitter (`yaml_emitter_t`) and the bytes it has written.
///
/// Not `Sendable`: one write runs on one task from start to end.
final class YAMLEmitter {
    private let emitter: UnsafeMutablePointer<yaml_emitter_t>
    private var initialized = false
    fileprivate(set) var output: [UInt8] = []

    /// Sets up `yaml_emitter_initialize` with gitfleet's output settings.
    init() throws(YAMLWriteError) {
        emitter = .allocate(capacity: 1)
        // deinit runs even when this throws, and frees only what was set up.
        guard yaml_emitter_initialize(emitter) == 1 else {
            throw YAMLWriteError(message: "libyaml could not allocate an emitter")
        }
        initialized = true
        yaml_emitter_set_output(emitter, { data, buffer, size in
            guard let data, let buffer else { return 0 }
            let owner = Unmanaged<YAMLEmitter>.fromOpaque(data).takeUnretainedValue()
            owner.output.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, Unmanaged.passUnretained(self).toOpaque())
        yaml_emitter_set_indent(emitter, 2)
        // A negative width means no folding: long strings stay on one line.
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
    }

    deinit {
        if initialized { yaml_emitter_delete(emitter) }
        emitter.deallocate()
    }

    func emitDocuments(_ documents: [YAMLNode]) throws(YAMLWriteError) {
        var event = yaml_event_t()
        try check(yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING), &event)
        for document in documents {
            try check(yaml_document_start_event_initialize(&event, nil, nil, nil, 1), &event)
            try emit(document)
            try check(yaml_document_end_event_initialize(&event, 1), &event)
        }
        try check(yaml_stream_end_event_initialize(&event), &event)
        guard yaml_emitter_flush(emitter) == 1 else { throw failure() }
    }

    private func emit(_ node: YAMLNode) throws(YAMLWriteError) {
        var event = yaml_event_t()
        switch node.kind {
        case let .scalar(scalar):
            try emit(scalar)
        case let .sequence(items):
            try check(yaml_sequence_start_event_initialize(&event, nil, nil, 1,
                                                           YAML_BLOCK_SEQUENCE_STYLE), &event)
            for item in items { try emit(item) }
            try check(yaml_sequence_end_event_initialize(&event), &event)
        case let .mapping(pairs):
            try check(yaml_mapping_start_event_initialize(&event, nil, nil, 1,
                                                          YAML_BLOCK_MAPPING_STYLE), &event)
            for pair in pairs {
                try emit(pair.key)
                try emit(pair.value)
            }
            try check(yaml_mapping_end_event_initialize(&event), &event)
        }
    }

    private func emit(_ scalar: YAMLScalar) throws(YAMLWriteError) {
        var event = yaml_event_t()
        var value = Array(scalar.text.utf8)
        let length = Int32(clamping: value.count)
        value.append(0)
        // Without a tag both implicit flags are set, so libyaml never adds one of its own.
        let implicit: Int32 = scalar.tag == nil ? 1 : 0
        let style = Self.style(scalar.style)
        let made: Int32 = value.withUnsafeBufferPointer { text in
            guard let tag = scalar.tag else {
                return yaml_scalar_event_initialize(&event, nil, nil, text.baseAddress, length,
                                                    implicit, implicit, style)
            }
            var tagBytes = Array(tag.utf8)
            tagBytes.append(0)
            return tagBytes.withUnsafeBufferPointer { tagText in
                yaml_scalar_event_initialize(&event, nil, tagText.baseAddress, text.baseAddress,
                                             length, implicit, implicit, style)
            }
        }
        try check(made, &event)
    }

    private static func style(_ style: ScalarStyle) -> yaml_scalar_style_t {
        switch style {
        case .plain: return YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: return YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .doubleQuoted: return YAML_DOUBLE_QUOTED_SCALAR_STYLE
        case .literal: return YAML_LITERAL_SCALAR_STYLE
        case .folded: return YAML_FOLDED_SCALAR_STYLE
        }
    }

    /// Checks an event initializer's result, then hands the event to `yaml_emitter_emit`, which
    /// owns (and frees) it from then on, whether or not it succeeds.
    private func check(_ initialized: Int32, _ event: inout yaml_event_t) throws(YAMLWriteError) {
        guard initialized == 1 else {
            throw YAMLWriteError(message: "libyaml refused an event (invalid UTF-8 or no memory)")
        }
        guard yaml_emitter_emit(emitter, &event) == 1 else { throw failure() }
    }

    private func failure() -> YAMLWriteError {
        let problem = emitter.pointee.problem.map { String(cString: $0) }
        return YAMLWriteError(message: problem ?? "libyaml's emitter failed without a message")
    }
}
