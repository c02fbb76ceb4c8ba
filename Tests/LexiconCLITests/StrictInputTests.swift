import Foundation
import Lexicon
import LexiconTesting
import Testing

/// Record types and bytes the command line refuses before any I/O (status 2, one line, the zone file unchanged),
/// and every type it writes, checked by BIND.
@Suite("strict input")
struct StrictInputTests {
    @Test(
        arguments: [
            ("BOGUS", "192.0.2.1", "unknown record type \"BOGUS\""),
            ("WKS", "x", "WKS is obsolete"),
            ("TYPE99999", "x", "TYPE99999 is out of range"),
            ("TYPE0", "\\# 0", "reserved"),
            ("TYPE65535", "\\# 0", "reserved"),
            ("AXFR", "x", "query or meta type"),
            ("OPT", "x", "query or meta type"),
            ("TYPE250", "x", "query or meta type"),
            ("ANY", "x", "query or meta type"),
            ("RRSIG", "\\# 3 abcdef", "does not write RRSIG"),
            ("TYPE46", "\\# 3 abcdef", "does not write RRSIG"),
            ("TYPE65534", "abcd", "generic form"),
            ("TYPE65534", "\\# 3 abcd", "says 3 bytes but has 2"),
            ("TYPE65534", "\\# 2 abzz", "not hexadecimal"),
            ("LOC", "52 22 23 X 4 53 32 E 10m", "hemisphere"),
            ("DS", "60485 5 2 2BB183AF5F22588179A53B0A98631FAD1A292118", "digest type 2 has 32"),
            ("SSHFP", "1 1 abc", "hexadecimal"),
            ("DNSKEY", "256 3 8 not*base64", "Base64"),
            ("NAPTR", "10 100 \"s\" \"SIP+D2U\" \"\"", "lacks its names"),
            ("HTTPS", "1 . bogus=1", "where a parameter"),
            ("SVCB", "0 svc.example.net port=443", "alias mode"),
            ("URI", "10 1", "lacks its text fields"),
        ] as [(String, String, String)])
    func refusedTypesChangeNothing(type: String, content: String, message: String) async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let before = try cli.zoneText()
        let result = await cli.run([
            "localzone", "create", "example.com", type, "--name", "x", "--content", content, "--filename",
            "example.com.zone",
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try cli.zoneText() == before)
    }

    /// Every type the contract writes, in the syntax its content check accepts, loads in BIND.
    @Test func everyWritableTypeLoadsInBIND() async throws {
        guard Testbed.shouldRun(needing: "named-checkzone") else { return }
        let cli = try CLI()
        defer { cli.directory.remove() }
        let records: [(type: String, content: String)] =
            [
                ("A", "192.0.2.1"), ("AAAA", "2001:db8::1"), ("CNAME", "target.example.net"),
                ("MX", "10 mail.example.com"), ("NS", "ns2.example.net"), ("TXT", "text \"quoted\""),
                ("SRV", "10 5 5060 sip.example.com"), ("CAA", "0 issue \"letsencrypt.org\""),
                ("PTR", "host.example.com"),
                ("TYPE1", "192.0.2.9"), ("TYPE1000", "\\# 0"),
            ] + RecordTypeSamples.checkedTypes
        for (type, content) in records {
            let result = await cli.run([
                "localzone", "create", "example.com", type, "--name", "t-" + type.lowercased(), "--content", content,
                "--filename", "example.com.zone", "--output", "QUIET",
            ])
            #expect(result.status == 0, "\(type) \(content): \(result.stderr)")
        }
        let check = await CommandRunner.run(
            Testbed.tool("named-checkzone") ?? "named-checkzone", ["example.com", cli.zone])
        let zone = try cli.zoneText()
        #expect(check.status == 0, "\(check.stdout)\n\(zone)")
        #expect(zone.contains("t-type65534\t3600\tIN\tTYPE65534\t\\# 2 abcd"))
        #expect(zone.contains("t-type1\t3600\tIN\tA\t192.0.2.9"))
        let list = await cli.run(["localzone", "list", "example.com", "ANY", "--filename", "example.com.zone"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("TYPE65534"))
    }

    @Test func listTakesAnyAndKnownTypes() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        for type in ["ANY", "any", "RRSIG", "TYPE65534", "A"] {
            let result = await cli.run(["localzone", "list", "example.com", type, "--filename", "example.com.zone"])
            #expect(result.status == 0, "\(type): \(result.stderr)")
        }
    }

    /// Hosted APIs take only the types they name: generic data is refused before any request.
    @Test func genericDataNeedsAProviderThatStoresIt() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let result = await cli.run([
            "cloudflare", "create", "example.com", "TYPE65534", "--name", "x", "--content", "\\# 2 abcd",
            "--auth-token", "t", "--api-endpoint", "http://127.0.0.1:9",
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("generic data needs localzone"), "\(result.stderr)")
    }

    /// Bytes that are not UTF-8 in an argument or in a `LEXICON_` variable: status 2, nothing written (they used to
    /// become U+FFFD, and `--name $'\xff\xfe'` created `xn--zn7ca`).
    @Test(
        arguments: [
            (
                "exec \"$0\" localzone create example.com A --name \"$(printf '\\377\\376')\" --content 192.0.2.1 --filename example.com.zone",
                "the value of --name (\"\\xff\\xfe\") is not valid UTF-8"
            ),
            (
                "exec \"$0\" localzone create example.com A --name=\"$(printf 'a\\377')\" --content 192.0.2.1 --filename example.com.zone",
                "is not valid UTF-8"
            ),
            (
                "LEXICON_LOCALZONE_FILENAME=\"$(printf 'example.com.zone\\377')\" exec \"$0\" localzone create example.com A --name a --content 192.0.2.1",
                "the environment variable LEXICON_LOCALZONE_FILENAME is not valid UTF-8"
            ),
            (
                "LEXICON_CLOUDFLARE_AUTH_TOKEN=\"$(printf 'secret\\377')\" exec \"$0\" localzone create example.com A --name a --content 192.0.2.1 --filename example.com.zone",
                "LEXICON_CLOUDFLARE_AUTH_TOKEN is not valid UTF-8"
            ),
            (
                "exec \"$0\" localzone create example.com A --name a --content 192.0.2.1 --filename example.com.zone --auth-token \"$(printf 'secret\\377')\"",
                "the value of --auth-token is not valid UTF-8"
            ),
        ] as [(String, String)])
    func bytesThatAreNotUTF8AreRefused(script: String, message: String) async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let before = try cli.zoneText()
        let result = await CommandRunner.run(
            "/bin/sh", ["-c", script, Testbed.lexiconBinary], directory: cli.directory.path)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("secret"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try cli.zoneText() == before)
    }
}
