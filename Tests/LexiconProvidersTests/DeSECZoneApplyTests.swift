import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// Zones as a whole against the deSEC fake: a plan is one bulk PATCH, all of it or nothing.
@Suite("desec zone apply")
struct DeSECZoneApplyTests {
    func patches(_ fake: DeSECFake) -> [HTTPRequest] { fake.requests.filter { $0.method == "PATCH" } }

    @Test func aPlanIsOneBulkPatchAndASecondPlanIsEmpty() async throws {
        let fake = try DeSECFake(domains: ["bulk.example"])
        defer { fake.stop() }
        let client = try deSECClient(fake, domain: "bulk.example")
        try await client.createRecord(type: .txt, name: "old", content: "gone")
        try await client.createRecord(type: .a, name: "h1", content: "192.0.2.99")
        let desired = ZoneSnapshot(
            zone: "bulk.example",
            records: sampleHosts(1...12, in: "bulk.example", ttl: 3600) + [
                Record(type: .mx, name: "bulk.example", ttl: 300, content: "mail.bulk.example", priority: 10),
                Record(type: .txt, name: "bulk.example", ttl: 3600, content: "v=spf1 \"quoted\" -all"),
            ])
        let plan = try await client.plan(desired: desired, options: PlanOptions(prune: true))
        #expect(plan.summary == "13 to create, 1 to update, 1 to delete", "\(plan.text)")
        let before = fake.requests.count
        let result = try await client.apply(plan)
        #expect(result.isComplete, "\(result.summary)")
        // One PATCH of every set (the delete with no records); the rest are the authentication and the read-back.
        let writes = fake.requests.dropFirst(before).filter { $0.method != "GET" }
        #expect(writes.map(\.method) == ["PATCH"])
        let body = try #require(try JSONValue(parsing: writes[0].body ?? []).array)
        #expect(body.count == 15)
        #expect(body.first?["subname"]?.string == "old" && body.first?["records"]?.array?.isEmpty == true)
        // TTLs below the domain's minimum are raised, as the single writes raise them.
        #expect(fake.stored("bulk.example").first { $0.type == "MX" }?.ttl == 3600)
        #expect(fake.stored("bulk.example").first { $0.subname == "h1" }?.records == ["192.0.2.1"])
        #expect(fake.stored("bulk.example").allSatisfy { $0.subname != "old" })
        #expect(try await client.plan(desired: desired, options: PlanOptions(prune: true)).isEmpty)
    }

    @Test func aSetDeSECRefusesLeavesTheWholePlanUnwrittenWithDeSECsReason() async throws {
        let fake = try DeSECFake(domains: ["bulk.example"])
        defer { fake.stop() }
        let client = try deSECClient(fake, domain: "bulk.example")
        let before = fake.stored("bulk.example")
        let desired = ZoneSnapshot(
            zone: "bulk.example",
            records: sampleHosts(1...3, in: "bulk.example", ttl: 3600)
                + sampleHosts(4...4, in: "bulk.example", ttl: 700_000))
        let result = try await client.apply(try await client.plan(desired: desired))
        #expect(!result.isComplete)
        #expect(result.applied.isEmpty)
        let error = try #require(result.firstError)
        #expect(error.message.contains("less than or equal to 604800"), "\(error.message)")
        #expect(fake.stored("bulk.example") == before)
        #expect(patches(fake).count == 1)

        // The fake answers a bulk refusal as deSEC does: one object per set, in order, empty for the valid ones.
        let refused = try await DeSECFakeProbe(fake).send(
            "PATCH", "/domains/bulk.example/rrsets/",
            body: .array([
                .object([
                    ("subname", .string("a")), ("type", .string("A")), ("ttl", .int(3600)),
                    ("records", .array([.string("192.0.2.1")])),
                ]),
                .object([
                    ("subname", .string("b")), ("type", .string("A")), ("ttl", .int(3600)),
                    ("records", .array([.string("not an address")])),
                ]),
            ]))
        #expect(refused.status == 400)
        let errors = try #require(try JSONValue(parsing: refused.text).array)
        #expect(errors.count == 2 && errors[0].object?.isEmpty == true && errors[1]["records"] != nil)
        #expect(fake.stored("bulk.example") == before)
    }
}
