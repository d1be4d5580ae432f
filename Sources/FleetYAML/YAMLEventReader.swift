internal import CYAML

/// One libyaml parse event, copied into Swift values so the C event can be freed at once.
enum YAMLEvent {
    case streamStart
    case streamEnd
    case documentStart
    case documentEnd
    case alias(anchor: String, mark: Mark)
    case scalar(YAMLScalar, anchor: String?, mark: Mark)
    case sequenceStart(anchor: String?, mark: Mark)
    case sequenceEnd
    case mappingStart(anchor: String?, mark: Mark)
    case mappingEnd

    /// A 0-based line and column, as libyaml counts them.
    struct Mark {
        var line: Int
        var column: Int
    }
}

/// Owns a libyaml parser (`yaml_parser_t`) and a private copy of its input.
///
/// Not `Sendable`: one parse runs on one task from start to end.
final class YAMLEventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var initialized = false

    /// Sets up `yaml_parser_initialize` over `bytes`, read as UTF-8 only.
    init?(bytes: ArraySlice<UInt8>) {
        parser = .allocate(capacity: 1)
        // The buffer must outlive the parser, which reads it lazily.
        input = .allocate(capacity: max(1, bytes.count))
        _ = input.initialize(from: bytes)
        // deinit runs even when this fails, and frees only what was set up.
        guard yaml_parser_initialize(parser) == 1 else { return nil }
        initialized = true
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        // Fixing the encoding turns UTF-16 input and stray bytes into reader errors.
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }

    deinit {
        if initialized { yaml_parser_delete(parser) }
        parser.deallocate()
        input.deallocate()
    }

    /// The next event from `yaml_parser_parse`, or the parser's error.
    func next() -> Result<YAMLEvent, Failure> {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { return .failure(failure()) }
        defer { yaml_event_delete(&event) }
        return .success(Self.convert(&event))
    }

    /// What libyaml reported, before it is turned into a located `YAMLError`.
    struct Failure: Error {
        var problem: String
        var context: String?
        /// Where the problem is; reader errors only give a byte offset.
        var position: Position
        var contextMark: YAMLEvent.Mark?
        /// The offending byte or code point of a reader error, -1 when there is none.
        var value = -1

        enum Position {
            case mark(YAMLEvent.Mark)
            case offset(Int)
        }
    }

    private func failure() -> Failure {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "libyaml failed without a message"
        let context = p.context.map { String(cString: $0) }
        if p.error == YAML_READER_ERROR {
            return Failure(problem: problem, context: context,
                           position: .offset(Int(p.problem_offset)), contextMark: nil,
                           value: Int(p.problem_value))
        }
        return Failure(problem: problem, context: context,
                       position: .mark(Self.mark(p.problem_mark)),
                       contextMark: context == nil ? nil : Self.mark(p.context_mark))
    }

    private static func mark(_ mark: yaml_mark_t) -> YAMLEvent.Mark {
        YAMLEvent.Mark(line: Int(mark.line), column: Int(mark.column))
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func convert(_ event: inout yaml_event_t) -> YAMLEvent {
        let start = mark(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: string(event.data.alias.anchor) ?? "", mark: start)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            var text = ""
            if let value = data.value {
                // Explicit length: a double-quoted "\0" puts a NUL inside the value.
                text = String(decoding: UnsafeBufferPointer(start: value, count: data.length),
                              as: UTF8.self)
            }
            let scalar = YAMLScalar(text, style: style(data.style), tag: string(data.tag))
            return .scalar(scalar, anchor: string(data.anchor), mark: start)
        case YAML_SEQUENCE_START_EVENT:
            return .sequenceStart(anchor: string(event.data.sequence_start.anchor), mark: start)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            return .mappingStart(anchor: string(event.data.mapping_start.anchor), mark: start)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_NO_EVENT is only produced after an error, which `next` reports instead.
            return .streamEnd
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
