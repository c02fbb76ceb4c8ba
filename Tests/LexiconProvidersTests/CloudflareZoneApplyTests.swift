import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// Zones as a whole against the Cloudflare fake: a plan through the batch endpoint, 200 records a request.
@Suite("cloudflare zone apply")
struct CloudflareZoneApplyTests {
    func batches(_ fake: CloudflareFake, since start: Int = 0) -> [HTTPRequest] {
        fake.requests.dropFirst(start).filter { $0.path.hasSuffix("/dns_records/batch") }
    }

    @Test func aPlanIsOneBatchPer200RecordsAndASecondPlanIsEmpty() async throws {
        let fake = try CloudflareFake(zones: ["batch.example"])
        defer { fake.stop() }
        let client = try cloudflareClient(fake, domain: "batch.example")
        let desired = ZoneSnapshot(zone: "batch.example", records: sampleHosts(1...250, in: "batch.example"))
        let result = try await client.apply(try await client.plan(desired: desired))
        #expect(result.isComplete, "\(result.summary)")
        #expect(batches(fake).count == 2)
        #expect(fake.requests.filter { $0.method != "GET" }.count == 2)
        #expect(try await client.plan(desired: desired).isEmpty)

        // A TTL change is a patch of the record kept (same id, the TTL alone), a value swapped a delete and a post, a set pruned
        // deletes: all in one request, and the ids of the records kept stay.
        try await client.createRecord(type: .txt, name: "old", content: "gone")
        let kept = try #require(fake.stored("batch.example").first { $0.name == "h1.batch.example" })
        let changed = ZoneSnapshot(
            zone: "batch.example",
            records: sampleHosts(1...1, in: "batch.example", ttl: 600) + sampleHosts(2...249, in: "batch.example")
                + [Record(type: .a, name: "h250.batch.example", ttl: 300, content: "192.0.2.99")])
        let plan = try await client.plan(desired: changed, options: PlanOptions(prune: true))
        #expect(plan.summary == "0 to create, 2 to update, 1 to delete", "\(plan.text)")
        let start = fake.requests.count
        #expect(try await client.apply(plan).isComplete)
        let sent = batches(fake, since: start)
        #expect(sent.count == 1)
        let body = try JSONValue(parsing: sent.first?.body ?? [])
        #expect(body["deletes"]?.array?.count == 2 && body["patches"]?.array?.count == 1)
        #expect(body["posts"]?.array?.count == 1)
        let h1 = fake.stored("batch.example").first { $0.name == "h1.batch.example" }
        #expect(h1?.id == kept.id && h1?.ttl == 600)
        #expect(try await client.plan(desired: changed, options: PlanOptions(prune: true)).isEmpty)
    }

    @Test func aRefusedRecordLeavesTheBatchUnwrittenAndAChangedSetIsNotOverwritten() async throws {
        let fake = try CloudflareFake(zones: ["batch.example"])
        defer { fake.stop() }
        let client = try cloudflareClient(fake, domain: "batch.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1", ttl: 300)
        let before = fake.stored("batch.example")
        // A CNAME beside the A set kept at www: Cloudflare refuses it, and the batch's other records with it.
        let desired = ZoneSnapshot(
            zone: "batch.example",
            records: [
                Record(type: .a, name: "www.batch.example", ttl: 300, content: "192.0.2.1"),
                Record(type: .a, name: "api.batch.example", ttl: 300, content: "192.0.2.2"),
                Record(type: .cname, name: "www.batch.example", ttl: 300, content: "elsewhere.example"),
            ])
        let result = try await client.apply(try await client.plan(desired: desired))
        #expect(!result.isComplete && result.applied.isEmpty)
        #expect(result.firstError?.message.contains("81053") == true, "\(result.summary)")
        #expect(fake.stored("batch.example") == before)

        // A set changed between the plan and the apply is refused before anything is written.
        let wanted = ZoneSnapshot(
            zone: "batch.example",
            records: [Record(type: .a, name: "www.batch.example", ttl: 300, content: "192.0.2.3")])
        let plan = try await client.plan(desired: wanted)
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.9")
        let start = fake.requests.count
        let refused = try await client.apply(plan)
        #expect(!refused.isComplete)
        #expect(refused.firstError?.message.contains("changed since the plan was made") == true)
        #expect(batches(fake, since: start).isEmpty)
        #expect(Set(fake.stored("batch.example").map(\.content)) == ["192.0.2.1", "192.0.2.9"])
    }
}
