import FleetAPIFuzzing
import FleetYAML
import FleetYAMLFuzzing
import Testing
@testable import FleetAPI

/// Seeded random-mutation fuzzing of the object decoder, the encoder round trip,
/// `decodeFile` and `ManifestSet.load`, on top of the YAML invariants.
///
/// Deterministic like FuzzYAMLTests, with the same `GITFLEET_FUZZ_ITERATIONS` and
/// `GITFLEET_FUZZ_SEED` settings; Fuzz/README.md has the details.
@Suite struct FuzzDecoderTests {
    static let seeds: [FuzzSeed] = {
        guard let directory = FuzzCorpus.directory() else { return [] }
        return (try? FuzzCorpus.seeds(in: directory)) ?? []
    }()

    /// Fleet objects mutate into other valid fleet objects more often than other seeds do,
    /// and only those reach the encoder round trip, so they are offered twice as often.
    static let weightedSeeds = seeds + seeds.filter {
        $0.name.hasPrefix("fleet-") || $0.name.hasPrefix("status-")
    }

    static let shards = [0, 1, 2, 3]
    static let settings = FuzzSettings.fromEnvironment(defaultIterations: 1_200)

    /// What each seed must decode to, by its name: `fleet-` and `k8s-` seeds decode cleanly
    /// from a user file, `status-` seeds from a status file, and `bad-fleet-` seeds parse
    /// but give diagnostics. Every seed keeps every invariant.
    @Test func seedsDecodeAsTheirNamesSay() {
        #expect(Self.seeds.count >= 50, "Fuzz/corpus/yaml is missing or nearly empty")
        for seed in Self.seeds {
            let outcome = DecoderFuzzChecks.run(seed.bytes, file: seed.name)
            #expect(outcome.violations == [], "\(seed.name)")
            let source: DocumentSource? = seed.name.hasPrefix("status-") ? .status
                : seed.name.hasPrefix("fleet-") || seed.name.hasPrefix("k8s-") ? .repository
                : nil
            let decoded = outcome.yaml.documents.map {
                FleetDecoder.decode($0, file: seed.name, source: source ?? .repository)
            }
            if source != nil {
                #expect(!decoded.isEmpty, "\(seed.name) has no documents")
                let diagnostics = decoded.flatMap(\.diagnostics).map(\.description)
                #expect(diagnostics == [], "\(seed.name)")
            } else if seed.name.hasPrefix("bad-fleet-") {
                #expect(outcome.yaml.parseError == nil, "\(seed.name)")
                #expect(decoded.allSatisfy { $0.content == nil }, "\(seed.name)")
            }
        }
    }

    /// The corpus holds every fleet kind, decoded cleanly, so mutations start from each.
    @Test func corpusCoversEveryFleetKind() {
        var kinds = Set<FleetKind>()
        for seed in Self.seeds where !seed.name.hasPrefix("bad-") {
            let source: DocumentSource = seed.name.hasPrefix("status-") ? .status : .repository
            for document in (try? YAMLParser.parse(seed.bytes, file: seed.name)) ?? [] {
                let decoded = FleetDecoder.decode(document, file: seed.name, source: source)
                if let kind = decoded.ref?.fleetKind { kinds.insert(kind) }
            }
        }
        // Bindings live inside placement status files; the rest appear as documents.
        let missing = FleetKind.allCases.filter {
            !kinds.contains($0) && $0 != .clusterResourceBinding && $0 != .resourceBinding
        }
        #expect(missing == [])
    }

    @Test(arguments: shards)
    func mutatedSeedsKeepTheInvariants(shard: Int) {
        let mutator = YAMLMutator(seeds: Self.weightedSeeds)
        var fleetObjects = 0
        var workloads = 0
        var failures = 0
        for iteration in stride(from: shard, to: Self.settings.iterations, by: Self.shards.count) {
            var random = FuzzRandom(seed: Self.settings.seed, iteration: iteration)
            let (bytes, trace) = mutator.input(&random)
            let outcome = DecoderFuzzChecks.run(bytes)
            fleetObjects += outcome.fleetObjects
            workloads += outcome.workloads
            guard !outcome.violations.isEmpty else { continue }
            failures += 1
            if failures <= 3 {
                Issue.record(Comment(rawValue: FuzzFailure.report(
                    suite: "decoder", iteration: iteration, settings: Self.settings,
                    trace: trace, bytes: bytes, violations: outcome.violations)))
            }
        }
        #expect(failures == 0, "\(failures) failing inputs in shard \(shard)")
        // The round trip only runs on inputs that still decode; make sure many do.
        if Self.settings.iterations >= 400 {
            #expect(fleetObjects >= Self.settings.iterations / Self.shards.count / 10)
            #expect(workloads > 0)
        }
    }

    /// Found by libFuzzer: a placement status whose bindings are out of cluster order (as a
    /// hand edit leaves them) reads the same as the sorted file gitfleet writes.
    @Test func unsortedBindingsReadSorted() throws {
        let seed = try #require(Self.seeds.first { $0.name == "found-unsorted-bindings.yaml" })
        let outcome = DecoderFuzzChecks.run(seed.bytes, file: seed.name)
        #expect(outcome.violations == [])
        #expect(outcome.reorderedBindings == 0)
        let document = try #require(outcome.yaml.documents.first)
        let status = FleetDecoder.decode(document, file: seed.name, source: .status)
        guard case let .placementStatus(read)? = status.fleetObject else {
            Issue.record("not a placement status")
            return
        }
        #expect(read.bindings.map(\.targetCluster) == ["member1", "member2"])
    }
}
