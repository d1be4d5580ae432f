/// A table laid out as `kubectl get` prints it: every column but the last is as wide as its
/// widest cell plus 3 spaces, and at least 6 (kubectl's tab writer settings).
package struct Table: Equatable, Sendable {
    package var headers: [String]
    package var rows: [[String]]

    package init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    static let padding = 3
    static let minimumWidth = 6

    /// The table as lines ending in newlines. Trailing spaces, which kubectl leaves when the
    /// last cells are blank, are trimmed.
    package func rendered() -> String {
        let lines = [headers] + rows
        let columns = lines.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for line in lines {
            for (column, cell) in line.enumerated() {
                widths[column] = max(widths[column], Self.width(of: cell) + Self.padding,
                                     Self.minimumWidth)
            }
        }
        return lines.map { line in
            var text = ""
            for (column, cell) in line.enumerated() {
                text += cell
                if column < line.count - 1 {
                    text += String(repeating: " ", count: widths[column] - Self.width(of: cell))
                }
            }
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }.joined()
    }

    /// Counted in Unicode scalars, as Go's tab writer counts runes.
    private static func width(of cell: String) -> Int { cell.unicodeScalars.count }
}
