import Foundation
import Lexicon
import LexiconTesting
import Testing

/// localzone's native batch: a whole plan is one locked, atomic write of the zone file with one serial raise, and a
/// plan any single edit would refuse leaves the file as it was.
@Suite("localzone batch")
struct LocalZoneBatchTests {
    /// The sample zone with a plain serial (42), so one write shows as 43.
    static let zone = sampleZone.replacingOccurrences(of: "2020010100 ; serial", with: "42 ; serial")

    /// The file's SOA serial.
    func serial(_ client: Client) async throws -> String? {
        try await client.listRecords(type: .soa).first?.content.split(separator: " ").dropFirst(2).first.map(
            String.init)
    }

    /// The zone as it is with many hosts added and two sets changed.
    func desired(_ client: Client, hosts: Int) async throws -> ZoneSnapshot {
        var records = try await client.listRecords().filter { $0.name != "www.example.com" }
        records += (1...hosts).map {
            Record(type: .a, name: "h\($0).example.com", ttl: 600, content: "192.0.2.\($0 % 250 + 1)")
        }
        records += [
            Record(type: .a, name: "www.example.com", ttl: 900, content: "192.0.2.80"),
            Record(type: .a, name: "www.example.com", ttl: 900, content: "192.0.2.81"),
            Record(type: .txt, name: "many.example.com", ttl: 60, content: "one"),
            Record(type: .txt, name: "many.example.com", ttl: 60, content: "two"),
        ]
        return ZoneSnapshot(zone: "example.com", records: records)
    }

    @Test func aPlanOfManySetsIsOneWriteAndASecondPlanIsEmpty() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", Self.zone)
        let client = try makeLocalZoneClient(directory)
        let desired = try await desired(client, hosts: 500)
        let plan = try await client.plan(desired: desired, options: PlanOptions(prune: true))
        #expect(plan.summary == "501 to create, 1 to update, 1 to delete")
        let result = try await client.apply(plan)
        #expect(result.isComplete, "\(result.summary)")
        // Every write raises the serial by one: 43 is one write for the whole plan.
        #expect(try await serial(client) == "43")
        #expect(try await client.plan(desired: desired, options: PlanOptions(prune: true)).isEmpty)
        let www = try await client.listRecords(type: .a, name: "www")
        #expect(Set(www.map(\.content)) == ["192.0.2.80", "192.0.2.81"] && www.allSatisfy { $0.ttl == 900 })
        #expect(try await client.listRecords(type: .aaaa).isEmpty)
        await expectValidZone(directory.file("zone.db"))
    }

    /// Plans that a single edit would refuse, each among many good changes: nothing of them is written.
    @Test(arguments: [
        // A CNAME beside the A and AAAA that stay (no prune).
        ("cname", Self.zone),
        // A value a $GENERATE makes, whose set the plan changes.
        ("generated", Self.zone + "$ORIGIN example.com.\n$GENERATE 1-3 gen$ A 192.0.2.$\n"),
        // A file BIND refuses to load (a CNAME beside other data) is not edited at all.
        ("unloadable", Self.zone + "$ORIGIN example.com.\nwww CNAME other.example.net.\n"),
    ])
    func aRefusedPlanLeavesTheFileByteIdentical(_ name: String, file: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", file)
        let client = try makeLocalZoneClient(directory)
        var records = try await client.listRecords()
        records += (1...50).map { Record(type: .a, name: "h\($0).example.com", ttl: 600, content: "192.0.2.\($0)") }
        switch name {
        case "cname": records.append(Record(type: .cname, name: "www.example.com", ttl: 300, content: "example.net"))
        case "generated": records.append(Record(type: .a, name: "gen2.example.com", ttl: 60, content: "192.0.2.2"))
        default: break
        }
        let plan = try await client.plan(desired: ZoneSnapshot(zone: "example.com", records: records))
        let result = try await client.apply(plan)
        #expect(!result.isComplete)
        #expect(result.applied.isEmpty)
        #expect(try directory.read("zone.db") == file)
    }

    @Test func aSetChangedSinceThePlanIsRefusedAndARePlanConverges() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", Self.zone)
        let client = try makeLocalZoneClient(directory)
        let desired = try await desired(client, hosts: 20)
        let plan = try await client.plan(desired: desired)
        // Another writer adds a value to www after the plan read it.
        _ = try await client.createRecord(type: .a, name: "www", content: "192.0.2.99")
        let before = try directory.read("zone.db")
        let result = try await client.apply(plan)
        #expect(result.firstError?.code == .conflict)
        #expect(result.applied.isEmpty)
        #expect(try directory.read("zone.db") == before)
        let again = try await client.apply(try await client.plan(desired: desired))
        #expect(again.isComplete, "\(again.summary)")
        #expect(try await client.plan(desired: desired).isEmpty)
    }
}
