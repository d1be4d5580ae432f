import Foundation

/// The AGE column: how long ago something happened, in kubectl's short form.
package enum Age {
    /// `45s`, `3m20s`, `5h`, `2d3h`, ...; `<unknown>` when there is no date.
    package static func since(_ date: Date?, now: Date) -> String {
        guard let date else { return "<unknown>" }
        return format(now.timeIntervalSince(date))
    }

    /// Formats an elapsed time with kubectl's precision, which shrinks as the time grows:
    /// seconds up to 2 minutes, minutes and seconds up to 10 minutes, minutes up to 3 hours,
    /// hours and minutes up to 8 hours, hours up to 2 days, days and hours up to 8 days, days
    /// up to 2 years, years and days up to 8 years, then years. A clock up to a second behind
    /// reads as `0s`; anything earlier is `<invalid>`.
    package static func format(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.towardZero))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return compound(minutes, "m", seconds % 60, "s") }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return compound(hours, "h", minutes % 60, "m") }
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if days < 8 { return compound(days, "d", hours % 24, "h") }
        if days < 365 * 2 { return "\(days)d" }
        let years = days / 365
        if years < 8 { return compound(years, "y", days % 365, "d") }
        return "\(years)y"
    }

    /// `3m20s`, or `3m` when the smaller unit is zero.
    private static func compound(_ big: Int, _ bigUnit: String, _ small: Int,
                                 _ smallUnit: String) -> String {
        small == 0 ? "\(big)\(bigUnit)" : "\(big)\(bigUnit)\(small)\(smallUnit)"
    }
}
