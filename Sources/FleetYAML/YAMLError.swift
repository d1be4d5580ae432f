/// A problem in a YAML file, located at a 1-based line and column.
///
/// The description reads like compiler output, `file:line:column: message`, followed by the
/// offending source line and a caret under the column when the line is known.
package struct YAMLError: Error, Hashable, Sendable, CustomStringConvertible {
    package var location: SourceLocation
    /// One sentence, lower-case start, no final full stop.
    package var message: String
    /// The text of the line at `location`, without its line break, when it is known.
    package var sourceLine: String?

    package init(location: SourceLocation, message: String, sourceLine: String? = nil) {
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:column: message`, without the source snippet.
    package var summary: String {
        "\(location.file):\(location.line):\(location.column): \(message)"
    }

    package var description: String {
        guard let sourceLine else { return summary }
        // Tabs before the column are kept so the caret lines up however the terminal shows them.
        var caret = ""
        // Columns count code points, as libyaml's marks do.
        for scalar in sourceLine.unicodeScalars.prefix(max(0, location.column - 1)) {
            caret.append(scalar == "\t" ? "\t" : " ")
        }
        return summary + "\n" + sourceLine + "\n" + caret + "^"
    }
}

/// Bounds that keep hostile or broken input from using unbounded time, memory or stack.
package struct YAMLLimits: Hashable, Sendable {
    /// Largest input accepted, in bytes.
    package var maxBytes: Int
    /// Deepest nesting of sequences and mappings; deeper input is refused before it is built.
    package var maxDepth: Int
    /// Most nodes in all documents of one input, counting every copy an alias makes.
    package var maxNodes: Int
    /// Most nodes that aliases may copy in one input, which stops "billion laughs" early.
    package var maxAliasExpansion: Int

    package init(
        maxBytes: Int = 64 << 20,
        maxDepth: Int = 200,
        maxNodes: Int = 1_000_000,
        maxAliasExpansion: Int = 100_000
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxAliasExpansion = maxAliasExpansion
    }

    /// 64 MiB, depth 200, one million nodes, 100,000 nodes copied by aliases.
    package static let `default` = YAMLLimits()
}
