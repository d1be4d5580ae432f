import FleetAPI
import FleetPlacement
import FleetGit
import FleetYAML

/// What one hub file holds once parsed: fleet objects, workloads and problems.
package struct HubFile: Sendable {
    /// A workload document, decoded with the built-in scope table; documents of kinds a CRD
    /// in the repository declares are decoded again once all CRDs are known.
    package struct Workload: Sendable {
        package var document: YAMLNode
        package var resource: WorkloadResource?
        package var problem: Diagnostic?
        package var groupKind: GroupKind

        init(document: YAMLNode, decoded: Result<WorkloadResource, Diagnostic>,
             groupKind: GroupKind) {
            self.document = document
            self.groupKind = groupKind
            switch decoded {
            case var .success(resource):
                // Computed here, where files are parsed on every core and once per content,
                // rather than for each snapshot that selects the resource.
                resource.snapshotJSON = SnapshotContent.snapshotJSON(of: resource)
                self.resource = resource
            case let .failure(problem): self.problem = problem
            }
        }

        var decoded: Result<WorkloadResource, Diagnostic> {
            if let resource { return .success(resource) }
            return .failure(problem ?? Diagnostic("not a workload resource", at: document.location))
        }
    }

    package var path: String
    package var objects: [FleetObject]
    package var workloads: [Workload]
    /// Objects that parsed but are invalid; each affects only itself.
    package var diagnostics: [Diagnostic]
    /// The fleet objects those problems belong to, when they could be named.
    package var invalidRefs: [ObjectRef] = []
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
                case let .fleet(object):
                    objects.append(object)
                case let .workload(decoded):
                    let apiVersion = document["apiVersion"]?.scalar?.text ?? ""
                    let gvk = GroupVersionKind(
                        apiVersion: apiVersion, kind: document["kind"]?.scalar?.text ?? "")
                    workloads.append(Workload(
                        document: document, decoded: decoded,
                        groupKind: GroupKind(group: gvk.group, kind: gvk.kind)))
                case let .invalid(problems, ref):
                    diagnostics += problems
                    if let ref { invalidRefs.append(ref) }
                }
            }
        } catch {
            parseError = Diagnostic(error.message, at: error.location)
        }
    }

    /// A file holding one member, known from the hub index without parsing it.
    init(path: String, member: MemberCluster) {
        self.path = path
        objects = [.memberCluster(member)]
        workloads = []
        diagnostics = []
    }

    /// The file's workloads when it holds nothing else: no fleet objects, no problems, and
    /// only built-in kinds, whose decoding no CustomResourceDefinition can change. Such a file
    /// can come and go without the rest of the hub being combined again.
    var plainWorkloads: [WorkloadResource]? {
        guard parseError == nil, objects.isEmpty, diagnostics.isEmpty, invalidRefs.isEmpty
        else { return nil }
        let builtIn = KindScopes()
        var resources: [WorkloadResource] = []
        for workload in workloads {
            guard let resource = workload.resource,
                  builtIn.isBuiltIn(group: workload.groupKind.group, kind: workload.groupKind.kind),
                  !KindScopes.isCustomResourceDefinition(workload.document)
            else { return nil }
            resources.append(resource)
        }
        return resources
    }

    /// Where the file's workloads live, for deciding which placements a change can affect.
    var workloadPlaces: [ChangedWorkload] {
        workloads.map { workload in
            ChangedWorkload(
                groupKind: workload.groupKind,
                namespace: workload.document["metadata"]?["namespace"]?.scalar?.text,
                name: workload.document["metadata"]?["name"]?.scalar?.text ?? "")
        }
    }
}

/// A workload a commit added, changed or removed, as far as selection cares.
package struct ChangedWorkload: Hashable, Sendable {
    package var groupKind: GroupKind
    package var namespace: String?
    package var name: String
}

/// The hub objects of one commit, kept per file so that a commit's tree diff touches only the
/// files it changed. The combined view is rebuilt only after a change, without parsing.
package struct HubContent: Sendable {
    package private(set) var files: [String: HubFile] = [:]
    /// Files known from the hub index and not parsed: they hold only workloads, which the
    /// combined view leaves out until `apply` parses them.
    package private(set) var deferred: [String: (blob: ObjectID, entry: HubIndex.Entry)] = [:]
    /// Paths of the files that do not parse.
    private var unparsable: Set<String> = []
    package private(set) var config: GitFleetConfig = GitFleetConfig()
    package private(set) var configError: Diagnostic?
    private var cachedObjects: HubObjects?

    package init() {}

    /// What applying one changed file did.
    package struct Change {
        /// The workloads it touched, before and after.
        package var workloads: [ChangedWorkload]
        package var touchesCRDs: Bool
        /// When the combined view was patched in place: the identities of the workloads the
        /// file no longer holds, and the ones it now holds.
        package var replaced: (removed: [String], added: [WorkloadResource])?
    }

    /// Applies a changed hub file (nil bytes: deleted) and returns what it touched.
    @discardableResult
    package mutating func apply(path: String, bytes: [UInt8]?) -> Change {
        apply(path: path, file: bytes.map { HubFile(path: path, bytes: $0) })
    }

    /// Applies a changed hub file, already read (nil: deleted).
    @discardableResult
    mutating func apply(path: String, file new: HubFile?) -> Change {
        let oldFile = files[path]
        let old = oldFile?.workloadPlaces ?? deferred[path]?.entry.places ?? []
        files[path] = new
        deferred[path] = nil
        if new?.parseError != nil { unparsable.insert(path) } else { unparsable.remove(path) }
        var replaced: (removed: [String], added: [WorkloadResource])?
        if let removed = oldFile.map({ $0.plainWorkloads }) ?? [],
           let added = new.map({ $0.plainWorkloads }) ?? [],
           var objects = cachedObjects.take(), objects.replaceWorkloads(of: path, with: added) {
            cachedObjects = objects
            replaced = (removed.map(\.identity), added)
        } else {
            cachedObjects = nil
        }
        let touched = old + (new?.workloadPlaces ?? [])
        let crd = GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition")
        return Change(
            workloads: touched, touchesCRDs: touched.contains { $0.groupKind == crd },
            replaced: replaced)
    }

    /// Notes a file the hub index describes instead of parsing it.
    mutating func deferFile(path: String, blob: ObjectID, entry: HubIndex.Entry) {
        files[path] = nil
        unparsable.remove(path)
        deferred[path] = (blob, entry)
        cachedObjects = nil
    }

    /// Identities of the workloads in parsed files.
    var parsedIdentities: Set<String> {
        Set(files.values.flatMap { $0.workloads.compactMap { $0.resource?.identity } })
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
        unparsable.sorted().compactMap { files[$0]?.parseError }
            + (configError.map { [$0] } ?? [])
    }

    /// Every hub object and workload, with scopes resolved and duplicates reported.
    package mutating func combined() -> HubObjects {
        if let cachedObjects { return cachedObjects }
        let objects = combine()
        cachedObjects = objects
        return objects
    }

    private func combine() -> HubObjects {
        var result = HubObjects()
        let paths = files.keys.sorted()
        var crds: [(document: YAMLNode, file: String)] = []
        for path in paths {
            guard let file = files[path] else { continue }
            result.diagnostics += file.diagnostics
            result.invalid.formUnion(file.invalidRefs)
            for workload in file.workloads
            where KindScopes.isCustomResourceDefinition(workload.document) {
                crds.append((workload.document, path))
            }
        }
        var scopes = KindScopes()
        var declared: Set<GroupKind> = []
        if !crds.isEmpty {
            let declaring = KindScopes.declaring(crds)
            scopes = declaring.scopes
            result.diagnostics += declaring.diagnostics
            declared = Set(crds.compactMap { crd -> GroupKind? in
                guard let group = crd.document["spec"]?["group"]?.scalar?.text,
                      let kind = crd.document["spec"]?["names"]?["kind"]?.scalar?.text
                else { return nil }
                return GroupKind(group: group, kind: kind)
            })
        }
        var seenWorkloads: [String: SourceLocation?] = [:]
        for path in paths {
            guard let file = files[path] else { continue }
            for object in file.objects {
                if let problem = result.add(object) {
                    result.diagnostics.append(problem)
                }
            }
            for workload in file.workloads {
                let decoded = declared.contains(workload.groupKind)
                    ? HubDecoding.workload(workload.document, file: path, scopes: scopes)
                    : workload.decoded
                switch decoded {
                case let .success(resource):
                    if let first = seenWorkloads[resource.identity] {
                        let firstText = first.map { " (first at \($0))" } ?? ""
                        result.hasDuplicateWorkloads = true
                        result.diagnostics.append(Diagnostic(
                            "duplicate object '\(resource.identity)'\(firstText)",
                            at: resource.location))
                        continue
                    }
                    seenWorkloads[resource.identity] = resource.location
                    result.addWorkload(resource, file: path)
                case let .failure(problem):
                    result.diagnostics.append(problem)
                    result.invalidWorkloads.append(problem)
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
    /// Every workload, ordered by file path and by position in the file.
    package var workloads: [WorkloadResource] {
        workloadsByFile.keys.sorted().flatMap { workloadsByFile[$0] ?? [] }
    }
    /// The workloads of each file: one file's change replaces one entry.
    private var workloadsByFile: [String: [WorkloadResource]] = [:]
    package var diagnostics: [Diagnostic] = []
    /// Fleet objects that are present but invalid: they keep their last valid version.
    package var invalid: Set<ObjectRef> = []
    /// Workload documents that could not be decoded: nobody can tell what they would have
    /// selected, so, like a file that does not parse, they hold new snapshots.
    package var invalidWorkloads: [Diagnostic] = []
    /// True when two workloads share an identity; the first by path is kept.
    var hasDuplicateWorkloads = false
    /// The file each workload came from, by identity.
    private var workloadFiles: [String: String] = [:]

    package init() {}

    /// Replaces the workloads that came from `path` with `resources`, where the result is
    /// what combining every file again would give: no duplicates before or after. Workloads
    /// stay ordered by file path as the combination orders them. Returns false, changing
    /// nothing, where that cannot be promised.
    mutating func replaceWorkloads(of path: String, with resources: [WorkloadResource]) -> Bool {
        guard !hasDuplicateWorkloads else { return false }
        var added: Set<String> = []
        for resource in resources {
            let identity = resource.identity
            guard added.insert(identity).inserted,
                  workloadFiles[identity] == nil || workloadFiles[identity] == path
            else { return false }
        }
        for resource in workloadsByFile[path] ?? [] { workloadFiles[resource.identity] = nil }
        workloadsByFile[path] = resources.isEmpty ? nil : resources
        for identity in added { workloadFiles[identity] = path }
        return true
    }

    /// Adds a workload of `file` to the combination.
    mutating func addWorkload(_ resource: WorkloadResource, file: String) {
        workloadsByFile[file, default: []].append(resource)
        workloadFiles[resource.identity] = file
    }

    /// Keeps the last valid version of every object that is now present but invalid, so a
    /// typo in a placement or a member never reads as its deletion.
    mutating func keepLastValid(from previous: HubObjects) {
        for ref in invalid {
            guard let kind = ref.fleetKind else { continue }
            let key = ref.key
            switch kind {
            case .memberCluster:
                if members[key.name] == nil { members[key.name] = previous.members[key.name] }
            case .clusterResourcePlacement, .resourcePlacement:
                if placements[key] == nil { placements[key] = previous.placements[key] }
            case .clusterStagedUpdateStrategy, .stagedUpdateStrategy:
                if strategies[key] == nil { strategies[key] = previous.strategies[key] }
            case .clusterStagedUpdateRun, .stagedUpdateRun:
                if runs[key] == nil { runs[key] = previous.runs[key] }
            case .clusterApprovalRequest, .approvalRequest, .clusterResourceSnapshot,
                 .resourceSnapshot, .clusterSchedulingPolicySnapshot, .schedulingPolicySnapshot,
                 .clusterResourceBinding, .resourceBinding, .clusterResourceOverride,
                 .resourceOverride, .clusterResourceOverrideSnapshot, .resourceOverrideSnapshot:
                continue
            }
        }
    }

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
