import DNSWire
import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

/// A server of the testbed with a key that may update its zone but not transfer it (BIND `update-policy` without
/// `allow-transfer`, PowerDNS TSIG-ALLOW-DNSUPDATE without TSIG-ALLOW-AXFR): the usual key for ACME challenges.
struct UpdateOnlyServer: Sendable {
    var address: DNSServerAddress
    var token: String
    /// Zone transfers asked of the server so far, where the server's log tells (BIND).
    var transfers: @Sendable () -> Int?
    var stop: @Sendable () -> Void

    static func start(_ kind: String, zone: String) async throws -> UpdateOnlyServer? {
        if kind == "bind" {
            guard let bind = try await startBIND([zone]) else { return nil }
            return UpdateOnlyServer(
                address: bind.address, token: bind.updateOnlyKeyToken, transfers: { bind.transfersRequested },
                stop: bind.stop)
        }
        guard let pdns = try await startPowerDNS() else { return nil }
        do {
            try await pdns.createZone(zone, dnsUpdate: true)
        } catch {
            pdns.stop()
            throw error
        }
        return UpdateOnlyServer(
            address: DNSServerAddress(host: "127.0.0.1", port: pdns.dnsPort), token: pdns.updateOnlyKeyToken,
            transfers: { nil }, stop: pdns.stop)
    }
}

@Suite("rfc2136 with a key that may update but not transfer")
struct RFC2136UpdateOnlyKeyTests {
    @Test(arguments: ["bind", "powerdns"])
    func everyOperationOnANameWorksWithoutATransfer(_ kind: String) async throws {
        let zone = "acme-\(kind).example"
        guard let server = try await UpdateOnlyServer.start(kind, zone: zone) else { return }
        defer { server.stop() }
        let client = try rfc2136Client(
            domain: zone, server: server.address, options: ["auth_token": .value(server.token)])
        let challenge = "_acme-challenge.\(zone)"

        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token-1")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token-2")
        try await client.createRecord(type: .a, name: "host", content: "192.0.2.1")
        try await client.createRecord(type: .txt, name: "host", content: "beside the address")
        try await client.createRecord(type: .cname, name: "alias", content: "host.\(zone)")

        // list --name, with and without a type; a CNAME's target records are not the alias's.
        #expect(
            try await client.listRecords(type: .txt, name: "_acme-challenge").map(\.content).sorted() == [
                "token-1", "token-2",
            ])
        #expect(
            try await client.listRecords(name: "host").map { "\($0.type) \($0.content)" }.sorted() == [
                "A 192.0.2.1", "TXT beside the address",
            ])
        #expect(try await client.listRecords(type: .txt, name: "alias").isEmpty)
        #expect(
            try await client.listRecords(name: "alias").map { "\($0.type) \($0.content)" } == ["CNAME host.\(zone)"])
        #expect(try await client.listRecords(name: "nothing-here").isEmpty)

        // update by name: one message, read from a query of the name.
        try await client.updateRecord(type: .a, name: "host", content: "192.0.2.9")
        #expect(try await served(server.address, "host.\(zone)", .a) == ["192.0.2.9"])

        // The ACME cleanup: delete one value by content; then a whole set; then every set of a name.
        try await client.deleteRecord(type: .txt, name: "_acme-challenge", content: "token-1")
        #expect(try await served(server.address, challenge, .txt) == ["\"token-2\""])
        try await client.deleteRecord(type: .txt, name: "_acme-challenge")
        #expect(try await served(server.address, challenge, .txt).isEmpty)
        try await client.deleteRecord(name: "host")
        #expect(try await served(server.address, "host.\(zone)", .a).isEmpty)
        #expect(try await served(server.address, "host.\(zone)", .txt).isEmpty)
        // An id together with the name is found by a query of the name.
        let id = try await client.listRecords(type: .cname, name: "alias")[0].id
        try await client.deleteRecord(identifier: id, name: "alias")
        #expect(try await client.listRecords(name: "alias").isEmpty)
        if let transfers = server.transfers() { #expect(transfers == 0, "no operation on a name transfers the zone") }

        // The whole zone needs a transfer, which this key may not do: one line that says so and what to pass.
        await expectStatus(3, containing: "may update but not transfer the zone; pass --name") {
            _ = try await client.listRecords()
        }
        await expectStatus(3, containing: "find a record by its id alone") {
            try await client.deleteRecord(identifier: "0123456789abcdef")
        }
        if let transfers = server.transfers() { #expect(transfers == 2) }
    }

    @Test(arguments: ["bind", "powerdns"])
    func concurrentUpdatesOfOneSetBothLand(_ kind: String) async throws {
        let zone = "race-\(kind).example"
        guard let server = try await UpdateOnlyServer.start(kind, zone: zone) else { return }
        defer { server.stop() }
        let options: [String: ConfigValue] = ["auth_token": .value(server.token)]
        let setup = try rfc2136Client(domain: zone, server: server.address, options: options)
        for value in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"] {
            try await setup.createRecord(type: .a, name: "pool", content: value)
        }
        let records = try await setup.listRecords(type: .a, name: "pool")
        // Each update reads the set, then requires it unchanged: the losers of a race get NXRRSET, read again and
        // retry, so every change lands and none is lost.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for record in records {
                group.addTask {
                    let client = try rfc2136Client(domain: zone, server: server.address, options: options)
                    let last = record.content.split(separator: ".").last!
                    try await client.updateRecord(
                        identifier: record.id, type: .a, name: "pool", content: "198.51.100.\(last)")
                }
            }
            try await group.waitForAll()
        }
        #expect(
            try await served(server.address, "pool.\(zone)", .a) == [
                "198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4",
            ])
        if let transfers = server.transfers() { #expect(transfers == 0) }
    }
}
