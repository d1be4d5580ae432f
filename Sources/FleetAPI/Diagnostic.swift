import FleetYAML

/// A problem with the user's input, pointing at the file and line (or the object) concerned.
///
/// Renders as `file:line: message`, the form `gitfleet validate` prints and editors understand.
package struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    package var location: SourceLocation?
    /// The object concerned, as `Kind/name` or `Kind/namespace/name`, when there is one.
    package var object: String?
    package var message: String

    package init(_ message: String, at location: SourceLocation? = nil, object: String? = nil) {
        self.message = message
        self.location = location
        self.object = object
    }

    package var description: String {
        var prefix = ""
        if let location { prefix = "\(location): " }
        if let object { prefix += "\(object): " }
        return prefix + message
    }
}
