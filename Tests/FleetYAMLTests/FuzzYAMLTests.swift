import FleetYAMLFuzzing
import Testing
@testable import FleetYAML

/// Seeded random-mutation fuzzing of the parser, writer, `CanonicalJSON` and `SHA256`.
///
/// Runs are deterministic: iteration `i` of seed `s` always builds the same input, so a failure
/// reproduces with the settings it prints. CI runs the default count; set
/// `GITFLEET_FUZZ_ITERATIONS` (and `GITFLEET_FUZZ_SEED`) for longer runs. Fuzz/README.md has
/// the details and the libFuzzer target.
@Suite struct FuzzYAMLTests {
    static let seeds: [FuzzSeed] = {
        guard let directory = FuzzCorpus.directory() else { return [] }
        return (try? FuzzCorpus.seeds(in: directory)) ?? []
    }()

    /// Iterations are dealt round-robin to shards, which run in parallel.
    static let shards = [0, 1, 2, 3]
    static let settings = FuzzSettings.fromEnvironment(defaultIterations: 3_000)

    @Test func corpusIsFound() {
        #expect(Self.seeds.count >= 50, "Fuzz/corpus/yaml is missing or nearly empty")
    }

    /// Seeds named `bad-yaml-*` must be refused, `found-*` seeds (inputs fuzzing once broke
    /// an invariant with) may go either way, and all others must parse. Every invariant holds.
    @Test func seedsKeepTheInvariants() {
        for seed in Self.seeds {
            let outcome = YAMLFuzzChecks.run(seed.bytes, file: seed.name)
            #expect(outcome.violations == [], "\(seed.name)")
            if seed.name.hasPrefix("bad-yaml-") {
                #expect(outcome.parseError != nil, "\(seed.name) parsed")
            } else if !seed.name.hasPrefix("found-") {
                #expect(outcome.parseError == nil, "\(outcome.parseError?.summary ?? "")")
            }
        }
    }

    @Test(arguments: shards)
    func mutatedSeedsKeepTheInvariants(shard: Int) {
        let mutator = YAMLMutator(seeds: Self.seeds)
        var parsed = 0
        var refused = 0
        var failures = 0
        for iteration in stride(from: shard, to: Self.settings.iterations, by: Self.shards.count) {
            var random = FuzzRandom(seed: Self.settings.seed, iteration: iteration)
            let (bytes, trace) = mutator.input(&random)
            let outcome = YAMLFuzzChecks.run(bytes)
            if outcome.parseError == nil { parsed += 1 } else { refused += 1 }
            guard !outcome.violations.isEmpty else { continue }
            failures += 1
            // A handful of reports says enough; the rest would only bury them.
            if failures <= 3 {
                Issue.record(Comment(rawValue: FuzzFailure.report(
                    suite: "yaml", iteration: iteration, settings: Self.settings, trace: trace,
                    bytes: bytes, violations: outcome.violations)))
            }
        }
        #expect(failures == 0, "\(failures) failing inputs in shard \(shard)")
        // Mutations that only ever broke the input, or never did, would test little.
        let total = parsed + refused
        if total >= 100 {
            #expect(parsed * 5 >= total, "only \(parsed) of \(total) inputs parsed")
            #expect(refused * 10 >= total, "only \(refused) of \(total) inputs were refused")
        }
    }

    /// The generator and the mutator are deterministic, the property every report relies on.
    @Test func runsAreRepeatable() {
        let mutator = YAMLMutator(seeds: Self.seeds)
        for iteration in [0, 1, 977] {
            var first = FuzzRandom(seed: 42, iteration: iteration)
            var second = FuzzRandom(seed: 42, iteration: iteration)
            #expect(mutator.input(&first).bytes == mutator.input(&second).bytes)
        }
        var random = FuzzRandom(seed: 1)
        #expect([random.next(), random.next()] == [0x910A_2DEC_8902_5CC1, 0xBEEB_8DA1_658E_EC67])
    }

    @Test(arguments: YAMLMutator.Mutation.allCases)
    func everyMutationRunsOnEveryKindOfInput(mutation: YAMLMutator.Mutation) {
        let mutator = YAMLMutator(seeds: Self.seeds)
        let inputs: [[UInt8]] = [[], Array("a".utf8), Array("a: b\r\n- c\n".utf8)]
            + Self.seeds.prefix(3).map(\.bytes)
        var random = FuzzRandom(seed: 7)
        for input in inputs {
            var bytes = input
            _ = mutator.mutate(&bytes, with: mutation, random: &random)
            #expect(YAMLFuzzChecks.run(bytes).violations == [],
                    "\(mutation) of \(FuzzFailure.escaped(input, limit: 80))")
        }
    }
}
