import Foundation
import Lexicon
import LexiconTesting
import Testing

@testable import LexiconProviders

/// A zone file with the constructs real zone files contain.
let sampleZone = """
    ; test zone
    $ORIGIN example.com.
    $TTL 3600
    @   IN  SOA ns1.example.com. hostmaster.example.com. (
            2020010100 ; serial
            7200 3600 1209600 300 )
        IN  NS  ns1
        IN  NS  ns2.example.com.
    ns1 IN  A   192.0.2.53
    ns2 IN  A   192.0.2.54
    www 300 IN A 192.0.2.80
        IN  AAAA 2001:DB8::80   ; same owner, omitted
    txt IN  TXT "hello \\"world\\"" "second; part"
    $ORIGIN sub.example.com.
    deep    A   192.0.2.99

    """

func makeLocalZoneClient(_ directory: TemporaryDirectory, domain: String = "example.com", file: String = "zone.db")
    throws -> Client
{
    let config = ConfigResolver().withDict([
        "provider_name": "localzone", "domain": .value(domain),
        "localzone": ["filename": .value(directory.file(file))],
    ])
    return try Client(config: config, registry: .standard)
}

/// Runs named-checkzone on a file; records an issue when it fails or, under LEXICON_REQUIRE_TESTBED=1, is missing.
func expectValidZone(_ path: String, zone: String = "example.com", sourceLocation: SourceLocation = #_sourceLocation)
    async
{
    guard let checker = Testbed.tool("named-checkzone") else {
        if Testbed.isRequired {
            Issue.record(
                "named-checkzone is missing (install bind9-utils/bind9-dnsutils)", sourceLocation: sourceLocation)
        }
        return
    }
    let result = await CommandRunner.run(checker, ["-q", zone, path])
    #expect(
        result.status == 0, "named-checkzone rejected \(path): \(result.stdout)\(result.stderr)",
        sourceLocation: sourceLocation)
}

@Suite("localzone conformance")
struct LocalZoneConformanceTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone)
        let suite = ProviderConformanceSuite(domain: "example.com", unmanagedDomain: "example.org") { domain in
            try makeLocalZoneClient(directory, domain: domain)
        }
        try await suite.run(group)
        await expectValidZone(directory.file("zone.db"))
    }
}

@Suite("localzone zone files")
struct LocalZoneProviderTests {
    @Test func readsEveryConstruct() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone)
        let records = try await makeLocalZoneClient(directory).listRecords()
        let byKey = Dictionary(grouping: records) { "\($0.type) \($0.name)" }
        #expect(byKey["NS example.com"]?.map(\.content).sorted() == ["ns1.example.com", "ns2.example.com"])
        #expect(byKey["A www.example.com"]?.first?.ttl == 300)
        #expect(byKey["AAAA www.example.com"]?.first?.content == "2001:db8::80")
        #expect(byKey["AAAA www.example.com"]?.first?.ttl == 3600)
        #expect(byKey["TXT txt.example.com"]?.first?.content == "hello \"world\"second; part")
        #expect(byKey["A deep.sub.example.com"]?.first?.content == "192.0.2.99")
        #expect(
            byKey["SOA example.com"]?.first?.content.hasPrefix("ns1.example.com hostmaster.example.com 2020010100")
                == true)
        #expect(records.allSatisfy { !$0.name.hasPrefix("@") })
    }

    @Test func unquotedTXTEscapesDecode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "zone.db", sampleZone.replacingOccurrences(of: "$ORIGIN sub", with: "bare TXT a\\065\\;b\n$ORIGIN sub"))
        let records = try await makeLocalZoneClient(directory).listRecords(type: .txt, name: "bare")
        #expect(records.map(\.content) == ["aA;b"])
        await expectValidZone(directory.file("zone.db"))
    }

    @Test func editsKeepUntouchedLinesAndRaiseTheSerial() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone)
        let client = try makeLocalZoneClient(directory)
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token")
        let text = try directory.read("zone.db")
        let before = sampleZone.split(separator: "\n", omittingEmptySubsequences: false)
        let after = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("token") }
        #expect(after.count == before.count)
        let changed = zip(before, after).filter { $0 != $1 }
        #expect(changed.count == 1, "only the serial line changes: \(changed)")
        #expect(changed.first?.1.contains("\(ZoneFile.today())00") == true)
        #expect(text.contains("; test zone") && text.contains("$ORIGIN sub.example.com.") && text.contains("$TTL 3600"))
        #expect(text.contains("_acme-challenge.example.com.\t3600\tIN\tTXT\t\"token\""))
        await expectValidZone(directory.file("zone.db"))
    }

    @Test func deletingAnOwnerKeepsTheNextRecordsOwner() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone)
        let client = try makeLocalZoneClient(directory)
        try await client.deleteRecord(type: .a, name: "www")
        let aaaa = try await client.listRecords(type: .aaaa, name: "www")
        #expect(aaaa.count == 1)
        #expect(try await client.listRecords(type: .a, name: "www").isEmpty)
        #expect(try directory.read("zone.db").contains("www    IN  AAAA 2001:DB8::80"))
        await expectValidZone(directory.file("zone.db"))
    }

    @Test(arguments: [
        (UInt32(2020010100), 2026_01_01, UInt32(2026010100)),
        (2026010105, 2026_01_01, 2026010106),
        (2026010199, 2026_01_01, 2026010200),
        (42, 2026_01_01, 43),
        (UInt32.max, 2026_01_01, 1),
    ])
    func serials(old: UInt32, today: Int, expected: UInt32) {
        #expect(ZoneFile.nextSerial(old, today: today) == expected)
    }

    @Test func includedRecordsAreListedButNotEdited() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("hosts.inc", "included IN A 192.0.2.7\n")
        try directory.write("zone.db", sampleZone + "$INCLUDE hosts.inc example.com.\n")
        let client = try makeLocalZoneClient(directory)
        let included = try await client.listRecords(type: .a, name: "included")
        #expect(included.count == 1)
        await #expect(throws: LexiconError.self) { try await client.deleteRecord(type: .a, name: "included") }
    }

    @Test(arguments: [
        ("www IN A (192.0.2.1\n", "never closed", 1),
        ("www IN TXT \"open\n", "not closed", 1),
        ("www IN A 300.1.1.1\n", "not a valid A", 1),
        ("$FOO bar\n", "unknown directive", 1),
        ("www IN MX mail\n", "takes 2 fields", 1),
        // Escapes follow one rule quoted or not, as named-checkzone does: no silent truncation of \999.
        ("www IN TXT \"abc\\999\"\n", "above 255", 1),
        ("www IN TXT abc\\999\n", "above 255", 1),
        ("www IN TXT abc\\12x\n", "three digits", 1),
        ("www IN TXT abc\\\n", "backslash ends the line", 1),
    ])
    func syntaxErrorsNameTheLineAndChangeNothing(extra: String, message: String, lineOffset: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = sampleZone + extra
        try directory.write("zone.db", text)
        let client = try makeLocalZoneClient(directory)
        let line = sampleZone.split(separator: "\n", omittingEmptySubsequences: false).count - 1 + lineOffset
        do {
            try await client.createRecord(type: .a, name: "new", content: "192.0.2.1")
            Issue.record("a broken zone file was accepted")
        } catch let error as LexiconError {
            #expect(error.message.contains("zone.db:\(line):"), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.code.exitStatus == 2)
        }
        #expect(try directory.read("zone.db") == text)
    }

    @Test func readOnlyAndMissingFilesChangeNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone, mode: 0o444)
        let client = try makeLocalZoneClient(directory)
        await #expect(throws: LexiconError.self) {
            try await client.createRecord(type: .a, name: "new", content: "192.0.2.1")
        }
        #expect(try directory.read("zone.db") == sampleZone)
        let missing = try makeLocalZoneClient(directory, file: "absent.db")
        do {
            _ = try await missing.listRecords()
            Issue.record("a missing zone file was accepted")
        } catch let error as LexiconError {
            #expect(error.message.contains("does not exist"))
        }
    }

    @Test func cnameConflictsAreRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone)
        let client = try makeLocalZoneClient(directory)
        await #expect(throws: LexiconError.self) {
            try await client.createRecord(type: .cname, name: "www", content: "elsewhere.example.net")
        }
        #expect(try directory.read("zone.db") == sampleZone)
    }

    @Test func lastApexNSCannotBeDeleted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("zone.db", sampleZone)
        let client = try makeLocalZoneClient(directory)
        await #expect(throws: LexiconError.self) { try await client.deleteRecord(type: .ns, name: "@") }
        try await client.deleteRecord(type: .ns, name: "@", content: "ns2.example.com")
        #expect(try await client.listRecords(type: .ns).count == 1)
        await expectValidZone(directory.file("zone.db"))
    }
}
