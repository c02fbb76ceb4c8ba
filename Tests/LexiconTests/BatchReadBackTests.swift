import Lexicon
import Testing

/// An in-memory batch provider that counts its listings: one transaction (all or nothing) when `atomic`, or
/// several requests of which the first lands and the rest fail when `failsAfterFirst`.
actor CountingBatchProvider: Provider, ZoneBatchApplying {
    nonisolated let appliesAtomically: Bool
    let failsAfterFirst: Bool
    var records: [Record] = []
    var listings = 0

    init(atomic: Bool, failsAfterFirst: Bool = false) {
        appliesAtomically = atomic
        self.failsAfterFirst = failsAfterFirst
    }

    static let descriptor = describing(atomic: true)

    static func describing(atomic: Bool, failsAfterFirst: Bool = false) -> ProviderDescriptor {
        ProviderDescriptor(
            name: "counting", summary: "test provider", options: [], writeShape: .recordSets,
            factory: { _ in CountingBatchProvider(atomic: atomic, failsAfterFirst: failsAfterFirst) })
    }

    func authenticate() async throws {}
    func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        listings += 1
        return records
    }
    func createRecord(_ input: RecordInput) async throws -> Bool { true }
    func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool { true }
    func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool { true }

    func applyChanges(_ changes: [ZonePlan.Change]) async throws {
        for (index, change) in changes.enumerated() {
            if failsAfterFirst && index > 0 {
                throw LexiconError(.provider, "the second request failed")
            }
            records.removeAll { $0.name == change.key.name && $0.type == change.key.type }
            records += change.new?.records ?? []
        }
    }
}

@Suite("batch read-back")
struct BatchReadBackTests {
    static let desired = ZoneSnapshot(
        zone: "example.com",
        records: (1...3).map { Record(type: .a, name: "h\($0).example.com", ttl: 300, content: "192.0.2.\($0)") })

    static func client(_ descriptor: ProviderDescriptor) throws -> (Client, CountingBatchProvider) {
        let config = ConfigResolver().withDict(["provider_name": "counting", "domain": "example.com"])
        let client = try Client(config: config, registry: ProviderRegistry([descriptor]))
        return (client, try #require(client.provider as? CountingBatchProvider))
    }

    @Test func oneTransactionThatSucceededIsNotReadBack() async throws {
        let (client, provider) = try Self.client(CountingBatchProvider.describing(atomic: true))
        let result = try await client.apply(try await client.plan(desired: Self.desired))
        #expect(result.isComplete, "\(result.summary)")
        #expect(await provider.listings == 1, "only the plan's listing")
        #expect(try await client.plan(desired: Self.desired).isEmpty)
    }

    @Test func aBatchOfSeveralRequestsIsReadBack() async throws {
        let (client, provider) = try Self.client(CountingBatchProvider.describing(atomic: false))
        let result = try await client.apply(try await client.plan(desired: Self.desired))
        #expect(result.isComplete, "\(result.summary)")
        #expect(await provider.listings == 2, "the plan's listing and the read-back")
    }

    @Test func aFailedBatchIsReadBackToTellAppliedFromNot() async throws {
        let (client, provider) = try Self.client(CountingBatchProvider.describing(atomic: true, failsAfterFirst: true))
        let result = try await client.apply(try await client.plan(desired: Self.desired))
        #expect(await provider.listings == 2)
        let applied = result.outcomes.filter { if case .applied = $0.status { true } else { false } }
        #expect(applied.map(\.change.key.name) == ["h1.example.com"])
        #expect(!result.isComplete)
    }

    @Test func aPlanFromALiveSnapshotOfAnotherZoneIsRefused() async throws {
        let (client, _) = try Self.client(CountingBatchProvider.describing(atomic: true))
        let other = ZoneSnapshot(zone: "example.net", sets: [])
        await #expect(throws: LexiconError.self) { try await client.plan(desired: Self.desired, live: other) }
        let live = try await client.snapshot()
        #expect(try await client.plan(desired: Self.desired, live: live).count(.create) == 3)
    }
}
