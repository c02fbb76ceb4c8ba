import Foundation
import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

@testable import LexiconProviders

/// Passes requests on to the server, and kills it (SIGKILL, as a crash would) once a number of PATCHes have been
/// answered: every request after that finds no server.
final class KillAfterWrites: HTTPTransport, @unchecked Sendable {
    let inner = CurlTransport(configuration: .init(connectTimeout: 2, totalTimeout: 30, retry: .none))
    let server: PowerDNSServer
    let limit: Int
    let lock = NSLock()
    var writes = 0

    /// - Parameter limit: The PATCHes let through; 0 kills the server before the first.
    init(_ server: PowerDNSServer, after limit: Int) {
        self.server = server
        self.limit = limit
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let isWrite = request.method == "PATCH"
        if isWrite, lock.withLock({ writes }) == limit { server.kill() }
        let response = try await inner.send(request)
        if isWrite { lock.withLock { writes += 1 } }
        return response
    }
}

/// PowerDNS without its native batch: ``Client/apply(_:)`` takes the path of the providers that write set by set
/// (the five operations, one change after another), each value a PATCH of its own.
actor PowerDNSSetBySet: Provider {
    static let descriptor = PowerDNSProvider.descriptor
    let inner: PowerDNSProvider

    init(_ inner: PowerDNSProvider) { self.inner = inner }

    func authenticate() async throws { try await inner.authenticate() }
    func createRecord(_ record: RecordInput) async throws -> Bool { try await inner.createRecord(record) }
    func listRecords(_ filter: RecordFilter) async throws -> [Record] { try await inner.listRecords(filter) }
    func updateRecord(identifier: String?, _ record: RecordInput) async throws -> Bool {
        try await inner.updateRecord(identifier: identifier, record)
    }
    func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        try await inner.deleteRecord(identifier: identifier, filter)
    }
}

/// An apply interrupted by the server dying, against the real PowerDNS of the testbed: the result says what was
/// applied and what was not, and after a restart on the same data the same apply finishes the job.
@Suite("powerdns apply interrupted by a crash")
struct PowerDNSInterruptedApplyTests {
    /// A client of the testbed's server whose provider is made by `factory` (with a transport that kills it).
    static func client(
        _ server: PowerDNSServer, domain: String,
        provider: @escaping @Sendable (ProviderContext) throws -> any Provider
    ) throws -> Client {
        var descriptor = PowerDNSProvider.descriptor
        descriptor.factory = provider
        let config = ConfigResolver().withDict([
            "provider_name": "powerdns", "domain": .value(domain),
            "powerdns": .mapping([
                "auth_token": .value(server.apiKey), "pdns_server": .value(server.apiURL),
                "pdns_disable_notify": "true",
            ]),
        ])
        return try Client(config: config, registry: ProviderRegistry([descriptor]))
    }

    /// The zone before: a set to delete, a set to update, and the NS's address `createZone` adds.
    static func seed(_ client: Client) async throws {
        try await client.createRecord(type: .txt, name: "old", content: "gone", ttl: 300)
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1", ttl: 300)
    }

    /// The state wanted: `old` deleted, `www` with a second address, four new sets of two addresses each.
    static func desired(_ zone: String) -> ZoneSnapshot {
        var records = [
            Record(type: .a, name: "ns1.\(zone)", ttl: 300, content: "127.0.0.1"),
            Record(type: .a, name: "www.\(zone)", ttl: 300, content: "192.0.2.1"),
            Record(type: .a, name: "www.\(zone)", ttl: 300, content: "192.0.2.2"),
        ]
        for host in 1...4 {
            for last in [10, 11] {
                records.append(Record(type: .a, name: "h\(host).\(zone)", ttl: 300, content: "192.0.2.\(host * last)"))
            }
        }
        return ZoneSnapshot(zone: zone, records: records)
    }

    static let options = PlanOptions(prune: true)

    @Test func setBySetKilledAfterThreeWritesReportsWhereItStoppedAndTheSameApplyFinishes() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("cut.test")
        let desired = Self.desired("cut.test")
        try await Self.seed(try powerDNSClient(server, domain: "cut.test", extra: ["pdns_disable_notify": "true"]))
        // The delete, the update (one value added) and the first of h1's two values get through; the server dies
        // before h1's second value.
        let dying = try Self.client(server, domain: "cut.test") { context in
            PowerDNSSetBySet(try PowerDNSProvider(context: context, transport: KillAfterWrites(server, after: 3)))
        }
        let plan = try await dying.plan(desired: desired, options: Self.options)
        #expect(plan.summary == "4 to create, 1 to update, 1 to delete", "\(plan.text)")
        let result = try await dying.apply(plan)
        #expect(!result.isComplete)
        #expect(result.applied.map(\.key.name) == ["old.cut.test", "www.cut.test"])
        #expect(result.notApplied.map(\.key.name) == ["h1.cut.test", "h2.cut.test", "h3.cut.test", "h4.cut.test"])
        let statuses = result.outcomes.map { outcome -> String in
            switch outcome.status {
            case .applied: "applied"
            case .failed(let error): "failed \(error.code)"
            case .notApplied: "not applied"
            }
        }
        #expect(
            statuses == [
                "applied", "applied", "failed network", "not applied", "not applied", "not applied",
            ])
        #expect(
            result.summary.hasPrefix("Applied 2 of 6 changes. Not applied: create h1.cut.test A"), "\(result.summary)")
        #expect(result.firstError?.code == .network)

        // Back on the same database: what was written before the crash is there, h1 with one of its two values.
        try await server.restart()
        let client = try Self.client(server, domain: "cut.test") { context in
            PowerDNSSetBySet(try PowerDNSProvider(context: context))
        }
        let half = try await client.snapshot()
        #expect(half[ZoneRecordSet.Key(name: "h1.cut.test", type: .a)]?.values.count == 1)
        #expect(half[ZoneRecordSet.Key(name: "old.cut.test", type: .txt)] == nil)
        let again = try await client.plan(desired: desired, options: Self.options)
        #expect(again.summary == "3 to create, 1 to update, 0 to delete", "\(again.text)")
        let finished = try await client.apply(again)
        #expect(finished.isComplete, "\(finished.summary)")
        #expect(PowerDNSZoneApplyTests.managed(try await client.snapshot()) == PowerDNSZoneApplyTests.managed(desired))
        #expect(try await client.plan(desired: desired, options: Self.options).isEmpty)
        #expect(await dig(server, "h1.cut.test", "A") == ["192.0.2.10", "192.0.2.11"] || Testbed.tool("dig") == nil)
    }

    @Test func nativeBatchKilledBeforeItsPatchReportsNothingAppliedAndTheSameApplyFinishes() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("batch-cut.test")
        let desired = Self.desired("batch-cut.test")
        try await Self.seed(
            try powerDNSClient(server, domain: "batch-cut.test", extra: ["pdns_disable_notify": "true"]))
        let dying = try Self.client(server, domain: "batch-cut.test") { context in
            try PowerDNSProvider(context: context, transport: KillAfterWrites(server, after: 0))
        }
        let plan = try await dying.plan(desired: desired, options: Self.options)
        let result = try await dying.apply(plan)
        // The server died before the batch's one PATCH, and cannot be read back: nothing counts as applied.
        #expect(!result.isComplete)
        #expect(result.applied.isEmpty)
        #expect(result.notApplied.count == 6)
        #expect(result.firstError?.code == .network)
        #expect(result.summary.hasPrefix("Applied 0 of 6 changes."), "\(result.summary)")

        try await server.restart()
        let client = try powerDNSClient(server, domain: "batch-cut.test", extra: ["pdns_disable_notify": "true"])
        let again = try await client.plan(desired: desired, options: Self.options)
        #expect(again == plan)
        #expect(try await client.apply(again).isComplete)
        #expect(PowerDNSZoneApplyTests.managed(try await client.snapshot()) == PowerDNSZoneApplyTests.managed(desired))
        #expect(try await client.plan(desired: desired, options: Self.options).isEmpty)
    }
}
