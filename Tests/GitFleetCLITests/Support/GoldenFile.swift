import Foundation
import Testing

/// Golden files live in Tests/GitFleetCLITests/Golden/ and are compared byte for byte.
///
/// To regenerate them after an intended change, run
/// `GITFLEET_UPDATE_GOLDEN=1 swift test --filter GitFleetCLITests`: each golden test then
/// writes what it got into the source folder instead of comparing. Review the diff, commit.
enum GoldenFile {
    static let isUpdating = ProcessInfo.processInfo.environment["GITFLEET_UPDATE_GOLDEN"] == "1"

    /// The Golden folder in the source tree, where updates are written.
    static let sourceFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// Checks `got` against the golden file `name`, or rewrites it when updating.
    static func check(
        _ got: String, against name: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        if isUpdating {
            try FileManager.default.createDirectory(
                at: sourceFolder, withIntermediateDirectories: true)
            try got.write(to: sourceFolder.appendingPathComponent(name), atomically: true,
                          encoding: .utf8)
            return
        }
        guard let folder = Bundle.module.url(forResource: "Golden", withExtension: nil) else {
            Issue.record("the Golden resource folder is missing", sourceLocation: sourceLocation)
            return
        }
        let url = folder.appendingPathComponent(name)
        guard let want = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no golden file '\(name)'; run with GITFLEET_UPDATE_GOLDEN=1 to create it",
                         sourceLocation: sourceLocation)
            return
        }
        #expect(got == want, "differs from Golden/\(name)", sourceLocation: sourceLocation)
    }
}
