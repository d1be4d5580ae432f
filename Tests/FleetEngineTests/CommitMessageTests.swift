@testable import FleetEngine
import Testing

/// gitfleet's commit messages: which ones mark its own commits (a line that starts with the
/// trailer, wherever it stands, and nothing else), and how long their event lists get.
@Suite("commit messages")
struct CommitMessageTests {
    @Test("a line starting with the trailer marks an own commit", arguments: [
        ("Gitfleet-Tick: yes", true),
        ("Sync fleet\n\nsnapshot p0001-3\n\nGitfleet-Tick: yes", true),
        ("Sync fleet\r\n\r\nGitfleet-Tick: yes\r\n", true),
        ("Sync fleet\nGitfleet-Tick:", true),
        ("Sync fleet\nGitfleet-Tick: yes\nSigned-off-by: someone", true),
        ("", false),
        ("Gitfleet-Tick", false),
        ("Sync fleet\n", false),
        ("Sync fleet\nGitfleet-Tick yes", false),
        ("Sync fleet\n Gitfleet-Tick: yes", false),
        ("Mention Gitfleet-Tick: in a sentence", false),
        ("gitfleet-tick: yes", false),
    ])
    func trailer(message: String, own: Bool) {
        #expect(CommitInput.carriesOwnTrailer(message) == own)
    }

    @Test("the trailer is found after thousands of event lines")
    func longMessage() {
        let events = (0..<5_000).map { "snapshot p\($0)-1 created" }
        let message = "Sync fleet\n\n" + events.joined(separator: "\n")
        #expect(!CommitInput.carriesOwnTrailer(message))
        #expect(CommitInput.carriesOwnTrailer(message + "\n\nGitfleet-Tick: yes"))
    }

    @Test("routine events past the limit are counted; failures and refusals are all listed")
    func eventLimit() {
        let updates = (0..<250).map { "ClusterStagedUpdateRun/run: member 'm\($0)' updated" }
        let failure = "ClusterStagedUpdateRun/other: member 'x' failed: it left the fleet"
        let refusal = "refused edit of 'deploy/m1/a.yaml': restored gitfleet's version"
        let message = CommitMessage.compose(
            events: updates + [failure, refusal], rollouts: [], held: [])
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        let listed = lines.filter { $0.hasPrefix("- ") }
        #expect(listed.count == CommitMessage.maxRoutineEvents + 3)
        #expect(listed.contains { $0 == "- " + failure })
        #expect(listed.contains { $0 == "- " + refusal })
        #expect(!listed.contains { $0.contains("'m200'") })
        #expect(listed.last == "- and 50 more routine events, each logged by `gitfleet sync -v`")
        #expect(CommitInput.carriesOwnTrailer(message))
    }

    @Test("a short list is written whole, with no count line")
    func shortList() {
        let events = ["ClusterStagedUpdateRun/run: member 'm1' updated",
                      "ClusterStagedUpdateRun/run: succeeded"]
        let message = CommitMessage.compose(events: events, rollouts: [], held: [])
        #expect(message.contains("- " + events[0] + "\n- " + events[1] + "\n\nGitfleet-Tick: yes"))
        #expect(!message.contains("more routine events"))
    }

    @Test("scheduling events name members in one line per placement", arguments: [
        (["m1"], "m1"),
        (["m1", "m2", "m3"], "m1, m2 and m3"),
        ((1...10).map { "m\($0)" }, "m1, m2, m3, m4, m5, m6, m7, m8, m9 and m10"),
        ((1...12).map { "m\($0)" }, "m1, m2, m3, m4, m5, m6, m7, m8, m9, m10 and 2 more members"),
    ])
    func memberList(members: [String], expected: String) {
        #expect(TickPlanner.memberList(members) == expected)
    }
}
