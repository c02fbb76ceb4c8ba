import Lexicon
import Testing

/// A per-value provider held in memory, with a value whose create fails on demand.
actor MemoryProvider: Provider {
    static let descriptor = ProviderDescriptor(
        name: "memory", summary: "test provider", options: [], factory: { _ in MemoryProvider() })

    var records: [Record] = []
    var writes = 0
    var failing: String?

    func seed(_ records: [Record]) { self.records = records }
    func fail(on content: String?) { failing = content }

    func authenticate() async throws {}
    func createRecord(_ input: RecordInput) async throws -> Bool {
        writes += 1
        if input.content == failing { throw LexiconError(.provider, "refused \(input.content!)") }
        let record = Record(
            type: input.type, name: input.name!, ttl: input.ttl ?? 3600, content: input.content!,
            priority: input.priority)
        if !records.contains(where: { $0.sameValue(as: record) }) { records.append(record) }
        return true
    }
    func listRecords(_ filter: RecordFilter) async throws -> [Record] { records.filter(filter.matches) }
    func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        writes += 1
        guard let index = records.firstIndex(where: { $0.id == identifier }) else {
            throw LexiconError(.notFound, "no record \(identifier ?? "")")
        }
        if let ttl = input.ttl { records[index].ttl = ttl }
        return true
    }
    func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        writes += 1
        records.removeAll { record in identifier.map { record.id == $0 } ?? filter.matches(record) }
        return true
    }
}

@Suite("zone plan")
struct ZonePlanTests {
    static let zone = [
        Record(type: .soa, name: "example.com", ttl: 3600, content: "ns1.example.com. h.example.com. 1 2 3 4 5"),
        Record(type: .ns, name: "example.com", ttl: 3600, content: "ns1.example.com"),
        Record(type: .a, name: "www.example.com", ttl: 300, content: "192.0.2.1"),
        Record(type: .a, name: "www.example.com", ttl: 300, content: "192.0.2.2"),
        Record(type: .mx, name: "example.com", ttl: 3600, content: "mail.example.com", priority: 10),
        Record(type: .txt, name: "_acme-challenge.example.com", ttl: 60, content: "token"),
        Record(type: .txt, name: "old.example.com", ttl: 3600, content: "gone"),
    ]

    func client(_ records: [Record] = zone) async throws -> (Client, MemoryProvider) {
        let config = ConfigResolver().withDict(["provider_name": "memory", "domain": "example.com"])
        let client = try Client(config: config, registry: ProviderRegistry([MemoryProvider.descriptor]))
        let provider = try #require(client.provider as? MemoryProvider)
        await provider.seed(records)
        return (client, provider)
    }

    /// The zone with www changed, a set added and old removed (the SOA, NS and challenge absent from the file).
    static var desired: ZoneSnapshot {
        ZoneSnapshot(
            zone: "example.com",
            records: [
                Record(type: .a, name: "www.example.com", ttl: 600, content: "192.0.2.1"),
                Record(type: .a, name: "www.example.com", ttl: 600, content: "192.0.2.3"),
                Record(type: .mx, name: "example.com", ttl: 3600, content: "mail.example.com", priority: 10),
                Record(type: .txt, name: "new.example.com", ttl: 3600, content: "hello world"),
            ])
    }

    @Test func planGroupsBySetAndLeavesSOANSAndIgnoredNamesAlone() async throws {
        let (client, provider) = try await client()
        let plan = try await client.plan(
            desired: Self.desired, options: PlanOptions(prune: true, ignore: ["_acme-challenge"]))
        #expect(plan.changes.map(\.action) == [.delete, .update, .create])
        #expect(plan.changes.map(\.key.name) == ["old.example.com", "www.example.com", "new.example.com"])
        let update = plan.changes[1]
        #expect(update.added == [.init(content: "192.0.2.3")])
        #expect(update.removed == [.init(content: "192.0.2.2")])
        #expect(update.old?.ttl == 300 && update.new?.ttl == 600)
        #expect(plan.managedSetCount == 3)
        #expect(plan.text.contains("~ www.example.com A 300 192.0.2.1 | 192.0.2.2 -> 600 192.0.2.1 | 192.0.2.3"))
        #expect(plan.text.hasSuffix("Plan for example.com: 1 to create, 1 to update, 1 to delete."))
        #expect(await provider.writes == 0)
    }

    @Test func withoutPruneAbsentSetsStay() async throws {
        let (client, _) = try await client()
        let plan = try await client.plan(desired: Self.desired)
        #expect(plan.count(.delete) == 0)
        #expect(!plan.changes.contains { $0.key.name.hasPrefix("_acme-challenge") })
    }

    @Test func applyThenPlanAgainIsEmpty() async throws {
        let (client, provider) = try await client()
        let options = PlanOptions(prune: true, ignore: ["_acme-challenge"])
        let plan = try await client.plan(desired: Self.desired, options: options)
        let result = try await client.apply(plan)
        #expect(result.isComplete, "\(result.summary)")
        let again = try await client.plan(desired: Self.desired, options: options)
        #expect(again.isEmpty, "\(again.text)")
        let left = await provider.records
        #expect(left.contains { $0.type == .soa } && left.contains { $0.type == .ns })
        #expect(left.contains { $0.name == "_acme-challenge.example.com" })
        #expect(!left.contains { $0.name == "old.example.com" })
    }

    @Test func thresholdRefusesUnlessForced() async throws {
        let many = (1...12).map { Record(type: .a, name: "h\($0).example.com", ttl: 3600, content: "192.0.2.\($0)") }
        let (client, provider) = try await client(many)
        let desired = ZoneSnapshot(zone: "example.com", records: Array(many.prefix(3)))
        let plan = try await client.plan(desired: desired, options: PlanOptions(prune: true))
        #expect(plan.count(.delete) == 9)
        #expect(plan.thresholdExceeded?.contains("9 of the zone's 12 record sets (75 %)") == true)
        await #expect(throws: LexiconError.self) { try await client.apply(plan) }
        #expect(await provider.writes == 0)
        var forced = plan
        forced.options.force = true
        #expect(try await client.apply(forced).isComplete)
        #expect(await provider.records.count == 3)
        // A small zone is not held to the threshold; a configured one is.
        #expect(
            ZonePlan.difference(
                live: .init(zone: "example.com", records: many), desired: desired,
                options: PlanOptions(prune: true, threshold: 0.8)
            ).thresholdExceeded == nil)
    }

    @Test func failurePartWayReportsAndReRunConverges() async throws {
        let (client, provider) = try await client([])
        let desired = ZoneSnapshot(
            zone: "example.com",
            records: (1...8).map { Record(type: .a, name: "h\($0).example.com", ttl: 3600, content: "192.0.2.\($0)") })
        await provider.fail(on: "192.0.2.5")
        let result = try await client.apply(try await client.plan(desired: desired))
        #expect(!result.isComplete)
        #expect(result.firstError?.message.contains("refused 192.0.2.5") == true)
        #expect(result.summary.contains("Not applied: create h5.example.com A"))
        await provider.fail(on: nil)
        let rest = try await client.plan(desired: desired)
        #expect(rest.changes.count == result.notApplied.count)
        #expect(try await client.apply(rest).isComplete)
        #expect(try await client.plan(desired: desired).isEmpty)
    }

    @Test func desiredNamesOutsideTheZoneAreRefused() async throws {
        let (client, _) = try await client()
        let desired = ZoneSnapshot(
            zone: "example.com", records: [Record(type: .a, name: "www.example.org", ttl: 1, content: "192.0.2.1")])
        await #expect(throws: LexiconError.self) { try await client.plan(desired: desired) }
    }

    @Test func snapshotOfAnotherZoneNameMovesToThisOne() {
        let moved = Self.desired.rebased(to: "example.net")
        #expect(moved.sets.map(\.name).sorted() == ["example.net", "new.example.net", "www.example.net"])
    }

    @Test(arguments: [
        ("_acme-challenge", "_acme-challenge.www.example.com", true),
        ("_acme-challenge", "www.example.com", false),
        ("*.internal", "db.internal.example.com", true),
        ("www.example.com.", "www.example.com", true),
        ("@", "example.com", true),
    ])
    func ignorePatterns(pattern: String, name: String, ignored: Bool) {
        #expect(PlanOptions(ignore: [pattern]).isIgnored(name, zone: "example.com") == ignored)
    }
}
