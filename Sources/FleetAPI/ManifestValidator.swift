import FleetYAML

/// What `gitfleet validate` checks: every file parses, every object decodes and validates, no
/// object is defined twice, and workload scopes agree with the built-in table and the CRDs.
///
/// Every file given is read as user input. The caller leaves out what is not: the output
/// folders (`status/`, `deploy/`, `reports/`, or those `gitfleet.yaml` names), ignored paths,
/// and files that are not `*.yaml`/`*.yml`.
package enum ManifestValidator {
    /// Parse errors and validation problems together, sorted by file, line and message.
    package static func validate(files: [(path: String, bytes: [UInt8])]) -> [Diagnostic] {
        let set = ManifestSet.load(files: files, statusRoot: nil)
        return ordered(set.parseErrors + set.diagnostics)
    }

    /// Diagnostics in a stable order: by file, line, column, object, then message; those
    /// without a location last.
    package static func ordered(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { a, b in
            switch (a.location, b.location) {
            case let (l?, r?):
                if l.file != r.file { return l.file < r.file }
                if l.line != r.line { return l.line < r.line }
                if l.column != r.column { return l.column < r.column }
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): break
            }
            return ((a.object ?? ""), a.message) < ((b.object ?? ""), b.message)
        }
    }
}
