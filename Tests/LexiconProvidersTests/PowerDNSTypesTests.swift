import Lexicon
import LexiconTesting
import Testing

/// Every type the contract writes, in the form its content check gives, is taken by a real PowerDNS and lists back
/// the same.
@Suite("powerdns writes every checked type")
struct PowerDNSTypesTests {
    @Test func everyWritableTypeRoundTrips() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("types.example")
        let client = try powerDNSClient(server, domain: "types.example")
        let records: [(RecordType, String)] = [
            ("LOC", "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"), ("LOC", "51 30 N 0 7 W 10m"),
            ("SPF", "v=spf1 -all"),
            ("DNAME", "other.example.net"),
            ("NAPTR", "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" ."),
            ("SSHFP", "4 2 " + String(repeating: "ab", count: 32)),
            ("TLSA", "3 1 1 " + String(repeating: "0a", count: 32)),
            ("SMIMEA", "3 1 2 " + String(repeating: "0b", count: 64)),
            ("DS", "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118"),
            ("CDS", "60485 8 2 " + String(repeating: "12", count: 32)),
            (
                "DNSKEY",
                "256 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk="
            ),
            (
                "CDNSKEY",
                "257 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk="
            ),
            ("OPENPGPKEY", "mQINBFit2jsBEADrbl5vjVxYeAE0g0IDYCBpHirv1Sjlqxx5gjtPhb2YhvyDMXjq"),
            ("HTTPS", "1 . alpn=h2,h3 port=443 ipv4hint=192.0.2.1"), ("SVCB", "0 svc.example.net"),
            ("URI", "10 1 \"https://www.example.com/\""), ("HINFO", "\"PC\" \"Linux\""),
            ("RP", "admin.example.com txt.example.com"), ("AFSDB", "1 afsdb.example.com"), ("TYPE65534", "\\# 2 abcd"),
        ]
        for (type, content) in records {
            // PowerDNS takes DNSKEY records only at the apex.
            let name = type.rawValue.hasSuffix("DNSKEY") ? "@" : "t-" + type.rawValue.lowercased()
            do {
                try await client.createRecord(type: type, name: name, content: content)
                let listed = try await client.listRecords(type: type, name: name)
                let expected = try RecordContent.normalize(type: type, content: content).content
                #expect(listed.map(\.content).contains(expected), "\(type): \(listed.map(\.content))")
            } catch {
                Issue.record("\(type) \(content): \(error)")
            }
        }
    }
}
