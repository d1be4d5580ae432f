import FleetAPI
import FleetYAML

/// Classifies hub documents through the API layer's decoder.
enum HubDecoding {
    enum Outcome {
        case fleet(FleetObject)
        /// A workload, decoded with the built-in scope table.
        case workload(Result<WorkloadResource, Diagnostic>)
        /// An object with problems; `ref` names it when its kind and name could be read.
        case invalid([Diagnostic], ref: ObjectRef?)
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
        case let .workload(resource)?:
            return .workload(.success(resource))
        case nil:
            // A workload that needs the repository's CRDs to decode (its scope) is kept and
            // decoded again once they are known.
            if let ref = decoded.ref, ref.fleetKind == nil, document["apiVersion"] != nil {
                return .workload(.failure(decoded.diagnostics.first
                    ?? Diagnostic("not a workload resource", at: document.location)))
            }
            return .invalid(decoded.diagnostics, ref: decoded.ref)
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
