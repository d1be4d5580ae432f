import FleetAPI
import FleetRollout
import Testing

@Suite("spec changes")
struct SpecChangeTests {
    static func spec(
        _ state: UpdateRunState, placement: String = "app", index: String? = "1",
        strategy: String = "strategy"
    ) -> UpdateRunSpec {
        UpdateRunSpec(
            placementName: placement, resourceSnapshotIndex: index,
            stagedRolloutStrategyName: strategy, state: state)
    }

    @Test("edge 26: state transitions", arguments: [
        (UpdateRunState.initialize, UpdateRunState.stop,
         "invalid state transition: cannot transition from Initialize to Stop"),
        (.run, .initialize, "invalid state transition: cannot transition from Run to Initialize"),
        (.stop, .initialize, "invalid state transition: cannot transition from Stop to Initialize"),
        (.initialize, .run, nil), (.run, .stop, nil), (.stop, .run, nil), (.run, .run, nil),
        (.initialize, .initialize, nil), (.stop, .stop, nil),
    ] as [(UpdateRunState, UpdateRunState, String?)])
    func stateTransitions(old: UpdateRunState, new: UpdateRunState, message: String?) {
        #expect(UpdateRunSpecChange.validate(old: Self.spec(old), new: Self.spec(new)) == message)
    }

    @Test("edge 26: immutable fields", arguments: [
        (spec(.run, placement: "other"), "placementName is immutable"),
        (spec(.run, index: "2"), "resourceSnapshotIndex is immutable"),
        (spec(.run, index: nil), nil),
        (spec(.run, strategy: "other"), "stagedRolloutStrategyName is immutable"),
    ] as [(UpdateRunSpec, String?)])
    func immutableFields(new: UpdateRunSpec, message: String?) {
        #expect(UpdateRunSpecChange.validate(old: Self.spec(.run), new: new) == message)
    }

    @Test("an index may be added where none was given")
    func indexAdded() {
        #expect(UpdateRunSpecChange.validate(
            old: Self.spec(.run, index: nil), new: Self.spec(.run, index: "3")) == nil)
    }
}
