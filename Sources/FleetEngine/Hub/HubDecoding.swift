import FleetAPI
import FleetYAML

/// Classifies hub documents through the API layer's decoder.
enum HubDecoding {
    enum Outcome {
        case fleet(FleetObject)
        /// A workload; decoded again once the repository's CRDs are known.
        case workload
        case invalid([Diagnostic])
    }

    /// A document of a hub file. Runs get their file as origin: their state is changed there.
    static func decode(_ document: YAMLNode, file: String) -> Outcome {
        let decoded = FleetDecoder.decode(document, file: file, source: .repository)
        switch decoded.content {
        case var .fleet(object)?:
            if case var .updateRun(run) = object {
                run.origin = .committed(file: file)
                object = .updateRun(run)
            }
            return .fleet(object)
        case .workload?:
            return .workload
        case nil:
            if let ref = decoded.ref, ref.fleetKind == nil, decoded.diagnostics.isEmpty {
                return .workload
            }
            return .invalid(decoded.diagnostics)
        }
    }

    /// A workload document with its scope resolved against the repository's CRDs.
    static func workload(
        _ document: YAMLNode, file: String, scopes: KindScopes
    ) -> Result<WorkloadResource, Diagnostic> {
        let decoded = FleetDecoder.decode(document, file: file, source: .repository, scopes: scopes)
        if let workload = decoded.workload { return .success(workload) }
        return .failure(decoded.diagnostics.first
            ?? Diagnostic("not a workload resource", at: document.location))
    }
}
