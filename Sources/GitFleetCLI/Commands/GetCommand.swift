import Foundation
import FleetAPI
import FleetYAML

/// The text one command produces, split by stream, and its exit status.
package struct CommandOutput: Equatable, Sendable {
    package var stdout: String
    package var stderr: String
    package var exitCode: Int32

    package init(stdout: String = "", stderr: String = "", exitCode: Int32 = ExitStatus.success) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}

/// A `get` for one object that does not exist (exit 1).
package struct ObjectNotFound: CategorizedError, Equatable {
    package var kind: FleetKind
    package var name: String
    /// The namespace searched, for namespaced kinds.
    package var namespace: String?
    /// An existing name close to the one asked for.
    package var suggestion: String?

    package var category: ErrorCategory { .input }

    package var userMessage: String {
        "no \(kind.rawValue) named '\(name)'"
            + (namespace.map { " in namespace '\($0)'" } ?? "")
            + (suggestion.map { ", did you mean '\($0)'?" } ?? "")
    }
}

/// `gitfleet get`: selects objects from a loaded state and formats them.
package enum GetCommand {
    /// The output of `get` for `options` over `state`, with AGE counted from `now`.
    ///
    /// Tables with no rows print kubectl's "No resources found" note on standard error and
    /// succeed; `-o yaml` and `-o json` print an empty `List` instead, as kubectl does.
    package static func render(
        _ options: GetOptions, state: FleetState, now: Date, serializer: any ObjectSerializer
    ) throws -> CommandOutput {
        let namespace = options.namespace ?? GetOptions.defaultNamespace
        let filter: NamespaceFilter = options.allNamespaces ? .all : .only(namespace)
        var items = state.items(of: options.kind, in: filter)
        let namespaced = options.kind.scope == .namespaced
        if let name = options.name {
            guard let item = items.first(where: { $0.meta.name == name }) else {
                throw ObjectNotFound(
                    kind: options.kind, name: name, namespace: namespaced ? namespace : nil,
                    suggestion: Suggestion.nearest(to: name, in: items.map(\.meta.name)))
            }
            items = [item]
        }
        switch options.output {
        case .table, .wide:
            guard !items.isEmpty else {
                let place = namespaced && !options.allNamespaces
                    ? " in namespace '\(namespace)'" : ""
                return CommandOutput(stderr: "No resources found\(place)\n")
            }
            let table = PrinterColumns.table(
                for: items, kind: options.kind, wide: options.output == .wide,
                showNamespace: options.allNamespaces, now: now)
            var text = table.rendered()
            // One placement, wide: also say which snapshot each member runs.
            if options.name != nil, options.output == .wide,
               case let .placement(_, status?)? = items.first, !status.bindings.isEmpty {
                text += "\n" + PlacementMembers.table(
                    status, snapshots: state.resourceSnapshots).rendered()
            }
            return CommandOutput(stdout: text)
        case .yaml, .json:
            let nodes = try items.map { try serializer.node(for: $0) }
            let document = options.name == nil ? YAMLNode.kubectlList(nodes) : nodes[0]
            let text = options.output == .json
                ? JSONPrinter.render(document) : try serializer.yamlText(for: document)
            return CommandOutput(stdout: text)
        }
    }
}
