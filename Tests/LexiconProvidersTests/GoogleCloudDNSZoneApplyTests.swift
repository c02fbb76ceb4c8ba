import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// Zones as a whole against the Google Cloud DNS fake: a plan is one atomic change, all of it or nothing.
@Suite("googleclouddns zone apply")
struct GoogleCloudDNSZoneApplyTests {
    func changes(_ fake: GoogleCloudDNSFake) -> [HTTPRequest] {
        fake.requests.filter { $0.method == "POST" && $0.url.hasSuffix("/changes") }
    }

    @Test func aPlanIsOneChangeAndASecondPlanIsEmpty() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["batch.example"])
        defer { fake.stop() }
        let client = try googleCloudDNSClient(fake, domain: "batch.example")
        try await client.createRecord(type: .txt, name: "old", content: "gone")
        try await client.createRecord(type: .a, name: "h1", content: "192.0.2.99")
        let desired = ZoneSnapshot(
            zone: "batch.example",
            records: sampleHosts(1...12, in: "batch.example") + [
                Record(type: .mx, name: "batch.example", ttl: 300, content: "mail.batch.example", priority: 10),
                Record(type: .txt, name: "batch.example", ttl: 3600, content: "v=spf1 \"quoted\" -all"),
            ])
        let plan = try await client.plan(desired: desired, options: PlanOptions(prune: true))
        #expect(plan.summary == "13 to create, 1 to update, 1 to delete", "\(plan.text)")
        let before = changes(fake).count
        let result = try await client.apply(plan)
        #expect(result.isComplete, "\(result.summary)")
        // One change: the deleted and the updated set as read in its deletions, 14 new sets in its additions.
        let written = changes(fake).dropFirst(before)
        #expect(written.count == 1)
        let body = try JSONValue(parsing: try #require(written.first?.body))
        #expect(body["deletions"]?.array?.count == 2 && body["additions"]?.array?.count == 14)
        let stored = fake.stored("batch.example")
        #expect(stored.first { $0.name == "h1.batch.example." }?.values == ["192.0.2.1"])
        #expect(stored.first { $0.type == "MX" }?.values == ["10 mail.batch.example."])
        #expect(stored.allSatisfy { $0.name != "old.batch.example." })
        #expect(try await client.plan(desired: desired, options: PlanOptions(prune: true)).isEmpty)
    }

    @Test func aPlanOverCloudDNSsRrdataLimitIsSplitIntoChanges() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["batch.example"])
        defer { fake.stop() }
        let client = try googleCloudDNSClient(fake, domain: "batch.example")
        // 12 sets of 4 values of 2,200 characters: over the 100,000 bytes of rrdata one change may hold.
        let records = (1...12).flatMap { set in
            (1...4).map { value in
                Record(
                    type: .txt, name: "t\(set).batch.example", ttl: 300,
                    content: String(repeating: Character(String(value)), count: 2200))
            }
        }
        let desired = ZoneSnapshot(zone: "batch.example", records: records)
        let before = changes(fake).count
        let result = try await client.apply(try await client.plan(desired: desired))
        #expect(result.isComplete, "\(result.summary)")
        let written = changes(fake).dropFirst(before)
        #expect(written.count == 2)
        #expect(written.allSatisfy { ($0.body?.count ?? 0) < 120_000 })
        #expect(try await client.plan(desired: desired).isEmpty)
    }

    @Test func aSetChangedSinceThePlanIsAConflictAndNothingIsWritten() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["batch.example"])
        defer { fake.stop() }
        let client = try googleCloudDNSClient(fake, domain: "batch.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        let desired = ZoneSnapshot(
            zone: "batch.example",
            records: sampleHosts(1...5, in: "batch.example") + [
                Record(type: .a, name: "www.batch.example", ttl: 300, content: "192.0.2.2")
            ])
        let plan = try await client.plan(desired: desired)
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.9")
        let before = fake.stored("batch.example")
        let posted = changes(fake).count
        let result = try await client.apply(plan)
        #expect(!result.isComplete)
        #expect(result.applied.isEmpty)
        let error = try #require(result.firstError)
        #expect(error.code == .conflict, "\(error.message)")
        #expect(fake.stored("batch.example") == before)
        #expect(changes(fake).count == posted)
    }
}
