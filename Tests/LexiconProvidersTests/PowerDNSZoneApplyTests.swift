import Lexicon
import LexiconTesting
import Testing

@testable import LexiconProviders

/// A zone file with a set of every common type, for the zone-level tests of the servers.
func wholeZoneSample(_ zone: String) -> String {
    """
    $ORIGIN \(zone).
    $TTL 3600
    @ IN SOA ns1.\(zone). hostmaster.\(zone). 2026010100 7200 3600 1209600 300
      IN NS ns1
      IN MX 10 mail
      IN TXT "v=spf1 mx -all"
      IN CAA 0 issue "letsencrypt.org"
    ns1 300 IN A 127.0.0.1
    mail IN A 192.0.2.25
    www 300 IN A 192.0.2.80
        300 IN A 192.0.2.81
        IN AAAA 2001:db8::80
    docs IN CNAME www
    txt IN TXT "hello \\"world\\"" "second; part"
    _sip._tcp IN SRV 10 5 5060 mail

    """
}

/// A records `h1`, `h2`, … in a zone, each its own set (addresses wrap at 250), for the batch tests.
func sampleHosts(_ range: ClosedRange<Int>, in zone: String, ttl: Int = 300) -> [Record] {
    range.map { Record(type: .a, name: "h\($0).\(zone)", ttl: ttl, content: "192.0.2.\($0 % 250)") }
}

/// Zones as a whole against the real PowerDNS of the testbed: the plan written in one PATCH.
@Suite("powerdns zone apply")
struct PowerDNSZoneApplyTests {
    static let source = wholeZoneSample("move.test")

    /// The records a plan manages: without the SOA and the apex NS, which each server keeps its own.
    static func managed(_ snapshot: ZoneSnapshot) -> [ZoneRecordSet] {
        snapshot.sets.filter { !PlanOptions().leavesAlone($0.key, zone: snapshot.zone) }
    }

    @Test func localzoneExportAppliedToPowerDNSExportsTheSameAndASecondApplyPlansNothing() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("move.test")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("move.zone", Self.source)
        let local = try makeLocalZoneClient(directory, domain: "move.test", file: "move.zone")
        let exported = try await local.snapshot()
        let client = try powerDNSClient(server, domain: "move.test")
        let plan = try await client.plan(desired: exported, options: PlanOptions(prune: true))
        #expect(plan.summary == "9 to create, 0 to update, 0 to delete", "\(plan.text)")
        let result = try await client.apply(plan)
        #expect(result.isComplete, "\(result.summary)")
        #expect(Self.managed(try await client.snapshot()) == Self.managed(exported))
        #expect(try await client.plan(desired: exported, options: PlanOptions(prune: true)).isEmpty)
        #expect(await dig(server, "www.move.test", "A") == ["192.0.2.80", "192.0.2.81"] || Testbed.tool("dig") == nil)
    }

    @Test func thresholdRefusesAPlanDeletingMostOfTheZoneAndPlanChangesNothing() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("many.test")
        let client = try powerDNSClient(server, domain: "many.test")
        let hosts = (1...20).map { Record(type: .a, name: "h\($0).many.test", ttl: 300, content: "192.0.2.\($0)") }
        let full = ZoneSnapshot(zone: "many.test", records: hosts)
        #expect(try await client.apply(try await client.plan(desired: full)).isComplete)
        let before = try await client.snapshot()
        let small = ZoneSnapshot(zone: "many.test", records: Array(hosts.prefix(2)))
        let plan = try await client.plan(desired: small, options: PlanOptions(prune: true))
        #expect(plan.count(.delete) == 19)
        await #expect(throws: LexiconError.self) { try await client.apply(plan) }
        #expect(try await client.snapshot() == before)
    }
}
