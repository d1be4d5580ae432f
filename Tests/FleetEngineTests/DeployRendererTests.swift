import FleetAPI
@testable import FleetEngine
import FleetGit
import Foundation
import Testing

@Suite("deploy rendering")
struct DeployRendererTests {
    @Test("a binding naming a missing snapshot never empties its member's folder")
    func missingSnapshotKeepsFolder() throws {
        try FleetFixture.isolateGitConfiguration()
        let path = NSTemporaryDirectory() + "gitfleet-render-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let repository = try GitRepository.create(path: path, bare: true)
        var old = FleetState()
        var new = FleetState()
        let key = ObjectKey(name: "app")
        var binding = Binding(
            meta: ObjectMeta(name: "app-m1"), placementName: "app", targetCluster: "m1",
            state: .bound, resourceSnapshotName: "app-0-snapshot",
            schedulingPolicySnapshotName: "app-0")
        old.placementStatuses[key] = PlacementStatus(placementKey: key, bindings: [binding])
        binding.resourceSnapshotName = "app-9-snapshot"
        new.placementStatuses[key] = PlacementStatus(placementKey: key, bindings: [binding])
        var renderer = DeployRenderer(
            repository: repository, paths: RepositoryPaths(config: GitFleetConfig()))
        let edits = try renderer.edits(old: old, new: new)
        #expect(edits["deploy/m1"] == nil)
        #expect(renderer.missing["m1"] == ["app-9-snapshot"])
    }
}
