import Lexicon
import LexiconTesting
import Testing

@Suite("localzone apply")
struct LocalZoneApplyTests {
    static let desired = ZoneSnapshot(
        zone: "example.com",
        records: [
            Record(type: .a, name: "www.example.com", ttl: 300, content: "192.0.2.80"),
            Record(type: .a, name: "www.example.com", ttl: 300, content: "192.0.2.81"),
            Record(type: .mx, name: "example.com", ttl: 3600, content: "mail.example.com", priority: 10),
            Record(type: .txt, name: "txt.example.com", ttl: 3600, content: "changed; \"quoted\""),
            Record(type: .caa, name: "example.com", ttl: 3600, content: "0 issue \"letsencrypt.org\""),
            Record(type: .ns, name: "example.com", ttl: 3600, content: "ns9.example.net"),
            Record(type: .a, name: "ns1.example.com", ttl: 3600, content: "192.0.2.53"),
            Record(type: .a, name: "ns2.example.com", ttl: 3600, content: "192.0.2.54"),
        ])

    @Test func applyWritesTheFileAndASecondPlanIsEmpty() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone)
        let client = try makeLocalZoneClient(directory)
        let options = PlanOptions(prune: true)
        let plan = try await client.plan(desired: Self.desired, options: options)
        // The apex NS is not the file's to change unless asked; the SOA never.
        #expect(!plan.changes.contains { $0.key.type == .ns || $0.key.type == .soa })
        #expect(plan.summary == "2 to create, 2 to update, 2 to delete")
        let result = try await client.apply(plan)
        #expect(result.isComplete, "\(result.summary)")
        #expect(try await client.plan(desired: Self.desired, options: options).isEmpty)
        let records = try await client.listRecords()
        #expect(records.contains { $0.type == .soa })
        #expect(records.filter { $0.type == .ns }.map(\.content) == ["ns1.example.com", "ns2.example.com"])
        #expect(!records.contains { $0.name == "deep.sub.example.com" })
        await expectValidZone(directory.file("zone.db"))
    }

    @Test func planChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone)
        let client = try makeLocalZoneClient(directory)
        let plan = try await client.plan(desired: Self.desired, options: PlanOptions(prune: true, manageApexNS: true))
        #expect(plan.changes.contains { $0.key.type == .ns })
        #expect(try directory.read("zone.db") == sampleZone)
    }
}
