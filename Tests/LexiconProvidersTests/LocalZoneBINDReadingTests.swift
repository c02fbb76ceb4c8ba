import Foundation
import Lexicon
import LexiconTesting
import Testing

@testable import LexiconProviders

/// A localzone client for a zone file, with the domain (and `--delegated`) a user would give.
func makeLocalZoneClient(_ text: String, in directory: TemporaryDirectory, domain: String, delegated: String? = nil)
    throws -> Client
{
    try directory.write("zone.db", text)
    var settings: [String: ConfigValue] = [
        "provider_name": "localzone", "domain": .value(domain),
        "localzone": ["filename": .value(directory.file("zone.db"))],
    ]
    if let delegated { settings["delegated"] = .value(delegated) }
    return try Client(config: ConfigResolver().withDict(settings), registry: .standard)
}

/// localzone's zone is the file's: any zone a file can hold, whatever the public suffix list says.
@Suite("localzone zone names as BIND reads them")
struct LocalZoneZoneNameTests {
    @Test(arguments: [
        ("lan", "$ORIGIN lan.\n$TTL 60\n@ SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\n", "www.lan"),
        ("lan", "$TTL 60\n@ SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\n", "www.lan"),
        (
            "home.arpa", "$TTL 60\nhome.arpa. SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\n",
            "www.home.arpa"
        ),
        (
            "sub.example.com", "$TTL 60\n@ SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\nwww A 192.0.2.2\n",
            "www.sub.example.com"
        ),
        (
            "2.0.192.in-addr.arpa",
            "$TTL 60\n@ SOA ns.example. host.example. 1 2 3 4 5\n NS ns.example.\n"
                + "www PTR www.example.\n", "www.2.0.192.in-addr.arpa"
        ),
        (
            ".",
            "$TTL 60\n. SOA a.root-servers.net. nstld.verisign-grs.com. 1 2 3 4 5\n. NS a.root-servers.net.\n"
                + "a.root-servers.net. A 198.41.0.4\nwww.example. A 192.0.2.2\n", "www.example"
        ),
    ])
    func anyZoneAFileCanHold(zone: String, text: String, name: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let client = try makeLocalZoneClient(text, in: directory, domain: zone)
        let records = try await client.listRecords()
        #expect(records.first { $0.type == .soa }?.name == zone)
        #expect(records.contains { $0.name == name }, "\(records.map(\.name))")
        try await client.createRecord(type: .txt, name: "new", content: "v")
        let expected = zone == "." ? "new" : "new.\(zone)"
        #expect(try await client.listRecords(type: .txt).map(\.name) == [expected])
        await expectValidZone(directory.file("zone.db"), zone: zone)
    }

    @Test func theFileNamesItsZoneOverThePublicSuffixGuess() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = "$ORIGIN sub.example.com.\n$TTL 60\n@ SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\n"
        let client = try makeLocalZoneClient(text, in: directory, domain: "www.sub.example.com")
        #expect(try await client.listRecords(type: .ns).map(\.name) == ["sub.example.com"])
    }

    @Test func aMismatchSaysWhichZoneToPass() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = "$TTL 60\nexample.com. SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\n"
        let client = try makeLocalZoneClient(text, in: directory, domain: "example.org")
        do {
            try await client.authenticate()
            Issue.record("a zone file of example.com was read as example.org")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3)
            #expect(error.description.contains("pass example.com"), "\(error.description)")
        }
    }

    @Test(arguments: [
        ("lan", "lan", "lan"), ("host.lan", "lan", "lan"), ("home.arpa", "home.arpa", "home.arpa"),
        ("example", "example", "example"), (".", ".", "."), ("www.example.com", "sub", "sub.example.com"),
        ("x.2.0.192.in-addr.arpa", "2.0.192.in-addr.arpa", "2.0.192.in-addr.arpa"),
    ])
    func delegatedNamesAnyZone(domain: String, delegated: String, zone: String) throws {
        #expect(try ZoneResolver.zone(for: domain, delegated: delegated) == zone)
    }
}

/// Record data, TTLs and out-of-zone data as BIND reads them.
@Suite("localzone records as BIND reads them")
struct LocalZoneRecordReadingTests {
    static let head = "$TTL 60\n@ SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\n"

    func list(_ body: String, zone: String = "naptr.example", head: String = head) async throws -> [Record] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try await makeLocalZoneClient(head + body, in: directory, domain: zone).listRecords()
    }

    @Test(arguments: [
        (
            "nap NAPTR 50 50 \"S\" \"SIPS+D2T\" \"\" server", "NAPTR",
            "50 50 \"S\" \"SIPS+D2T\" \"\" server.naptr.example."
        ),
        ("rp RP admin info", "RP", "admin.naptr.example. info.naptr.example."),
        ("kx KX 10 kx", "KX", "10 kx.naptr.example."),
        ("afs AFSDB 1 afs", "AFSDB", "1 afs.naptr.example."),
        ("rt RT 1 rt", "RT", "1 rt.naptr.example."),
        ("lp LP 10 lp", "LP", "10 lp.naptr.example."),
        ("px PX 10 a b", "PX", "10 a.naptr.example. b.naptr.example."),
        ("mi MINFO a b", "MINFO", "a.naptr.example. b.naptr.example."),
        ("ta TALINK a b", "TALINK", "a.naptr.example. b.naptr.example."),
        ("n NSEC next A NS", "NSEC", "next.naptr.example. A NS"),
        ("s SVCB 1 svc alpn=h2", "SVCB", "1 svc.naptr.example. alpn=h2"),
        ("s HTTPS 1 . alpn=h2", "HTTPS", "1 . alpn=h2"),
        ("g A \\# 4 0A000001", "A", "10.0.0.1"),
        ("t TYPE1 192.0.2.9", "A", "192.0.2.9"),
        ("c CLASS1 A 192.0.2.10", "A", "192.0.2.10"),
    ])
    func namesInRDataAreAbsolute(line: String, type: RecordType, content: String) async throws {
        let records = try await list(line + "\n")
        #expect(records.filter { $0.type == type && $0.name != "ns.naptr.example" }.map(\.content) == [content])
    }

    @Test func outOfZoneDataIsIgnored() async throws {
        let records = try await list("g.example.net. A 192.0.2.7\n", zone: "example.com")
        #expect(!records.contains { $0.name == "g.example.net" })
    }

    @Test(arguments: [
        // No $TTL: the SOA minimum serves as $TTL.
        ("@ SOA ns host 1 2 3 4 60\n NS ns\nns A 192.0.2.1\nwww 300 A 192.0.2.2\nx A 192.0.2.3\n", "x", 60),
        // An SOA with a TTL: RFC 1035's last TTL.
        ("@ 100 SOA ns host 1 2 3 4 60\n NS ns\nns A 192.0.2.1\nwww 300 A 192.0.2.2\nx A 192.0.2.3\n", "x", 300),
        // A set has its first value's TTL.
        (
            "$TTL 100\n@ SOA ns host 1 2 3 4 60\n NS ns\nns A 192.0.2.1\nx 300 A 192.0.2.2\nx 200 A 192.0.2.3\n", "x",
            300
        ),
    ])
    func ttlsFollowBIND(text: String, name: String, ttl: Int) async throws {
        let records = try await list(text, zone: "example.com", head: "")
        #expect(records.filter { $0.name == "\(name).example.com" }.map(\.ttl).allSatisfy { $0 == ttl })
    }

    @Test func ttlSetInAnIncludeStaysInForce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("inc.db", "$TTL 77\nfoo A 192.0.2.4\n")
        let text = "@ 100 SOA ns host 1 2 3 4 60\n NS ns\nns A 192.0.2.1\n$INCLUDE inc.db\nz A 192.0.2.5\n"
        let client = try makeLocalZoneClient(text, in: directory, domain: "example.com")
        #expect(try await client.listRecords(type: .a, name: "z").map(\.ttl) == [77])
    }

    @Test func aFileWithoutTTLsIsListedButNotEdited() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = "www A 192.0.2.2\n@ SOA ns host 1 2 3 4 60\n NS ns\nns A 192.0.2.1\n"
        let client = try makeLocalZoneClient(text, in: directory, domain: "example.com")
        #expect(try await client.listRecords(type: .a).count == 2)
        do {
            try await client.createRecord(type: .a, name: "new", content: "192.0.2.9")
            Issue.record("a file BIND refuses was edited")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 2)
            #expect(error.message.contains("zone.db:1: no TTL"), "\(error.message)")
        }
        #expect(try directory.read("zone.db") == text)
    }

    @Test func generatedRecordsAreListedAndTheDirectiveKept() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text =
            "$TTL 300\n@ SOA ns.example.com. host.example.com. 1 2 3 4 5\n NS ns.example.com.\n"
            + "$GENERATE 1-3 $ PTR host-$.example.com.\n"
        let client = try makeLocalZoneClient(text, in: directory, domain: "2.0.192.in-addr.arpa")
        #expect(
            try await client.listRecords(type: .ptr).map(\.content).sorted() == [
                "host-1.example.com", "host-2.example.com", "host-3.example.com",
            ])
        do {
            try await client.deleteRecord(type: .ptr, name: "2")
            Issue.record("a generated record was deleted")
        } catch let error as LexiconError {
            #expect(error.message.contains("$GENERATE at"), "\(error.message)")
        }
        try await client.createRecord(type: .ptr, name: "9", content: "other.example.com")
        #expect(try directory.read("zone.db").contains("$GENERATE 1-3 $ PTR host-$.example.com.\n"))
        #expect(try await client.listRecords(type: .ptr).count == 4)
        await expectValidZone(directory.file("zone.db"), zone: "2.0.192.in-addr.arpa")
    }
}

/// Bytes that are not UTF-8 are shown as `\DDD` and kept exactly when an edit rewrites their line.
@Suite("localzone bytes that are not UTF-8")
struct LocalZoneRawBytesTests {
    @Test func keptAsDDDAndWrittenBackExactly() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text =
            "@ 300 SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\n\\242.dyn A 192.0.2.2\n"
            + "x TXT \"a\"\n  TXT \"\\200\\201\" \"ok\"\n"
        let client = try makeLocalZoneClient(text, in: directory, domain: "example.net")
        #expect(try await client.listRecords(type: .a).map(\.name).contains("\\242.dyn.example.net"))
        #expect(try await client.listRecords(type: .txt).map(\.content).contains("\\200\\201ok"))
        // The value after the deleted one took its owner and TTL: its line is written out, its bytes unchanged.
        try await client.deleteRecord(type: .txt, name: "x", content: "a")
        #expect(try directory.read("zone.db").contains("x\t300\tIN\tTXT\t\"\\200\\201ok\""))
        #expect(try await client.listRecords(type: .txt).map(\.content) == ["\\200\\201ok"])
        await expectValidZone(directory.file("zone.db"), zone: "example.net")
    }
}
