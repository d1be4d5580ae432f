import Testing
import FleetGit

@Suite struct ObjectIDTests {
    @Test func hexRoundTripsAndShortens() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = try #require(ObjectID(hex: hex))
        #expect(id.sha == hex)
        #expect(id.description == hex)
        #expect(id.short == "0123456789ab")
        #expect(ObjectID(hex: hex.uppercased()) == id)
    }

    @Test(arguments: [
        "", "abc", "0123456789abcdef0123456789abcdef0123456",
        "0123456789abcdef0123456789abcdef012345678", "g123456789abcdef0123456789abcdef01234567",
        " 123456789abcdef0123456789abcdef01234567",
    ])
    func malformedHexIsRejected(_ text: String) {
        #expect(ObjectID(hex: text) == nil)
    }

    @Test func orderFollowsHex() throws {
        let texts = [
            "ff00000000000000000000000000000000000000", "0000000000000000000000000000000000000001",
            "00000000000000010000000000000000000000ff", "0000000000000000000000000000000000000100",
        ]
        let ids = try texts.map { try #require(ObjectID(hex: $0)) }
        #expect(ids.sorted().map(\.sha) == texts.sorted())
        #expect(Set(ids).count == 4)
    }
}
