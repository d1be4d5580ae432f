import FleetAPI
import FleetYAML

/// What one hub file holds once parsed: fleet objects, workload documents and problems.
package struct HubFile: Sendable {
    package var path: String
    package var objects: [FleetObject]
    /// Workload documents; their scope is resolved once all files (and CRDs) are known.
    package var workloads: [YAMLNode]
    /// Objects that parsed but are invalid; each affects only itself.
    package var diagnostics: [Diagnostic]
    /// Set when the file does not parse at all: nobody can tell what it would select.
    package var parseError: Diagnostic?

    package init(path: String, bytes: [UInt8]) {
        self.path = path
        objects = []
        workloads = []
        diagnostics = []
        do {
            for document in try YAMLParser.parse(bytes, file: path) {
                switch HubDecoding.decode(document, file: path) {
                case let .fleet(object): objects.append(object)
                case .workload: workloads.append(document)
                case let .invalid(problems): diagnostics += problems
                }
            }
        } catch {
            parseError = Diagnostic(String(describing: error))
        }
    }
}

/// The hub objects of one commit, kept per file so that a commit's tree diff touches only the
/// files it changed.
package struct HubContent: Sendable {
    package private(set) var files: [String: HubFile] = [:]
    package private(set) var config: GitFleetConfig = GitFleetConfig()
    package private(set) var configError: Diagnostic?

    package init() {}

    /// Applies a changed hub file (nil bytes: deleted).
    package mutating func apply(path: String, bytes: [UInt8]?) {
        if let bytes {
            files[path] = HubFile(path: path, bytes: bytes)
        } else {
            files[path] = nil
        }
    }

    /// Applies a change to `gitfleet.yaml`.
    package mutating func applyConfig(_ bytes: [UInt8]?) {
        do {
            config = try GitFleetConfig.decode(bytes)
            configError = nil
        } catch {
            configError = Diagnostic(String(describing: error))
        }
    }

    /// Files that do not parse, sorted by path.
    package var parseErrors: [Diagnostic] {
        files.keys.sorted().compactMap { files[$0]?.parseError }
            + (configError.map { [$0] } ?? [])
    }

    /// Every hub object and workload, with scopes resolved and duplicates reported.
    package func combined() -> HubObjects {
        var result = HubObjects()
        var crds: [(document: YAMLNode, file: String)] = []
        for path in files.keys.sorted() {
            guard let file = files[path] else { continue }
            result.diagnostics += file.diagnostics
            for document in file.workloads where KindScopes.isCustomResourceDefinition(document) {
                crds.append((document, path))
            }
        }
        let (scopes, crdProblems) = KindScopes.declaring(crds)
        result.diagnostics += crdProblems
        var seenWorkloads: [String: SourceLocation?] = [:]
        for path in files.keys.sorted() {
            guard let file = files[path] else { continue }
            for object in file.objects {
                if let problem = result.add(object) {
                    result.diagnostics.append(problem)
                }
            }
            for document in file.workloads {
                switch HubDecoding.workload(document, file: path, scopes: scopes) {
                case let .success(resource):
                    if let first = seenWorkloads[resource.identity] {
                        let firstText = first.map { " (first at \($0))" } ?? ""
                        result.diagnostics.append(Diagnostic(
                            "duplicate object '\(resource.identity)'\(firstText)",
                            at: resource.location))
                        continue
                    }
                    seenWorkloads[resource.identity] = resource.location
                    result.workloads.append(resource)
                case let .failure(problem):
                    result.diagnostics.append(problem)
                }
            }
        }
        return result
    }
}

/// The hub objects of a commit, combined from all its files.
package struct HubObjects: Sendable {
    package var members: [String: MemberCluster] = [:]
    package var placements: [ObjectKey: Placement] = [:]
    package var strategies: [ObjectKey: StagedUpdateStrategy] = [:]
    /// Runs people committed, with the file each came from.
    package var runs: [ObjectKey: UpdateRun] = [:]
    package var workloads: [WorkloadResource] = []
    package var diagnostics: [Diagnostic] = []

    package init() {}

    /// Adds an object; returns a diagnostic when it duplicates one already added or is a kind
    /// people may not write outside the output folders.
    mutating func add(_ object: FleetObject) -> Diagnostic? {
        switch object {
        case let .memberCluster(member):
            guard members[member.name] == nil else {
                return Diagnostic("duplicate MemberCluster '\(member.name)'")
            }
            members[member.name] = member
        case let .placement(placement):
            guard placements[placement.key] == nil else {
                return Diagnostic("duplicate \(placement.kind.rawValue) '\(placement.key)'")
            }
            placements[placement.key] = placement
        case let .strategy(strategy):
            guard strategies[strategy.key] == nil else {
                return Diagnostic("duplicate \(FleetKind.strategy(strategy.scope).rawValue) "
                    + "'\(strategy.key)'")
            }
            strategies[strategy.key] = strategy
        case let .updateRun(run):
            guard runs[run.key] == nil else {
                return Diagnostic("duplicate \(run.kind.rawValue) '\(run.key)'")
            }
            runs[run.key] = run
        case let .approvalRequest(request):
            return Diagnostic("\(request.kind.rawValue) '\(request.key)' is written by gitfleet "
                + "under status/; approve the request there instead")
        case .resourceSnapshot, .policySnapshot, .placementStatus:
            return Diagnostic("snapshots and placement status are written by gitfleet under "
                + "status/ and cannot be committed elsewhere")
        case .override:
            break
        }
        return nil
    }
}
