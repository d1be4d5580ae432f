/// A strict RFC 8259 syntax check, so fuzzing can tell whether `CanonicalJSON` output is JSON
/// without a JSON library that would also have to turn huge numbers into values.
enum JSONSyntax {
    /// Why `text` is not one JSON value, or nil when it is.
    static func problem(in text: String) -> String? {
        var reader = Reader(bytes: Array(text.utf8))
        do throws(Reader.Failure) {
            try reader.value(depth: 0)
            reader.skipSpace()
            if reader.index != reader.bytes.count { throw Reader.Failure(at: reader.index) }
            return nil
        } catch {
            return "byte \(error.offset)"
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        struct Failure: Error {
            var offset: Int
            init(at offset: Int) { self.offset = offset }
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
        }

        private func peek() -> UInt8? {
            index < bytes.count ? bytes[index] : nil
        }

        private mutating func expect(_ text: String) throws(Failure) {
            for byte in text.utf8 {
                guard peek() == byte else { throw Failure(at: index) }
                index += 1
            }
        }

        mutating func value(depth: Int) throws(Failure) {
            // CanonicalJSON nests no deeper than the parser's depth limit; this only keeps a
            // broken encoder from overflowing the checker's own stack.
            guard depth < 10_000 else { throw Failure(at: index) }
            skipSpace()
            switch peek() {
            case UInt8(ascii: "{"):
                index += 1
                skipSpace()
                if peek() == UInt8(ascii: "}") { index += 1; return }
                while true {
                    skipSpace()
                    try string()
                    skipSpace()
                    try expect(":")
                    try value(depth: depth + 1)
                    skipSpace()
                    if peek() == UInt8(ascii: ",") { index += 1; continue }
                    try expect("}")
                    return
                }
            case UInt8(ascii: "["):
                index += 1
                skipSpace()
                if peek() == UInt8(ascii: "]") { index += 1; return }
                while true {
                    try value(depth: depth + 1)
                    skipSpace()
                    if peek() == UInt8(ascii: ",") { index += 1; continue }
                    try expect("]")
                    return
                }
            case UInt8(ascii: "\""):
                try string()
            case UInt8(ascii: "t"):
                try expect("true")
            case UInt8(ascii: "f"):
                try expect("false")
            case UInt8(ascii: "n"):
                try expect("null")
            default:
                try number()
            }
        }

        private mutating func string() throws(Failure) {
            try expect("\"")
            while let byte = peek() {
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return
                case UInt8(ascii: "\\"):
                    guard let escape = peek() else { throw Failure(at: index) }
                    index += 1
                    if escape == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            guard let hex = peek(), hex.isHexDigit else { throw Failure(at: index) }
                            index += 1
                        }
                    } else if !Array("\"\\/bfnrt".utf8).contains(escape) {
                        throw Failure(at: index - 1)
                    }
                case 0x00..<0x20:
                    throw Failure(at: index - 1)
                default:
                    break
                }
            }
            throw Failure(at: index)
        }

        private mutating func number() throws(Failure) {
            if peek() == UInt8(ascii: "-") { index += 1 }
            if peek() == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                throw Failure(at: index)
            }
            if peek() == UInt8(ascii: ".") {
                index += 1
                if digits() == 0 { throw Failure(at: index) }
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                index += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
                if digits() == 0 { throw Failure(at: index) }
            }
        }

        private mutating func digits() -> Int {
            var count = 0
            while let byte = peek(), byte.isDigit {
                index += 1
                count += 1
            }
            return count
        }
    }
}

private extension UInt8 {
    var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }

    var isHexDigit: Bool {
        isDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
