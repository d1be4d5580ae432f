/// Go's `strconv.Atoi`, whose exact rules decide which sorting labels and snapshot indices
/// KubeFleet accepts: an optional sign, decimal digits (leading zeros allowed), no spaces, and
/// a 64-bit range.
enum GoStrconv {
    enum AtoiFailure: Error, Equatable {
        case invalidSyntax
        case outOfRange
    }

    static func atoi(_ text: String) -> Result<Int, AtoiFailure> {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return .failure(.invalidSyntax) }
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        var magnitude: UInt64 = 0
        for character in digits.unicodeScalars {
            guard character.value >= 48, character.value <= 57 else {
                return .failure(.invalidSyntax)
            }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(character.value - 48))
            guard !overflow1, !overflow2, sum <= limit else { return .failure(.outOfRange) }
            magnitude = sum
        }
        if negative {
            return .success(magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude))
        }
        return .success(Int(magnitude))
    }

    /// The text of Go's `*strconv.NumError` for `Atoi`.
    static func atoiErrorText(_ text: String, _ failure: AtoiFailure) -> String {
        let reason: String
        switch failure {
        case .invalidSyntax: reason = "invalid syntax"
        case .outOfRange: reason = "value out of range"
        }
        return "strconv.Atoi: parsing \(quote(text)): \(reason)"
    }

    /// `strconv.Quote` for the characters a label value can hold.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
