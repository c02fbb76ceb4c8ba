import DNSWire
import Lexicon
import LexiconTesting
import Testing

/// A type without a name travels as RFC 3597 data in an UPDATE; one DNSWire cannot write in its own syntax is
/// refused before any query.
@Suite("rfc2136 with types beyond the common ones")
struct RFC2136GenericTypeTests {
    /// (BIND keeps TYPE65534 for its own signing state and drops updates of it, so another number is used.)
    @Test func genericDataReachesBINDAndLOCIsRefusedFirst() async throws {
        guard let bind = try await startBIND(["generic.example"]) else { return }
        defer { bind.stop() }
        let client = try rfc2136Client(
            domain: "generic.example", server: bind.address, options: ["auth_token": .value(bind.keyToken)])
        try await client.createRecord(type: "TYPE65400", name: "g", content: "\\# 2 ABCD")
        let answered = try await served(bind.address, "g.generic.example", DNSType(rawValue: 65_400))
        #expect(answered == ["\\# 2 abcd"], "\(answered)")
        let listed = try await client.listRecords(type: "TYPE65400")
        #expect(listed.map(\.content) == ["\\# 2 abcd"], "\(listed)")
        try await client.deleteRecord(type: "TYPE65400", name: "g", content: "\\# 2 abcd")
        #expect(try await served(bind.address, "g.generic.example", DNSType(rawValue: 65_400)) == [])
        await expectStatus(2, containing: "cannot create LOC records") {
            try await client.createRecord(type: .loc, name: "l", content: "52 N 4 E 0m")
        }
        // BIND answers NOERROR to an update of TYPE65534 and drops it: the read-back makes that a failure.
        await expectStatus(1, containing: "the server did not add the TYPE65534 value at k.generic.example") {
            try await client.createRecord(type: "TYPE65534", name: "k", content: "\\# 2 ABCD")
        }
    }
}
