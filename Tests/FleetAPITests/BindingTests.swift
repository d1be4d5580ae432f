import Foundation
import Testing
@testable import FleetAPI

/// Bindings share their fields until one changes, and still behave as plain values.
@Suite struct BindingTests {
    static func binding(_ member: String) -> Binding {
        Binding(meta: ObjectMeta(name: Binding.name(placement: "p", member: member)),
                placementName: "p", targetCluster: member, state: .scheduled,
                schedulingPolicySnapshotName: "p-0")
    }

    static func renamed(_ binding: Binding, to member: String) -> Binding {
        var copy = binding
        copy.meta.name = Binding.name(placement: "p", member: member)
        copy.targetCluster = member
        return copy
    }

    @Test func aCopyForAnotherMemberSharesItsFields() {
        let first = Self.binding("m1")
        let second = Self.renamed(first, to: "m2")
        #expect(second.box === first.box)
        #expect(second.meta.name == "p-m2" && second.name == "p-m2")
        #expect(first.meta.name == "p-m1")
        #expect(second != first)
    }

    @Test func changingAFieldChangesOnlyThatBinding() {
        let first = Self.binding("m1")
        var second = Self.renamed(first, to: "m2")
        second.state = .bound
        second.meta.generation += 1
        #expect(second.box !== first.box)
        #expect(first.state == .scheduled && first.meta.generation == 1)
        #expect(second.state == .bound && second.meta.generation == 2)
    }

    @Test func equalityComparesFieldsNotBoxes() {
        var first = Self.binding("m1")
        var second = Self.binding("m1")
        #expect(first.box !== second.box)
        #expect(first == second && first.hashValue == second.hashValue)
        first.resourceSnapshotName = "p-1-snapshot"
        #expect(first != second)
        second.resourceSnapshotName = "p-1-snapshot"
        #expect(first == second)
    }

    @Test func alikeBindingsChangedOneByOneShareAgain() {
        var bindings = ["m1", "m2", "m3"].map(Self.binding)
        for index in bindings.indices where index < 2 {
            bindings[index].state = .bound
        }
        #expect(bindings[0].box !== bindings[1].box)
        let before = bindings
        Binding.shareAlike(&bindings, at: Array(bindings.indices))
        #expect(bindings == before)
        #expect(bindings[0].box === bindings[1].box)
        #expect(bindings[2].box !== bindings[0].box)
    }
}
