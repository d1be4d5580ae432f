import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on the cache folder, so one machine runs one tick at a time per
/// repository (cron overlapping a git hook, say). The kernel drops it when the process dies,
/// so a killed tick never leaves a stale lock behind.
package final class CacheLock {
    private var descriptor: Int32

    package init(directory: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/lock"
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CacheLockError(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw CacheLockError(path: path, reason: reason)
        }
    }

    /// Releases the lock; safe to call more than once.
    package func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

package struct CacheLockError: Error, CustomStringConvertible {
    package var path: String
    package var reason: String

    package var description: String { "cannot lock '\(path)': \(reason)" }
}
