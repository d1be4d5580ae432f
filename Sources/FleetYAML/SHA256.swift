internal import CCrypto

/// SHA-256 through OpenSSL's libcrypto.
package enum SHA256 {
    /// The lower-case hex digest of `text`'s UTF-8 bytes.
    package static func hex(_ text: String) -> String {
        hex(Array(text.utf8))
    }

    package static func hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                // One-shot SHA256 cannot fail for in-memory input; it returns the output pointer.
                _ = CCrypto.SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        let alphabet = Array("0123456789abcdef".utf8)
        var chars = [UInt8]()
        chars.reserveCapacity(64)
        for byte in digest {
            chars.append(alphabet[Int(byte >> 4)])
            chars.append(alphabet[Int(byte & 0x0f)])
        }
        return String(decoding: chars, as: UTF8.self)
    }
}
