import FleetAPI
import FleetYAML
import FleetYAMLFuzzing

/// The invariants of the object decoder on any input, shared by the seeded tests and the
/// libFuzzer target:
///
/// - decoding never crashes and gives content or diagnostics, never both and never neither;
/// - every diagnostic has a message and a location in the input's file, within its lines;
/// - decoding is deterministic;
/// - a fleet object that decodes is encoded and decoded back to the same object, in memory
///   and through YAML text;
/// - `decodeFile` and `ManifestSet.load` agree with the parser and never crash.
package enum DecoderFuzzChecks {
    /// Runs the YAML checks, then decodes every parsed document as a user file and as a
    /// status file.
    package static func run(_ bytes: [UInt8], file: String = "fuzz.yaml") -> DecoderFuzzOutcome {
        let yaml = YAMLFuzzChecks.run(bytes, file: file)
        var outcome = DecoderFuzzOutcome(yaml: yaml)
        for source in [DocumentSource.repository, .status] {
            for document in yaml.documents {
                check(document, file: file, source: source, lines: yaml.lineCount,
                      into: &outcome)
            }
            checkFile(bytes, file: file, source: source, yaml: yaml, into: &outcome)
        }
        checkManifestSet(bytes, file: file, lines: yaml.lineCount, into: &outcome)
        return outcome
    }

    private static func check(
        _ document: YAMLNode, file: String, source: DocumentSource, lines: Int,
        into outcome: inout DecoderFuzzOutcome
    ) {
        let decoded = FleetDecoder.decode(document, file: file, source: source)
        let context = "decoding as \(source)"
        switch (decoded.content, decoded.diagnostics.isEmpty) {
        case (nil, true):
            outcome.violations.append("\(context) gave neither content nor diagnostics")
        case (.some, false):
            outcome.violations.append("\(context) gave content and diagnostics")
        case (nil, false), (.some, true):
            break
        }
        for diagnostic in decoded.diagnostics {
            checkDiagnostic(diagnostic, file: file, lines: lines, context: context,
                            into: &outcome)
        }
        let again = FleetDecoder.decode(document, file: file, source: source)
        if again.content != decoded.content || again.diagnostics != decoded.diagnostics
            || again.ref != decoded.ref {
            outcome.violations.append("\(context) twice gave different results")
        }
        switch decoded.content {
        case let .fleet(object)?:
            outcome.fleetObjects += 1
            checkRoundTrip(object, file: file, source: source, into: &outcome)
        case .workload?:
            outcome.workloads += 1
            if decoded.ref == nil {
                outcome.violations.append("\(context) gave a workload without a reference")
            }
        case nil:
            outcome.rejected += 1
        }
    }

    private static func checkDiagnostic(
        _ diagnostic: Diagnostic, file: String, lines: Int, context: String,
        into outcome: inout DecoderFuzzOutcome
    ) {
        for problem in YAMLFuzzChecks.messageProblems(diagnostic.message) {
            outcome.violations.append("\(context): \(problem)")
        }
        guard let location = diagnostic.location else {
            outcome.violations.append("\(context): a diagnostic has no location: \(diagnostic)")
            return
        }
        if location.file != file || !(1...lines).contains(location.line) || location.column < 1 {
            outcome.violations.append("\(context): a diagnostic is outside the input's "
                + "\(lines) lines: \(diagnostic)")
        }
    }

    /// `decode(encode(x)) == x`, in memory and through written text.
    private static func checkRoundTrip(
        _ decodedObject: FleetObject, file: String, source: DocumentSource,
        into outcome: inout DecoderFuzzOutcome
    ) {
        var object = decodedObject
        let encoded = FleetEncoder.encode(object, layout: source == .status ? .statusFile : .api)
        let decoded = FleetDecoder.decode(encoded, file: file, source: source)
        if decoded.fleetObject != object, decoded.fleetObject == sortingBindings(object) {
            outcome.reorderedBindings += 1
            object = sortingBindings(object)
        }
        if decoded.fleetObject != object || !decoded.diagnostics.isEmpty {
            outcome.violations.append("an encoded \(object.kind.rawValue) decodes as "
                + "\(source) to something else: \(decoded.diagnostics.map(\.description)); "
                + "before: \(object); after: \(String(describing: decoded.fleetObject))")
            return
        }
        // Kept YAML (snapshot resources) may hold a tag libyaml cannot write readably.
        guard !YAMLFuzzChecks.hasUnwritableTag(encoded) else { return }
        do {
            let text = try YAMLWriter.write(encoded)
            let nodes = try YAMLParser.parse(text, file: file)
            let reread = nodes.first.map { FleetDecoder.decode($0, file: file, source: source) }
            guard nodes.count == 1, let rereadObject = reread?.fleetObject else {
                outcome.violations.append("an encoded \(object.kind.rawValue) written as text "
                    + "does not decode as \(source): "
                    + "\(reread?.diagnostics.map(\.description) ?? []):\n\(text)")
                return
            }
            guard rereadObject != object else { return }
            // Kept YAML (snapshot resources) may come back with scalars the writer had to
            // quote; the objects then differ in those styles only.
            var diff = RoundTripDiff()
            diff.compare(encoded, FleetEncoder.encode(rereadObject), path: "")
            if !diff.problems.isEmpty || diff.restyled + diff.requotedAmbiguous == 0 {
                outcome.violations.append("an encoded \(object.kind.rawValue) written as text "
                    + "decodes as \(source) to something else: "
                    + "\(diff.problems.prefix(3)):\n\(text)")
            }
        } catch {
            outcome.violations.append("an encoded \(object.kind.rawValue) cannot be written "
                + "and read back: \(error)")
        }
    }

    /// Known gap: FleetEncoder writes a placement status's bindings sorted by cluster and
    /// name, while FleetDecoder keeps the order of the file, so a status file whose bindings
    /// are in another order only survives `decode(encode(x))` up to that order. Such objects
    /// are counted in `reorderedBindings` until the decoder sorts them too, or the encoder
    /// keeps their order.
    private static func sortingBindings(_ object: FleetObject) -> FleetObject {
        guard case var .placementStatus(status) = object else { return object }
        status.bindings.sort {
            ($0.targetCluster, $0.meta.name) < ($1.targetCluster, $1.meta.name)
        }
        return .placementStatus(status)
    }

    private static func checkFile(
        _ bytes: [UInt8], file: String, source: DocumentSource, yaml: YAMLFuzzOutcome,
        into outcome: inout DecoderFuzzOutcome
    ) {
        let (documents, parseError) = FleetDecoder.decodeFile(path: file, bytes: bytes,
                                                              source: source)
        switch (parseError, yaml.parseError) {
        case let (error?, _?):
            checkDiagnostic(error, file: file, lines: yaml.lineCount,
                            context: "decodeFile's parse error", into: &outcome)
        case (nil, nil):
            if documents.count != yaml.documents.count {
                outcome.violations.append("decodeFile gave \(documents.count) documents, the "
                    + "parser \(yaml.documents.count)")
            }
        case (.some, nil), (nil, .some):
            outcome.violations.append("decodeFile and the parser disagree on whether the "
                + "input parses")
        }
    }

    /// The input as a user file and as a status file of one commit.
    private static func checkManifestSet(
        _ bytes: [UInt8], file: String, lines: Int, into outcome: inout DecoderFuzzOutcome
    ) {
        let statusFile = "\(StatusPath.defaultRoot)/\(file)"
        let set = ManifestSet.load(files: [(file, bytes), (statusFile, bytes)])
        for diagnostic in set.parseErrors + set.diagnostics {
            for problem in YAMLFuzzChecks.messageProblems(diagnostic.message) {
                outcome.violations.append("ManifestSet: \(problem)")
            }
            guard let location = diagnostic.location else { continue }
            if ![file, statusFile].contains(location.file) || !(1...lines).contains(location.line) {
                outcome.violations.append("ManifestSet: a diagnostic is outside the input: "
                    + "\(diagnostic)")
            }
        }
    }
}

/// What one input did to the YAML layer and the decoder.
package struct DecoderFuzzOutcome: Sendable {
    package var yaml: YAMLFuzzOutcome
    package var violations: [String]
    package var fleetObjects = 0
    package var workloads = 0
    package var rejected = 0
    /// Placement statuses whose bindings came back sorted, a known gap (`sortingBindings`).
    package var reorderedBindings = 0

    init(yaml: YAMLFuzzOutcome) {
        self.yaml = yaml
        violations = yaml.violations
    }
}
