import FleetYAML

/// Turns seed files into fuzz inputs with byte-level changes and changes that know YAML's
/// shape (lines, indentation, anchors, nesting, scalars, line ends, encodings).
///
/// Every input is at most `maxBytes` long, so one iteration stays cheap however the changes
/// stack up; the hostile-input tests cover what lies past that size.
package struct YAMLMutator: Sendable {
    package let seeds: [FuzzSeed]
    package var maxBytes: Int
    private let editor: YAMLNodeEditor

    package init(seeds: [FuzzSeed], maxBytes: Int = 32 << 10) {
        self.seeds = seeds
        self.maxBytes = maxBytes
        editor = YAMLNodeEditor(donors: seeds.flatMap {
            (try? YAMLParser.parse($0.bytes, file: $0.name)) ?? []
        })
    }

    package enum Mutation: String, CaseIterable, Sendable {
        case flipBit, setByte, insertToken, deleteRange, duplicateRange, splice
        case duplicateLine, deleteLine, swapLines, reindent, insertTab
        case anchorAndAlias, deepNesting, longScalar, invalidUTF8, lineEnds, byteOrderMark
        case replaceScalar, documentMarker, truncate, editNodes
    }

    /// One input: a seed with one to five changes stacked, and what was done, for reports.
    package func input(_ random: inout FuzzRandom) -> (bytes: [UInt8], trace: String) {
        guard let seed = random.element(of: seeds) else { return ([], "no seeds") }
        var bytes = seed.bytes
        var steps = [seed.name]
        for _ in 0...random.small(below: 5) {
            let mutation = Mutation.allCases[random.below(Mutation.allCases.count)]
            steps.append(mutate(&bytes, with: mutation, random: &random))
            if bytes.count > maxBytes { bytes.removeLast(bytes.count - maxBytes) }
        }
        return (bytes, steps.joined(separator: " > "))
    }

    /// Applies `mutation` and returns a short description of what changed.
    package func mutate(
        _ bytes: inout [UInt8], with mutation: Mutation, random: inout FuzzRandom
    ) -> String {
        let name = mutation.rawValue
        switch mutation {
        case .flipBit:
            guard !bytes.isEmpty else { return name + " (empty)" }
            let index = random.below(bytes.count)
            bytes[index] ^= 1 << UInt8(random.below(8))
            return "\(name)@\(index)"
        case .setByte:
            guard !bytes.isEmpty else { return name + " (empty)" }
            let index = random.below(bytes.count)
            bytes[index] = random.oneIn(3) ? UInt8(random.below(256))
                : Self.interestingBytes[random.below(Self.interestingBytes.count)]
            return "\(name)@\(index)"
        case .insertToken:
            let token = Self.tokens[random.below(Self.tokens.count)]
            let index = random.below(bytes.count + 1)
            bytes.insert(contentsOf: token.utf8, at: index)
            return "\(name)@\(index)"
        case .deleteRange:
            guard !bytes.isEmpty else { return name + " (empty)" }
            let start = random.below(bytes.count)
            let end = min(bytes.count, start + 1 + random.small(below: 64))
            bytes.removeSubrange(start..<end)
            return "\(name)@\(start)..<\(end)"
        case .duplicateRange:
            guard !bytes.isEmpty else { return name + " (empty)" }
            let start = random.below(bytes.count)
            let end = min(bytes.count, start + 1 + random.small(below: 256))
            let copy = Array(bytes[start..<end])
            bytes.insert(contentsOf: copy, at: random.below(bytes.count + 1))
            return "\(name)@\(start)..<\(end)"
        case .splice:
            return splice(&bytes, random: &random)
        case .duplicateLine, .deleteLine, .swapLines, .reindent, .insertTab:
            return changeLines(&bytes, with: mutation, random: &random)
        case .anchorAndAlias:
            return anchorAndAlias(&bytes, random: &random)
        case .deepNesting:
            return deepNesting(&bytes, random: &random)
        case .longScalar:
            let fill = Self.fillers[random.below(Self.fillers.count)]
            let count = 1 + random.small(below: 8192)
            let run = Array(repeating: fill.utf8, count: count / fill.utf8.count + 1).joined()
            let index = random.below(bytes.count + 1)
            bytes.insert(contentsOf: run.prefix(max(count, fill.utf8.count)), at: index)
            return "\(name)(\(count))@\(index)"
        case .invalidUTF8:
            let sequence = Self.invalidSequences[random.below(Self.invalidSequences.count)]
            let index = random.below(bytes.count + 1)
            bytes.insert(contentsOf: sequence, at: index)
            return "\(name)@\(index)"
        case .lineEnds:
            return lineEnds(&bytes, random: &random)
        case .byteOrderMark:
            let mark = Self.byteOrderMarks[random.below(Self.byteOrderMarks.count)]
            let index = random.oneIn(2) ? 0 : random.below(bytes.count + 1)
            bytes.insert(contentsOf: mark, at: index)
            return "\(name)@\(index)"
        case .replaceScalar:
            return replaceScalar(&bytes, random: &random)
        case .documentMarker:
            let marker = Self.documentMarkers[random.below(Self.documentMarkers.count)]
            let starts = Self.lineStarts(bytes)
            let index = starts[random.below(starts.count)]
            bytes.insert(contentsOf: marker.utf8, at: index)
            return "\(name)@\(index)"
        case .truncate:
            let index = random.below(bytes.count + 1)
            bytes.removeSubrange(index...)
            return "\(name)@\(index)"
        case .editNodes:
            guard let (edited, edit) = editor.edit(bytes, random: &random) else {
                return name + " (does not parse)"
            }
            bytes = edited
            return "\(name)(\(edit))"
        }
    }

    // MARK: - Structure-aware changes

    private func splice(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        guard let other = random.element(of: seeds) else { return "splice (no seeds)" }
        // Cutting at line starts keeps both halves' indentation meaningful most of the time.
        let byLine = random.oneIn(2)
        let ownCuts = byLine ? Self.lineStarts(bytes) : Array(0...bytes.count)
        let otherCuts = byLine ? Self.lineStarts(other.bytes) : Array(0...other.bytes.count)
        let cut = ownCuts[random.below(ownCuts.count)]
        let otherCut = otherCuts[random.below(otherCuts.count)]
        bytes = Array(bytes[..<cut]) + Array(other.bytes[otherCut...])
        return "splice(\(other.name))@\(cut)/\(otherCut)"
    }

    private func changeLines(
        _ bytes: inout [UInt8], with mutation: Mutation, random: inout FuzzRandom
    ) -> String {
        var lines = Self.lines(bytes)
        let index = random.below(lines.count)
        let name = "\(mutation.rawValue)@line\(index + 1)"
        switch mutation {
        case .duplicateLine:
            lines.insert(lines[index], at: random.below(lines.count + 1))
        case .deleteLine:
            lines.remove(at: index)
        case .swapLines:
            lines.swapAt(index, random.below(lines.count))
        case .reindent:
            let spaces = 1 + random.below(4)
            if random.oneIn(2) {
                lines[index].insert(contentsOf: repeatElement(UInt8(ascii: " "), count: spaces),
                                    at: 0)
            } else {
                let leading = lines[index].prefix { $0 == UInt8(ascii: " ") }.count
                lines[index].removeFirst(min(leading, spaces))
            }
        case .insertTab:
            let leading = lines[index].prefix { $0 == UInt8(ascii: " ") }.count
            let at = random.oneIn(2) ? random.below(leading + 1)
                : random.below(lines[index].count + 1)
            lines[index].insert(UInt8(ascii: "\t"), at: at)
        case .flipBit, .setByte, .insertToken, .deleteRange, .duplicateRange, .splice,
             .anchorAndAlias, .deepNesting, .longScalar, .invalidUTF8, .lineEnds, .byteOrderMark,
             .replaceScalar, .documentMarker, .truncate, .editNodes:
            return name + " (not a line change)"
        }
        bytes = Self.joinLines(lines)
        return name
    }

    /// Anchors the value of one `key: value` line and refers to it from another (which may
    /// come first, an undefined alias), as a value or as a merge key.
    private func anchorAndAlias(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        var lines = Self.lines(bytes)
        let keyed = lines.indices.filter { Self.valueStart(lines[$0]) != nil }
        guard let anchored = random.element(of: keyed), let referring = random.element(of: keyed),
              let anchorAt = Self.valueStart(lines[anchored])
        else { return "anchorAndAlias (no key lines)" }
        let name = random.oneIn(4) ? "b" : "a"
        lines[anchored].insert(contentsOf: "&\(name) ".utf8, at: anchorAt)
        if random.oneIn(3) {
            let indent = lines[referring].prefix { $0 == UInt8(ascii: " ") }
            lines.insert(Array(indent) + Array("<<: *\(name)".utf8), at: referring + 1)
        } else if let aliasAt = Self.valueStart(lines[referring]) {
            lines[referring].replaceSubrange(aliasAt..., with: "*\(name)".utf8)
        }
        bytes = Self.joinLines(lines)
        return "anchorAndAlias(line\(anchored + 1)->line\(referring + 1))"
    }

    private func deepNesting(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        let openers = ["[", "{a: ", "- ", "[{b: ", "? "]
        let opener = openers[random.below(openers.count)]
        // Past the default depth limit of 200 now and then, so refusals are exercised too.
        let depth = 1 + random.small(below: 320)
        var run = Array(repeating: Array(opener.utf8), count: depth).joined().map { $0 }
        run += Array("x".utf8)
        if random.oneIn(2) {
            let closer: [UInt8]
            switch opener {
            case "[": closer = Array("]".utf8)
            case "{a: ": closer = Array("}".utf8)
            case "[{b: ": closer = Array("}]".utf8)
            default: closer = []
            }
            run += Array(repeating: closer, count: depth).joined()
        }
        let starts = Self.lineStarts(bytes)
        let index = random.oneIn(2) ? starts[random.below(starts.count)]
            : random.below(bytes.count + 1)
        bytes.insert(contentsOf: run, at: index)
        return "deepNesting(\(opener)x\(depth))@\(index)"
    }

    private func lineEnds(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        switch random.below(4) {
        case 0:
            bytes = bytes.flatMap { $0 == lf ? [cr, lf] : [$0] }
            return "lineEnds(crlf)"
        case 1:
            bytes.removeAll { $0 == cr }
            return "lineEnds(lf)"
        case 2:
            // A lone CR, NEL, LS or PS: libyaml counts each as a line break.
            let breaks: [[UInt8]] = [[cr], [0xC2, 0x85], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9]]
            let index = random.below(bytes.count + 1)
            bytes.insert(contentsOf: breaks[random.below(breaks.count)], at: index)
            return "lineEnds(other)@\(index)"
        default:
            while bytes.last == lf || bytes.last == cr { bytes.removeLast() }
            return "lineEnds(no final break)"
        }
    }

    private func replaceScalar(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        var lines = Self.lines(bytes)
        let keyed = lines.indices.filter { Self.valueStart(lines[$0]) != nil }
        let scalar = Self.scalars[random.below(Self.scalars.count)]
        if let line = random.element(of: keyed), let start = Self.valueStart(lines[line]) {
            lines[line].replaceSubrange(start..., with: scalar.utf8)
            bytes = Self.joinLines(lines)
            return "replaceScalar@line\(line + 1)"
        }
        bytes.insert(contentsOf: scalar.utf8, at: random.below(bytes.count + 1))
        return "replaceScalar (inserted)"
    }

    // MARK: - Lines

    /// The offsets where lines start (after each LF), and the end of the input.
    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        if starts.last != bytes.count { starts.append(bytes.count) }
        return starts
    }

    /// The input split at LF, without the LFs; never empty.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }

    static func joinLines(_ lines: [[UInt8]]) -> [UInt8] {
        Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }

    /// Where the value of a `key: value` line starts: after the first `: `, or at the end when
    /// the line ends with `:`.
    static func valueStart(_ line: [UInt8]) -> Int? {
        let colon = UInt8(ascii: ":")
        let space = UInt8(ascii: " ")
        var end = line.count
        if line.last == UInt8(ascii: "\r") { end -= 1 }
        guard end > 0 else { return nil }
        for index in 0..<end where line[index] == colon {
            if index + 1 == end { return end }
            if line[index + 1] == space { return index + 2 }
        }
        return nil
    }

    // MARK: - Dictionaries

    static let interestingBytes: [UInt8] = Array("\0\t\n\r \"#&'*,-:>?[]{}|!%@`\\~".utf8)
        + [0x7F, 0x80, 0xC2, 0xEF, 0xFE, 0xFF]

    static let tokens: [String] = [
        ": ", "- ", "? ", "---", "...", "\n", "\n  ", "\n- ", "#", " #", "&a ", "*a", "&a", "*b",
        "<<: ", "!", "!!", "!!str ", "!!int ", "!!map ", "!!seq ", "!local ", "!<tag:x,2024:y> ",
        "|", ">", "|-", ">+", "|2", ">9", "\"", "'", "[", "]", "{", "}", ",", "%YAML 1.2\n",
        "%TAG !e! tag:example.com,2024:\n", "\\", "\\u", "\\x", "\\U0001F600", "\t", "\r", "\0",
        "\u{FEFF}", "\u{85}", "\u{2028}", "😀", "é", "\u{10FFFF}", "@", "`", "%",
    ]

    static let scalars: [String] = [
        "~", "null", "yes", "no", "on", "off", "y", "n", "true", "false", "True", "0x1F", "010",
        "0o17", "1_000", "1e999", "-0", "0.", ".5", "+1", ".inf", "-.Inf", ".NaN", "1:20",
        "2024-05-01", "2024-05-01T12:00:00Z", "12345678901234567890123", "'quoted'",
        "'it''s'", "\"esc \\t \\u263A \\x00 \\0 \\\\\"", "\"\\uD800\"", "\"unterminated",
        "!!str 1", "!!int x", "!!binary aGk=", "!!float 1", "!custom v", "! x", "<<", "'<<'",
        "|\n  block\n", "|-\n  block  \n", ">\n  folded\n\n  more\n", "|+\n\n", "[a, b]",
        "{a: 1}", "[]", "{}", "*a", "&a v", "-", "?", ":", "x: y: z", "a #b", "a# b",
        "\t", "😀", "\u{FEFF}x", "\u{2028}", "v: \"", "@x", "`x", "%x", " ", "", "''", "\"\"",
        "- x", "? x", "--- x", "... x", "5Mi", "50%", "1m0s", "v1", "Namespace",
        "placement.kubernetes-fleet.io/v1beta1", "ClusterStagedUpdateRun", "Run", "Stop",
        "PickN", "External", "ServerSideApply", String(repeating: "a", count: 64),
        String(repeating: "n", count: 254), "UPPER", "a..b", "-a", "a_b",
    ]

    /// Values fleet object fields take, and values just outside what they accept.
    static let fleetValues: [String] = [
        "", "0", "1", "-1", "2", "31", "32", "100", "1000", "9223372036854775807",
        "9223372036854775808", "1.5", "1e3", "0%", "50%", "100%", "101%", "-5%", "abc%", "true",
        "false", "True", "null", "PickAll", "PickN", "PickFixed", "External", "RollingUpdate",
        "Run", "Stop", "Initialize", "Approval", "TimedWait", "In", "NotIn", "Exists",
        "DoesNotExist", "Gt", "Lt", "Eq", "NamespaceOnly", "NamespaceWithResources",
        "ClientSideApply", "ServerSideApply", "ReportDiff", "IfNotDrifted", "Always", "Never",
        "Bound", "Scheduled", "Unscheduled", "1m", "1h30m", "0s", "-1m", "1d", "5x", "1m0s",
        "2024-05-01T12:00:00Z", "2024-13-01T12:00:00Z", "2024-05-01", "member1", "Member_1",
        "a.b", "-a", "a-", String(repeating: "m", count: 63), String(repeating: "m", count: 64),
        String(repeating: "m", count: 254), "kubernetes-fleet.io/x", "a/b/c", "v1", "v1beta1",
        "v2", "placement.kubernetes-fleet.io/v1beta1", "placement.kubernetes-fleet.io/v1",
        "cluster.kubernetes-fleet.io/v1beta1", "apps/v1", "apiextensions.k8s.io/v1",
        "MemberCluster", "ClusterResourcePlacement", "ResourcePlacement",
        "ClusterStagedUpdateStrategy", "StagedUpdateStrategy", "ClusterStagedUpdateRun",
        "StagedUpdateRun", "ClusterApprovalRequest", "ApprovalRequest",
        "ClusterResourceSnapshot", "ResourceSnapshot", "ClusterSchedulingPolicySnapshot",
        "SchedulingPolicySnapshot", "ClusterResourceBinding", "ResourceBinding",
        "ClusterResourceOverride", "ResourceOverride", "Namespace", "ConfigMap",
        "CustomResourceDefinition", "Cluster", "Namespaced", "commit:abc", "file:x.yaml",
        "commit:", "True", "False", "Unknown", "team-a", "kube-system", "fleet-system",
    ]

    static let fillers = ["x", " ", "a b ", "'", "\"", "\\", "é", "😀", "- ", "\t", "#", "\n  "]

    static let invalidSequences: [[UInt8]] = [
        [0xFF], [0xFE], [0x80], [0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF],
        [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        [0xC2], [0x00],
    ]

    static let byteOrderMarks: [[UInt8]] = [
        [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF],
    ]

    static let documentMarkers = [
        "---\n", "--- ", "...\n", "%YAML 1.1\n---\n", "%TAG ! tag:example.com,2024:\n---\n",
        "--- |\n", "--- &a\n", "---\n...\n",
    ]
}
