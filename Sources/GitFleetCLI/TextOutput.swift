import Foundation
import Synchronization

/// Where text goes: standard output, standard error, or a buffer in tests.
package protocol TextOutput: Sendable {
    /// Writes `text` as is; callers include the newlines.
    func write(_ text: String)
}

/// The process's standard output.
package struct StandardOutput: TextOutput {
    package init() {}

    package func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// The process's standard error.
package struct StandardError: TextOutput {
    package init() {}

    package func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Collects text in memory.
package final class TextBuffer: TextOutput {
    private let storage = Mutex("")

    package init() {}

    package func write(_ text: String) {
        storage.withLock { $0 += text }
    }

    /// Everything written so far.
    package var text: String { storage.withLock { $0 } }
}
