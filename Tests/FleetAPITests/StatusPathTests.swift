import Testing
@testable import FleetAPI

@Suite struct StatusPathTests {
    static let paths: [(FleetKind, ObjectKey, String)] = [
        (.clusterStagedUpdateRun, ObjectKey(name: "example-run"),
         "status/clusterstagedupdateruns/example-run.yaml"),
        (.stagedUpdateRun, ObjectKey(namespace: "team", name: "run"),
         "status/stagedupdateruns/team/run.yaml"),
        (.clusterApprovalRequest, ObjectKey(name: "run-before-canary"),
         "status/clusterapprovalrequests/run-before-canary.yaml"),
        (.clusterResourceSnapshot, ObjectKey(name: "p-0-snapshot"),
         "status/clusterresourcesnapshots/p-0-snapshot.yaml"),
        (.resourceSnapshot, ObjectKey(namespace: "team", name: "rp-3-snapshot"),
         "status/resourcesnapshots/team/rp-3-snapshot.yaml"),
        (.clusterSchedulingPolicySnapshot, ObjectKey(name: "p-0"),
         "status/clusterschedulingpolicysnapshots/p-0.yaml"),
        (.clusterResourcePlacement, ObjectKey(name: "example-placement"),
         "status/clusterresourceplacements/example-placement.yaml"),
        (.resourcePlacement, ObjectKey(namespace: "team", name: "web.v2"),
         "status/resourceplacements/team/web.v2.yaml"),
    ]

    @Test(arguments: paths)
    func pathAndInverse(_ kind: FleetKind, _ key: ObjectKey, _ path: String) throws {
        #expect(try StatusPath.path(kind: kind, key: key) == path)
        let parsed = StatusPath.parse(path)
        #expect(parsed?.kind == kind)
        #expect(parsed?.key == key)
    }

    @Test func otherRoot() throws {
        let key = ObjectKey(name: "r")
        #expect(try StatusPath.path(kind: .clusterStagedUpdateRun, key: key, root: "out/status")
            == "out/status/clusterstagedupdateruns/r.yaml")
        #expect(StatusPath.parse("out/status/clusterstagedupdateruns/r.yaml", root: "out/status")?
            .key == key)
    }

    @Test(arguments: [
        (FleetKind.clusterStagedUpdateRun, ObjectKey(name: "../../etc/passwd")),
        (.clusterStagedUpdateRun, ObjectKey(name: "a/b")),
        (.clusterStagedUpdateRun, ObjectKey(name: "..")),
        (.clusterStagedUpdateRun, ObjectKey(name: "")),
        (.clusterStagedUpdateRun, ObjectKey(name: "Upper")),
        (.clusterStagedUpdateRun, ObjectKey(namespace: "team", name: "r")),
        (.stagedUpdateRun, ObjectKey(name: "r")),
        (.stagedUpdateRun, ObjectKey(namespace: "..", name: "r")),
        (.stagedUpdateRun, ObjectKey(namespace: "a.b", name: "r")),
    ])
    func refusesUnsafeOrMismatchedKeys(_ kind: FleetKind, _ key: ObjectKey) {
        #expect(throws: Diagnostic.self) { try StatusPath.path(kind: kind, key: key) }
    }

    @Test(arguments: [
        "status/unknownthings/x.yaml",
        "status/clusterstagedupdateruns/team/x.yaml",
        "status/stagedupdateruns/x.yaml",
        "status/clusterstagedupdateruns/../x.yaml",
        "status/clusterstagedupdateruns/x.yml",
        "status/clusterstagedupdateruns/X.yaml",
        "status/clusterstagedupdateruns/.yaml",
        "deploy/clusterstagedupdateruns/x.yaml",
        "status/stagedupdateruns/team/sub/x.yaml",
        "statusx/clusterstagedupdateruns/x.yaml",
    ])
    func parseRefusesOtherPaths(_ path: String) {
        #expect(StatusPath.parse(path) == nil)
    }
}
