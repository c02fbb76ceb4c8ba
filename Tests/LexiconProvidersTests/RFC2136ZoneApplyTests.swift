import DNSWire
import Lexicon
import LexiconTesting
import Testing

/// Zones as a whole through RFC 2136 against the testbed's BIND: the plan in UPDATE messages of bounded size, each
/// with prerequisites that the sets are as read.
@Suite("rfc2136 zone apply")
struct RFC2136ZoneApplyTests {
    static func source(hosts: Int) -> String {
        wholeZoneSample("apply.example") + (0..<hosts).map { "h\($0) 600 IN A 198.51.100.\($0 % 250)\n" }.joined()
    }

    /// `dig AXFR` of the zone, signed with the testbed's key, as sorted `name ttl type rdata` lines without the SOA
    /// and the apex NS.
    func transferred(_ bind: BINDServer) async throws -> [String]? {
        guard let dig = Testbed.tool("dig") else {
            if Testbed.isRequired { Issue.record("dig is missing") }
            return nil
        }
        let result = await CommandRunner.run(
            dig,
            [
                "-p", String(bind.port), "@127.0.0.1", "-y", bind.keyToken, "apply.example", "AXFR", "+nocmd",
                "+nostats", "+nocomments",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        return Set(
            result.stdout.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard fields.count >= 5, !line.hasPrefix(";"), fields[3] != "SOA", fields[3] != "TSIG",
                    !(fields[3] == "NS" && fields[0] == "apply.example.")
                else { return nil }
                return ([fields[0], fields[1], fields[3]] + fields[4...]).joined(separator: " ")
            }
        ).sorted()
    }

    /// The same lines for a desired state.
    static func lines(_ snapshot: ZoneSnapshot) -> [String] {
        snapshot.records.filter { !PlanOptions().leavesAlone(.init(name: $0.name, type: $0.type), zone: snapshot.zone) }
            .map { "\($0.name). \($0.ttl) \($0.type) \(RecordPresentation.rdata(of: $0))" }.sorted()
    }

    @Test func applyThenAXFREqualsTheFileAndASecondApplyPlansNothing() async throws {
        guard let bind = try await startBIND(["apply.example"]) else { return }
        defer { bind.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // 600 more names: more than one UPDATE message (at most 400 records each). ns1 A is there already.
        try directory.write("apply.zone", Self.source(hosts: 600))
        let desired = try await makeLocalZoneClient(directory, domain: "apply.example", file: "apply.zone").snapshot()
        let client = try rfc2136Client(
            domain: "apply.example", server: bind.address, options: ["auth_token": .value(bind.keyToken)])
        let options = PlanOptions(prune: true)
        let plan = try await client.plan(desired: desired, options: options)
        #expect(plan.summary == "609 to create, 0 to update, 0 to delete", "\(plan.text.suffix(300))")
        let result = try await client.apply(plan)
        #expect(result.isComplete, "\(result.summary)")
        if let served = try await transferred(bind) { #expect(served == Self.lines(desired)) }
        #expect(try await client.plan(desired: desired, options: options).isEmpty)

        // An update and a delete in one more apply; the www set changed meanwhile is refused by its prerequisite.
        try directory.write(
            "apply.zone", Self.source(hosts: 0).replacingOccurrences(of: "192.0.2.81", with: "192.0.2.82"))
        let smaller = try await makeLocalZoneClient(directory, domain: "apply.example", file: "apply.zone").snapshot()
        var second = try await client.plan(desired: smaller, options: PlanOptions(prune: true, force: true))
        #expect(second.summary == "0 to create, 1 to update, 600 to delete")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.99", ttl: 300)
        let refused = try await client.apply(second)
        #expect(!refused.isComplete)
        #expect(refused.firstError?.message.contains("since the plan was made") == true)
        second = try await client.plan(desired: smaller, options: PlanOptions(prune: true, force: true))
        #expect(try await client.apply(second).isComplete)
        if let served = try await transferred(bind) { #expect(served == Self.lines(smaller)) }
    }
}
