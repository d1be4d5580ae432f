internal import CLibGit2

/// A git object id (SHA-1), stored as 20 raw bytes so ids hash, compare and copy cheaply.
package struct ObjectID: Hashable, Comparable, Sendable {
    // Big-endian words: comparing them in order is comparing the bytes, which is comparing the
    // lowercase hex, so sort order matches `git` listings.
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// Parses a full 40-character hex id, upper or lower case; nil for anything else.
    package init?(hex: String) {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        for unit in hex.utf8 {
            guard count < 40, let nibble = Self.nibble(unit) else { return nil }
            let value = UInt64(nibble)
            switch count {
            case 0..<16: words.0 = words.0 << 4 | value
            case 16..<32: words.1 = words.1 << 4 | value
            default: words.2 = words.2 << 4 | value
            }
            count += 1
        }
        guard count == 40 else { return nil }
        high = words.0
        middle = words.1
        low = UInt32(truncatingIfNeeded: words.2)
    }

    /// The 40 lowercase hex characters.
    package var sha: String {
        // Written straight from the words: ids are printed by the thousand when indexes are
        // saved, and going through a byte array per id showed up in profiles.
        String(unsafeUninitializedCapacity: 40) { buffer in
            func put(_ word: UInt64, digits: Int, at start: Int) {
                for index in 0..<digits {
                    let nibble = UInt8(truncatingIfNeeded: word >> UInt64(4 * (digits - 1 - index)))
                        & 0x0f
                    buffer[start + index] = nibble < 10
                        ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                }
            }
            put(high, digits: 16, at: 0)
            put(middle, digits: 16, at: 16)
            put(UInt64(low), digits: 8, at: 32)
            return 40
        }
    }

    /// The first 12 hex characters, for messages and logs.
    package var short: String {
        String(sha.prefix(12))
    }

    // The two conversions below run for every object a tick packs or looks up, so they move
    // the bytes directly instead of through an array.

    /// Copies a libgit2 id.
    init(_ oid: git_oid) {
        (high, middle, low) = withUnsafeBytes(of: oid.id) { raw in
            func word(_ range: Range<Int>) -> UInt64 {
                var value: UInt64 = 0
                for index in range { value = value << 8 | UInt64(raw[index]) }
                return value
            }
            return (word(0..<8), word(8..<16), UInt32(truncatingIfNeeded: word(16..<20)))
        }
    }

    /// The libgit2 form of this id.
    var oid: git_oid {
        var result = git_oid()
        withUnsafeMutableBytes(of: &result.id) { buffer in
            for index in 0..<8 {
                let shift = UInt64(56 - 8 * index)
                buffer[index] = UInt8(truncatingIfNeeded: high >> shift)
                buffer[8 + index] = UInt8(truncatingIfNeeded: middle >> shift)
            }
            for index in 0..<4 {
                buffer[16 + index] = UInt8(truncatingIfNeeded: low >> UInt32(24 - 8 * index))
            }
        }
        return result
    }

    /// Byte order, which is also the order of the hex text.
    package static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    private static func nibble(_ unit: UInt8) -> UInt8? {
        switch unit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return unit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return unit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return unit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension ObjectID: CustomStringConvertible {
    /// The full hex id.
    package var description: String { sha }
}
