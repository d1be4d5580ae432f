/// Reads YAML text into located `YAMLNode`s with libyaml's event parser.
///
/// Choices beyond plain YAML:
/// - Each non-empty document gives one root node; a document with no content (a bare `---`, or
///   only comments) is skipped.
/// - Anchors and aliases are resolved by copying the anchored node, within `YAMLLimits`.
/// - Merge keys are resolved as YAML 1.1 (and Kubernetes' own YAML reader) do: a plain `<<`
///   whose value is a mapping or a sequence of mappings adds the pairs whose keys the mapping
///   does not already have, earlier sources winning. A quoted `'<<'` is an ordinary key.
/// - Duplicate keys are errors, keys are compared by text (`1` and `"1"` are the same key, as in
///   JSON), and keys must be scalars.
/// - Tags on sequences and mappings are dropped; scalar tags are kept in `YAMLScalar.tag`.
package enum YAMLParser {
    /// Parses `text` as UTF-8 YAML; `file` only names the input in locations and errors.
    package static func parse(
        _ text: String, file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> [YAMLNode] {
        try parse(Array(text.utf8), file: file, limits: limits)
    }

    /// Parses UTF-8 `bytes` (a leading byte order mark and CRLF line ends are fine).
    package static func parse(
        _ bytes: [UInt8], file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> [YAMLNode] {
        let source = YAMLSource(bytes: bytes, file: file)
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError(location: SourceLocation(file: file, line: 1),
                            message: "file is \(bytes.count) bytes, over the limit of "
                                + "\(limits.maxBytes) bytes")
        }
        guard let reader = YAMLEventReader(bytes: source.text) else {
            throw YAMLError(location: SourceLocation(file: file, line: 1),
                            message: "libyaml could not allocate a parser")
        }
        var builder = YAMLTreeBuilder(source: source, limits: limits)
        while true {
            switch reader.next() {
            case let .success(event):
                if try builder.consume(event) { return builder.documents }
            case let .failure(failure):
                throw source.error(failure)
            }
        }
    }
}

/// The input with its byte order mark removed, and the helpers that locate errors in it.
///
/// Lines are counted as libyaml counts them, so that a line number from a libyaml mark and the
/// line shown for it agree: LF, CR LF, a lone CR, NEL, LS and PS each end a line.
struct YAMLSource {
    let file: String
    let text: ArraySlice<UInt8>
    /// Where the input ends when its last line has no line break; nil when it has one.
    private let unterminatedEnd: SourceLocation?

    init(bytes: [UInt8], file: String) {
        self.file = file
        // libyaml counts a byte order mark as a column of the first line, so drop it first.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            text = bytes[3...]
        } else {
            text = bytes[...]
        }
        // Most files end with LF, and then the end needs no scan.
        if text.last == UInt8(ascii: "\n") {
            unterminatedEnd = nil
        } else {
            let end = Self.location(offset: text.count, in: text, file: file)
            unterminatedEnd = end.column > 1 ? end : nil
        }
    }

    /// The 1-based location of a libyaml 0-based mark.
    func location(_ mark: YAMLEvent.Mark) -> SourceLocation {
        // libyaml ends input that lacks a final line break with a line break of its own, so a
        // mark at the very end names a line past the last one: name the end of the last line.
        if let unterminatedEnd, mark.line + 1 > unterminatedEnd.line {
            return unterminatedEnd
        }
        return SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1)
    }

    /// The length of the line break at `index`, or nil when no line break starts there.
    private static func lineBreak(in text: ArraySlice<UInt8>, at index: Int) -> Int? {
        func byte(_ at: Int) -> UInt8? { at < text.endIndex ? text[at] : nil }
        switch text[index] {
        case UInt8(ascii: "\n"):
            return 1
        case UInt8(ascii: "\r"):
            return byte(index + 1) == UInt8(ascii: "\n") ? 2 : 1
        case 0xC2:
            return byte(index + 1) == 0x85 ? 2 : nil
        case 0xE2:
            guard byte(index + 1) == 0x80 else { return nil }
            return byte(index + 2) == 0xA8 || byte(index + 2) == 0xA9 ? 3 : nil
        default:
            return nil
        }
    }

    /// The text of 1-based `line`, without its line break; nil past the end of the input.
    func line(_ number: Int) -> String? {
        var current = 1
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            guard let length = Self.lineBreak(in: text, at: index) else {
                index += 1
                continue
            }
            if current == number { break }
            current += 1
            index += length
            start = index
        }
        guard current == number else { return nil }
        return String(decoding: text[start..<index], as: UTF8.self)
    }

    /// The 1-based line and character column of a byte offset, as libyaml would count them.
    func location(offset: Int) -> SourceLocation {
        Self.location(offset: offset, in: text, file: file)
    }

    private static func location(
        offset: Int, in text: ArraySlice<UInt8>, file: String
    ) -> SourceLocation {
        var line = 1
        var column = 1
        var index = text.startIndex
        let end = min(text.endIndex, text.startIndex + max(0, offset))
        while index < end {
            if let length = lineBreak(in: text, at: index) {
                line += 1
                column = 1
                index += length
            } else {
                if text[index] & 0xC0 != 0x80 { column += 1 }
                index += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// A located error with the source line attached when there is one to show.
    func error(at location: SourceLocation, _ message: String) -> YAMLError {
        let text = line(location.line)
        return YAMLError(location: location, message: message,
                         sourceLine: text?.isEmpty == false ? text : nil)
    }

    /// Turns libyaml's problem and context into one located sentence.
    func error(_ failure: YAMLEventReader.Failure) -> YAMLError {
        switch failure.position {
        case let .offset(offset):
            return error(at: location(offset: offset), readerMessage(failure))
        case let .mark(mark):
            let where_ = location(mark)
            if let tab = tabMessage(at: where_) { return error(at: where_, tab) }
            var message = failure.problem
            if let context = failure.context {
                message += " " + context
                if let contextMark = failure.contextMark, contextMark.line != mark.line {
                    message += " at line \(contextMark.line + 1)"
                }
            }
            return error(at: where_, message)
        }
    }

    private func readerMessage(_ failure: YAMLEventReader.Failure) -> String {
        let isEncoding = failure.problem.contains("UTF-8")
        let text = isEncoding ? "file is not valid UTF-8: " + failure.problem : failure.problem
        guard failure.value >= 0 else { return text }
        let hex = String(failure.value, radix: 16, uppercase: true)
        if isEncoding { return "\(text) (byte 0x\(hex))" }
        return "\(text) (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))"
    }

    /// libyaml reports a tab in indentation, or after a `-`, as a character that cannot start
    /// a token; say what is wrong instead.
    private func tabMessage(at location: SourceLocation) -> String? {
        guard let text = line(location.line) else { return nil }
        let indent = text.prefix { $0 == " " || $0 == "\t" }
        if indent.contains("\t"), location.column <= indent.count + 1 {
            return "tab characters must not be used for indentation; indent with spaces"
        }
        // libyaml columns count code points, not grapheme clusters.
        let chars = Array(text.unicodeScalars)
        if location.column >= 1, location.column <= chars.count,
           chars[location.column - 1] == "\t" {
            return "a tab character is not allowed here; use spaces"
        }
        return nil
    }
}
