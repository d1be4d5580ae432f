import FleetAPI
import FleetEngine
import Testing

/// Which files of the repository are whose, by path alone.
@Suite("repository paths")
struct RepositoryPathsTests {
    static let paths = RepositoryPaths(config: GitFleetConfig())

    @Test("a path belongs to gitfleet's folders, the hub, or nobody", arguments: [
        ("gitfleet.yaml", PathOwner.config),
        ("status/sync.yaml", .status),
        ("status", .status),
        ("deploy/member1/apps/v1/deployment.yaml", .deploy),
        ("reports/member1.yaml", .reports),
        ("statusx/a.yaml", .hub),
        ("members/member1.yaml", .hub),
        ("members/member1.yml", .hub),
        ("README.md", .other),
        ("members/member1.yaml.orig", .other),
        (".github/workflows/ci.yaml", .other),
        ("apps/.hidden/cm.yaml", .other),
        ("apps/.cm.yaml", .other),
        ("apps/config.d/cm.yaml", .hub),
        ("apps//.x/cm.yaml", .other),
        ("é/cm.yaml", .hub),
    ])
    func owner(path: String, owner: PathOwner) {
        #expect(Self.paths.owner(of: path) == owner)
    }

    @Test("folders that hold no hub files are skipped whole", arguments: [
        ("status", true),
        ("deploy", true),
        ("reports", true),
        (".github", true),
        ("apps/.cache", true),
        ("apps", false),
        ("apps/web.d", false),
        ("apps/status", false),
    ])
    func noHubFiles(folder: String, skipped: Bool) {
        #expect(Self.paths.holdsNoHubFiles(folder: folder) == skipped)
    }

    @Test("a subdomain name is labels joined by dots", arguments: [
        ("example-placement", true),
        ("a.b.c", true),
        ("a..b", false),
        (".a", false),
        ("a.", false),
        ("A.b", false),
        ("a-.b", false),
        ("a.-b", false),
        ("a.b0", true),
        ("0.0", true),
        ("é", false),
    ])
    func subdomain(name: String, valid: Bool) {
        #expect((KubernetesName.subdomainProblem(name) == nil) == valid)
    }
}
