import Lexicon

/// The record-contract conformance suite (SPEC.md §3.1) that every provider runs.
///
/// Each group starts from a client made by the caller's factory, normally on a fresh zone, and throws a
/// ``ConformanceFailure`` on the first check that does not hold.
///
/// ```swift
/// @Test(arguments: ProviderConformanceSuite.Group.allCases)
/// func conformance(_ group: ProviderConformanceSuite.Group) async throws {
///     try await ProviderConformanceSuite(domain: "example.com", unmanagedDomain: "example.org") { domain in
///         try makeClient(domain)
///     }.run(group)
/// }
/// ```
public struct ProviderConformanceSuite: Sendable {
    /// The eight groups of SPEC.md §3.1.
    public enum Group: String, CaseIterable, Sendable, CustomStringConvertible {
        case authentication, create, list, defaultTTL, update, delete, recordSets, beyondLexicon
        public var description: String { rawValue }
    }

    /// The zone the suite writes to.
    public let domain: String
    /// A domain the provider does not manage.
    public let unmanagedDomain: String
    /// Builds a client for a domain (a fresh zone for `domain`).
    public let makeClient: @Sendable (String) async throws -> Client

    /// Creates the suite.
    /// - Parameters:
    ///   - domain: The managed zone.
    ///   - unmanagedDomain: A domain the provider must refuse.
    ///   - makeClient: Builds a client for a domain.
    public init(
        domain: String, unmanagedDomain: String, makeClient: @escaping @Sendable (String) async throws -> Client
    ) {
        self.domain = domain
        self.unmanagedDomain = unmanagedDomain
        self.makeClient = makeClient
    }

    /// Runs every group in order.
    public func runAll() async throws {
        for group in Group.allCases { try await run(group) }
    }

    /// Runs one group.
    /// - Throws: ``ConformanceFailure``, or the provider's error when an operation that must succeed fails.
    public func run(_ group: Group) async throws {
        let client = try await makeClient(domain)
        let check = Checker(group: group)
        switch group {
        case .authentication: try await authentication(client, check)
        case .create: try await create(client, check)
        case .list: try await list(client, check)
        case .defaultTTL: try await defaultTTL(client, check)
        case .update: try await update(client, check)
        case .delete: try await delete(client, check)
        case .recordSets: try await recordSets(client, check)
        case .beyondLexicon: try await beyond(client, check)
        }
    }

    struct Checker {
        let group: Group
        func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            if !condition { throw ConformanceFailure(group: group, message: message()) }
        }
        func expectError(
            _ code: LexiconError.Code, _ what: String, _ body: () async throws -> Void
        ) async throws -> LexiconError {
            do {
                try await body()
            } catch let error as LexiconError {
                try expect(error.code == code, "\(what): expected a \(code) error, got \(error.code): \(error.message)")
                return error
            }
            throw ConformanceFailure(group: group, message: "\(what): expected a \(code) error, but it succeeded")
        }
    }

    private func only(_ client: Client, _ type: RecordType, _ name: String, _ check: Checker) async throws -> Record {
        let records = try await client.listRecords(type: type, name: name)
        try check.expect(
            records.count == 1, "list \(type) \(name): expected 1 record, got \(records.count): \(records)")
        return records[0]
    }

    private func authentication(_ client: Client, _ check: Checker) async throws {
        try await client.authenticate()
        try check.expect(client.zone == domain.lowercased(), "the zone is \(client.zone), expected \(domain)")
        let error = try await check.expectError(.authentication, "authenticate with \(unmanagedDomain)") {
            let other = try await makeClient(unmanagedDomain)
            try await other.authenticate()
        }
        try check.expect(
            error.message.hasPrefix("No domain found"),
            "the message should start with `No domain found`: \(error.message)")
        try check.expect(error.code.exitStatus == 3, "an unmanaged domain should exit with status 3")
    }

    private func create(_ client: Client, _ check: Checker) async throws {
        try check.expect(try await client.createRecord(type: .a, name: "localhost", content: "127.0.0.1"), "create A")
        try check.expect(
            try await client.createRecord(type: .cname, name: "docs", content: "docs.\(domain)"), "create CNAME")
        for name in ["_acme-challenge.test", "_acme-challenge.full.\(domain)", "_acme-challenge.fqdn.\(domain)."] {
            try check.expect(
                try await client.createRecord(type: .txt, name: name, content: "challengetoken"), "create TXT \(name)")
        }
        let cname = try await only(client, .cname, "docs", check)
        try check.expect(cname.content == "docs.\(domain)", "CNAME content is \(cname.content)")
        let a = try await only(client, .a, "localhost.\(domain)", check)
        try check.expect(a.content == "127.0.0.1" && a.name == "localhost.\(domain)", "A record reads back as \(a)")
        _ = try await only(client, .txt, "_acme-challenge.fqdn", check)
    }

    private func list(_ client: Client, _ check: Checker) async throws {
        let all = try await client.listRecords()
        _ = all
        for (name, listName) in [
            ("random.test", "random.test"), ("random.fulltest.\(domain)", "random.fulltest.\(domain)"),
            ("random.fqdntest.\(domain).", "random.fqdntest.\(domain)."),
        ] {
            try await client.createRecord(type: .txt, name: name, content: "challengetoken")
            let record = try await only(client, .txt, listName, check)
            let expected =
                name.hasSuffix(".") ? String(name.dropLast()) : (name.hasSuffix(domain) ? name : "\(name).\(domain)")
            try check.expect(record.content == "challengetoken", "content is \(record.content)")
            try check.expect(record.type == .txt, "type is \(record.type)")
            try check.expect(record.name == expected, "name is \(record.name), expected \(expected)")
        }
        let everything = try await client.listRecords()
        try check.expect(everything.count >= 3, "list without a filter returned \(everything.count) records")
        let none = try await client.listRecords(type: .txt, name: "filter.thisdoesnotexist")
        try check.expect(none.isEmpty, "a filter that matches nothing returned \(none)")
    }

    private func defaultTTL(_ client: Client, _ check: Checker) async throws {
        try await client.createRecord(type: .txt, name: "ttl.fqdn.\(domain).", content: "ttlshouldbe3600")
        let record = try await only(client, .txt, "ttl.fqdn", check)
        let expected = client.descriptor.effectiveTTL(3600)
        try check.expect(record.ttl == expected, "TTL is \(record.ttl), expected \(expected)")
    }

    private func update(_ client: Client, _ check: Checker) async throws {
        try await client.createRecord(type: .txt, name: "orig.test", content: "challengetoken")
        let original = try await only(client, .txt, "orig.test", check)
        try check.expect(
            try await client.updateRecord(
                identifier: original.id, type: .txt, name: "updated.test", content: "challengetoken"),
            "update by id")
        _ = try await only(client, .txt, "updated.test", check)
        try check.expect(
            try await client.listRecords(type: .txt, name: "orig.test").isEmpty, "the renamed record is still there")
        for name in ["orig.nameonly.test", "orig.testfull.\(domain)", "orig.testfqdn.\(domain)."] {
            try await client.createRecord(type: .txt, name: name, content: "challengetoken")
            try check.expect(
                try await client.updateRecord(type: .txt, name: name, content: "updated"), "update by name \(name)")
            let record = try await only(client, .txt, name, check)
            try check.expect(record.content == "updated", "update by name \(name) left \(record.content)")
        }
    }

    private func delete(_ client: Client, _ check: Checker) async throws {
        try await client.createRecord(type: .txt, name: "delete.testid", content: "challengetoken")
        let record = try await only(client, .txt, "delete.testid", check)
        try check.expect(try await client.deleteRecord(identifier: record.id, type: .txt), "delete by id")
        try check.expect(
            try await client.listRecords(type: .txt, name: "delete.testid").isEmpty, "delete by id left it")
        for name in ["delete.testfilt", "delete.testfull.\(domain)", "delete.testfqdn.\(domain)."] {
            try await client.createRecord(type: .txt, name: name, content: "challengetoken")
            try check.expect(
                try await client.deleteRecord(type: .txt, name: name, content: "challengetoken"), "delete \(name)")
            try check.expect(try await client.listRecords(type: .txt, name: name).isEmpty, "delete \(name) left it")
        }
        try check.expect(
            try await client.deleteRecord(type: .txt, name: "delete.neverthere", content: "x"),
            "deleting nothing should succeed")
    }

    private func recordSets(_ client: Client, _ check: Checker) async throws {
        try await client.createRecord(type: .txt, name: "_acme-challenge.noop", content: "challengetoken")
        try await client.createRecord(type: .txt, name: "_acme-challenge.noop", content: "challengetoken")
        _ = try await only(client, .txt, "_acme-challenge.noop", check)
        let set = "_acme-challenge.createrecordset"
        try await client.createRecord(type: .txt, name: set, content: "challengetoken1")
        try await client.createRecord(type: .txt, name: set, content: "challengetoken2")
        let two = try await client.listRecords(type: .txt, name: set)
        try check.expect(Set(two.map(\.content)) == ["challengetoken1", "challengetoken2"], "the set holds \(two)")
        try check.expect(
            try await client.listRecords(type: .txt, name: set, content: "nothere").isEmpty, "a content filter matched")
        try await client.deleteRecord(type: .txt, name: set)
        try check.expect(try await client.listRecords(type: .txt, name: set).isEmpty, "deleting the set left values")
        let partial = "_acme-challenge.deleterecordinset"
        try await client.createRecord(type: .txt, name: partial, content: "challengetoken1")
        try await client.createRecord(type: .txt, name: partial, content: "challengetoken2")
        try await client.deleteRecord(type: .txt, name: partial, content: "challengetoken1")
        let left = try await only(client, .txt, partial, check)
        try check.expect(left.content == "challengetoken2", "deleting one value left \(left.content)")
    }

    private func beyond(_ client: Client, _ check: Checker) async throws {
        if client.descriptor.supports(.mx) {
            try await client.createRecord(type: .mx, name: "@", content: "mail.\(domain)", priority: 10)
            let mx = try await only(client, .mx, "@", check)
            try check.expect(mx.content == "mail.\(domain)" && mx.priority == 10, "MX reads back as \(mx)")
        }
        if client.descriptor.supports(.srv) {
            try await client.createRecord(type: .srv, name: "_sip._tcp", content: "10 5 5060 sip.\(domain).")
            let srv = try await only(client, .srv, "_sip._tcp", check)
            try check.expect(srv.content == "10 5 5060 sip.\(domain)", "SRV reads back as \(srv.content)")
        }
        if client.descriptor.supports(.caa) {
            try await client.createRecord(type: .caa, name: "@", content: "0 issue \"letsencrypt.org\"")
            let caa = try await only(client, .caa, "@", check)
            try check.expect(caa.content == "0 issue \"letsencrypt.org\"", "CAA reads back as \(caa.content)")
        }

        let tricky =
            "with spaces, \"quotes\", \\backslashes\\ and UTF-8 ✓ é 日本 " + String(repeating: "0123456789", count: 31)
        try await client.createRecord(type: .txt, name: "tricky", content: tricky)
        let txt = try await only(client, .txt, "tricky", check)
        try check.expect(txt.content == tricky, "TXT reads back as \(txt.content)")

        let set = "setupdate"
        try await client.createRecord(type: .txt, name: set, content: "one")
        try await client.createRecord(type: .txt, name: set, content: "two")
        let values = try await client.listRecords(type: .txt, name: set)
        guard let one = values.first(where: { $0.content == "one" }) else {
            throw ConformanceFailure(group: check.group, message: "the set lost a value: \(values)")
        }
        try await client.updateRecord(identifier: one.id, type: .txt, content: "uno")
        let after = try await client.listRecords(type: .txt, name: set)
        try check.expect(Set(after.map(\.content)) == ["uno", "two"], "updating one value of a set gave \(after)")
        let ambiguous = try await check.expectError(.ambiguous, "update of a name with two values") {
            try await client.updateRecord(type: .txt, name: set, content: "three")
        }
        try check.expect(ambiguous.code.exitStatus == 4, "an ambiguous update should exit with status 4")

        if client.descriptor.fixedTTL == nil {
            try await client.createRecord(type: .txt, name: "keepttl", content: "before", ttl: 600)
            try await client.updateRecord(type: .txt, name: "keepttl", content: "after")
            let kept = try await only(client, .txt, "keepttl", check)
            let ttl = client.descriptor.effectiveTTL(600)
            try check.expect(kept.ttl == ttl && kept.content == "after", "update without TTL gave \(kept)")
        }

        try await client.createRecord(type: .txt, name: "MiXeD.Case", content: "case")
        let mixed = try await only(client, .txt, "mixed.case", check)
        try check.expect(mixed.name == "mixed.case.\(domain)", "upper case name listed as \(mixed.name)")
        try await client.createRecord(type: .txt, name: "bücher", content: "idn")
        let idn = try await only(client, .txt, "xn--bcher-kva", check)
        let idnUpper = try await only(client, .txt, "BÜCHER.\(domain)", check)
        try check.expect(
            idn.id == idnUpper.id && idn.name == "xn--bcher-kva.\(domain)", "IDN name listed as \(idn.name)")

        let outside = try await check.expectError(.invalidInput, "a name outside the zone") {
            try await client.createRecord(type: .a, name: "www.my\(domain)", content: "192.0.2.1")
        }
        try check.expect(
            outside.message.contains("outside"), "the error should say the name is outside: \(outside.message)")

        for (capability, operation) in [
            (ProviderDescriptor.Capabilities.update, "update"), (.delete, "delete"), (.create, "create"),
        ] where !client.descriptor.capabilities.contains(capability) {
            _ = try await check.expectError(.unsupported, "\(operation) on a provider without it") {
                switch operation {
                case "update": try await client.updateRecord(type: .txt, name: "x", content: "y")
                case "delete": try await client.deleteRecord(type: .txt, name: "x")
                default: try await client.createRecord(type: .txt, name: "x", content: "y")
                }
            }
        }
    }
}
