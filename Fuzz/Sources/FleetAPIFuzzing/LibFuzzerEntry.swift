#if GITFLEET_LIBFUZZER
import Foundation
import FleetYAMLFuzzing

/// Which checks each libFuzzer input gets: `GITFLEET_FUZZ_TARGET=yaml` runs only the YAML
/// layer's, which is several times faster; anything else runs the decoder's as well.
private let yamlOnly = ProcessInfo.processInfo.environment["GITFLEET_FUZZ_TARGET"] == "yaml"

/// libFuzzer's entry point, built only by Fuzz/run-libfuzzer (which defines
/// GITFLEET_LIBFUZZER): a broken invariant is a crash, so libFuzzer saves and minimises the
/// input exactly as it does for a real crash. Public because libFuzzer finds it by its C name.
@_cdecl("LLVMFuzzerTestOneInput")
public func gitfleetFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let violations = yamlOnly ? YAMLFuzzChecks.run(bytes).violations
        : DecoderFuzzChecks.run(bytes).violations
    if !violations.isEmpty {
        FileHandle.standardError.write(Data(("gitfleet fuzz invariant broken:\n"
            + violations.joined(separator: "\n") + "\n").utf8))
        abort()
    }
    return 0
}
#endif
