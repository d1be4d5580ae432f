import Foundation

/// One seed file of the fuzz corpus.
package struct FuzzSeed: Sendable {
    package var name: String
    package var bytes: [UInt8]

    package init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// The seed files kept in the repository under `Fuzz/corpus/yaml`.
package enum FuzzCorpus {
    /// The corpus folder, found by walking up from `file` (a test passes its `#filePath`), so
    /// tests read the checked-out corpus without copying it into a bundle.
    package static func directory(near file: String = #filePath) -> String? {
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Fuzz/corpus/yaml")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
               isDirectory.boolValue {
                return candidate.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// Every regular file in `directory`, sorted by name so runs are repeatable.
    package static func seeds(in directory: String) throws -> [FuzzSeed] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { !$0.hasPrefix(".") }
            .sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: directory)
                .appendingPathComponent(name))
            return FuzzSeed(name: name, bytes: Array(data))
        }
    }
}

/// How long a fuzz run is and where it starts, from the environment when set there:
/// `GITFLEET_FUZZ_ITERATIONS` (a count) and `GITFLEET_FUZZ_SEED` (decimal or `0x` hex).
package struct FuzzSettings: Sendable, CustomStringConvertible {
    package var iterations: Int
    package var seed: UInt64

    /// The seed CI uses; any fixed value works, this one only has to stay put.
    package static let defaultSeed: UInt64 = 0x6769_7466_6C65_6574

    package init(iterations: Int, seed: UInt64 = defaultSeed) {
        self.iterations = iterations
        self.seed = seed
    }

    package static func fromEnvironment(defaultIterations: Int) -> FuzzSettings {
        let environment = ProcessInfo.processInfo.environment
        var settings = FuzzSettings(iterations: defaultIterations)
        if let text = environment["GITFLEET_FUZZ_ITERATIONS"], let count = Int(text), count >= 0 {
            settings.iterations = count
        }
        if let text = environment["GITFLEET_FUZZ_SEED"] {
            let value = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            if let value { settings.seed = value }
        }
        return settings
    }

    package var description: String {
        "GITFLEET_FUZZ_ITERATIONS=\(iterations) GITFLEET_FUZZ_SEED=0x"
            + String(seed, radix: 16)
    }
}
