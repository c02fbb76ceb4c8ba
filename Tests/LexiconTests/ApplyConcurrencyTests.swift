import Lexicon
import Testing

/// A per-value provider that counts the creates in flight: each waits until as many as the limit are running (or
/// every set of the plan has started), so more than the limit shows as a higher peak and fewer as a lower one.
actor GatedProvider: Provider {
    static let descriptor = ProviderDescriptor(
        name: "gated", summary: "test provider", options: [], factory: { _ in GatedProvider(limit: 4) })

    /// A descriptor for the provider with a concurrency limit.
    static func descriptor(limit: Int) -> ProviderDescriptor {
        ProviderDescriptor(
            name: "gated", summary: "test provider", options: [], applyConcurrency: limit,
            factory: { _ in GatedProvider(limit: limit) })
    }

    let limit: Int
    var expected = 0
    var started = 0
    var running = 0
    var peak = 0

    init(limit: Int) { self.limit = limit }

    func expect(_ count: Int) { expected = count }

    func authenticate() async throws {}
    func listRecords(_ filter: RecordFilter) async throws -> [Record] { [] }
    func createRecord(_ input: RecordInput) async throws -> Bool {
        started += 1
        running += 1
        peak = max(peak, running)
        defer { running -= 1 }
        let deadline = ContinuousClock.now + .seconds(60)
        while running < limit && started < expected && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        return true
    }
    func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool { true }
    func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool { true }
}

@Suite("apply concurrency")
struct ApplyConcurrencyTests {
    @Test(arguments: [1, 2, 4, 7])
    func applyRunsAtMostTheDescriptorsLimitOfSetsAtOnce(limit: Int) async throws {
        let config = ConfigResolver().withDict(["provider_name": "gated", "domain": "example.com"])
        let client = try Client(config: config, registry: ProviderRegistry([GatedProvider.descriptor(limit: limit)]))
        let provider = try #require(client.provider as? GatedProvider)
        let desired = ZoneSnapshot(
            zone: "example.com",
            records: (1...20).map { Record(type: .a, name: "h\($0).example.com", ttl: 300, content: "192.0.2.\($0)") })
        await provider.expect(20)
        let plan = try await client.plan(desired: desired)
        let result = try await client.apply(plan)
        #expect(result.isComplete, "\(result.summary)")
        #expect(await provider.started == 20)
        #expect(await provider.peak == limit)
    }

    @Test func theDefaultIsFourAndTightRateLimitsAreLower() {
        #expect(GatedProvider.descriptor.applyConcurrency == 4)
        #expect(
            ProviderDescriptor(name: "x", summary: "", options: [], applyConcurrency: 0) { _ in
                GatedProvider(limit: 1)
            }.applyConcurrency == 1)
    }
}
