import Lexicon
import LexiconTesting
import Testing

/// Every type the contract writes, in the form its content check gives, is taken by a real PowerDNS and lists back
/// the same.
@Suite("powerdns writes every checked type")
struct PowerDNSTypesTests {
    @Test func everyWritableTypeRoundTrips() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("types.example")
        let client = try powerDNSClient(server, domain: "types.example")
        for (mnemonic, content) in RecordTypeSamples.checkedTypes {
            let type = RecordType(rawValue: mnemonic)
            // PowerDNS takes DNSKEY records only at the apex.
            let name = type.rawValue.hasSuffix("DNSKEY") ? "@" : "t-" + type.rawValue.lowercased()
            do {
                try await client.createRecord(type: type, name: name, content: content)
                let listed = try await client.listRecords(type: type, name: name)
                let expected = try RecordContent.normalize(type: type, content: content).content
                #expect(listed.map(\.content).contains(expected), "\(type): \(listed.map(\.content))")
            } catch {
                Issue.record("\(type) \(content): \(error)")
            }
        }
    }
}
