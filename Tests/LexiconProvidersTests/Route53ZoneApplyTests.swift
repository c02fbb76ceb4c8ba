import Lexicon
import LexiconTesting
import Testing

@Suite("route53 zone apply")
struct Route53ZoneApplyTests {
    func posts(_ fake: Route53Fake) -> Int { fake.requests.filter { $0.method == "POST" }.count }

    @Test func aPlanIsOneChangeBatchPerThousandChangesAndASecondPlanIsEmpty() async throws {
        let fake = try Route53Fake(zones: ["batch.example"])
        defer { fake.stop() }
        let client = try route53Client(fake, domain: "batch.example")
        let desired = ZoneSnapshot(zone: "batch.example", records: sampleHosts(1...1200, in: "batch.example"))
        let before = posts(fake)
        let result = try await client.apply(try await client.plan(desired: desired))
        #expect(result.isComplete, "\(result.summary)")
        #expect(posts(fake) - before == 2)
        #expect(try await client.plan(desired: desired).isEmpty)

        // Updates (a DELETE and a CREATE each) and deletes in one batch.
        let changed = ZoneSnapshot(
            zone: "batch.example",
            records: sampleHosts(1...10, in: "batch.example", ttl: 600) + sampleHosts(11...1190, in: "batch.example"))
        let plan = try await client.plan(desired: changed, options: PlanOptions(prune: true))
        #expect(plan.summary == "0 to create, 10 to update, 10 to delete")
        let again = posts(fake)
        #expect(try await client.apply(plan).isComplete)
        #expect(posts(fake) - again == 1)
        #expect(try await client.plan(desired: changed, options: PlanOptions(prune: true)).isEmpty)
        #expect(fake.stored("batch.example").first { $0.name == "h1.batch.example." }?.ttl == 600)
    }

    @Test func aSetChangedSinceThePlanIsNotOverwritten() async throws {
        let fake = try Route53Fake(zones: ["batch.example"])
        defer { fake.stop() }
        let client = try route53Client(fake, domain: "batch.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        let desired = ZoneSnapshot(
            zone: "batch.example",
            records: [Record(type: .a, name: "www.batch.example", ttl: 300, content: "192.0.2.2")])
        let plan = try await client.plan(desired: desired)
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.9")
        let result = try await client.apply(plan)
        #expect(!result.isComplete)
        #expect(result.firstError?.message.contains("changed since the plan was made") == true)
        #expect(fake.stored("batch.example").first { $0.name == "www.batch.example." }?.values.count == 2)
    }
}
