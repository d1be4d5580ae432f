import Foundation

/// How a failing fuzz input is reported: where it came from, what broke, the input itself
/// with every unprintable byte escaped, and a copy on disk to replay or minimise.
package enum FuzzFailure {
    package static func report(
        suite: String, iteration: Int, settings: FuzzSettings, trace: String, bytes: [UInt8],
        violations: [String]
    ) -> String {
        let saved = save(bytes, name: "\(suite)-\(iteration)")
        return """
            fuzz iteration \(iteration) (\(settings)) broke \(violations.count) invariant(s)
            input: \(trace)\(saved.map { ", saved as \($0)" } ?? "")
            \(violations.prefix(5).joined(separator: "\n"))
            bytes: \(escaped(bytes))
            """
    }

    /// Printable ASCII as is, everything else as `\n`, `\t`, `\r` or `\xNN`; long inputs are
    /// cut, since the saved copy holds the whole input.
    package static func escaped(_ bytes: [UInt8], limit: Int = 2000) -> String {
        var text = ""
        for byte in bytes.prefix(limit) {
            switch byte {
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\t"): text += "\\t"
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return bytes.count > limit ? text + "... (\(bytes.count) bytes)" : text
    }

    /// Writes the input under the temporary folder; nil when that fails, which only costs
    /// the copy.
    private static func save(_ bytes: [UInt8], name: String) -> String? {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gitfleet-fuzz-failures")
        let file = folder.appendingPathComponent(name + ".yaml")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
            return file.path
        } catch {
            return nil
        }
    }
}
