// swift-tools-version:6.0
import PackageDescription

// The layers, bottom up: C libraries, git and YAML access, the fleet API objects, placement
// (selection, scheduling, snapshots) and the pure rollout state machine, the engine that
// loads commits, renders deploy/ trees and runs sync ticks, and the command line on top.
let package = Package(
    name: "gitfleet",
    products: [
        .executable(name: "gitfleet", targets: ["gitfleet"]),
    ],
    targets: [
        .systemLibrary(name: "CLibGit2", pkgConfig: "libgit2",
                       providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // git_libgit2_init without parsing the CA bundle (see its header).
        .target(name: "CLibGit2Startup", dependencies: ["CLibGit2"]),

        .target(name: "FleetGit", dependencies: ["CLibGit2", "CLibGit2Startup"]),
        .target(name: "FleetYAML", dependencies: ["CYAML", "CCrypto"]),
        .target(name: "FleetAPI", dependencies: ["FleetYAML"]),
        .target(name: "FleetPlacement", dependencies: ["FleetAPI", "FleetYAML"]),
        .target(name: "FleetRollout", dependencies: ["FleetAPI"]),
        .target(name: "FleetEngine",
                dependencies: ["FleetGit", "FleetYAML", "FleetAPI", "FleetPlacement",
                               "FleetRollout"]),
        .target(name: "GitFleetCLI", dependencies: ["FleetEngine", "FleetGit", "FleetYAML",
                                                    "FleetAPI"]),
        .executableTarget(name: "gitfleet", dependencies: ["GitFleetCLI"]),

        .testTarget(name: "FleetGitTests", dependencies: ["FleetGit"]),
        .testTarget(name: "FleetYAMLTests", dependencies: ["FleetYAML", "FleetYAMLFuzzing"]),
        .testTarget(name: "FleetAPITests",
                    dependencies: ["FleetAPI", "FleetYAML", "FleetAPIFuzzing"]),
        .testTarget(name: "FleetPlacementTests",
                    dependencies: ["FleetPlacement", "FleetAPI", "FleetYAML"]),
        .testTarget(name: "FleetRolloutTests", dependencies: ["FleetRollout", "FleetAPI"]),
        .testTarget(name: "FleetEngineTests",
                    dependencies: ["FleetEngine", "FleetGit", "FleetYAML", "FleetAPI"]),
        .testTarget(name: "GitFleetCLITests",
                    dependencies: ["GitFleetCLI", "FleetEngine", "FleetGit"],
                    resources: [.copy("Golden")]),

        // Fuzzing: seed mutation and the invariants every input must keep, used by the
        // FleetYAMLTests and FleetAPITests fuzz suites and by the libFuzzer target (Fuzz/).
        .target(name: "FleetYAMLFuzzing", dependencies: ["FleetYAML"],
                path: "Fuzz/Sources/FleetYAMLFuzzing"),
        .target(name: "FleetAPIFuzzing",
                dependencies: ["FleetAPI", "FleetYAML", "FleetYAMLFuzzing"],
                path: "Fuzz/Sources/FleetAPIFuzzing"),
    ],
    swiftLanguageModes: [.v6]
)
