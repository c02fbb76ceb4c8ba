import Lexicon
import Testing

@Suite("record types")
struct RecordTypeTests {
    @Test(
        arguments: [
            ("a", "A"), ("Https", "HTTPS"), ("TYPE1", "A"), ("type257", "CAA"), ("TYPE65534", "TYPE65534"),
            ("TYPE00065534", "TYPE65534"), ("NSAP-PTR", "NSAP-PTR"),
        ] as [(String, String)])
    func parsesKnownTypes(text: String, expected: String) throws {
        #expect(try RecordType.parse(text).rawValue == expected)
    }

    @Test(
        arguments: [
            ("BOGUS", "unknown record type"), ("", "unknown record type"), ("TYPE", "unknown record type"),
            ("TYPE99999", "out of range"), ("TYPE123456789012", "out of range"), ("TYPE0", "reserved"),
            ("TYPE65535", "reserved"), ("WKS", "obsolete"), ("MD", "obsolete"), ("TYPE11", "obsolete"),
            ("OPT", "query or meta"), ("TKEY", "query or meta"), ("TSIG", "query or meta"), ("IXFR", "query or meta"),
            ("AXFR", "query or meta"), ("MAILB", "query or meta"), ("MAILA", "query or meta"),
            ("ANY", "query or meta"), ("TYPE200", "query or meta"),
        ] as [(String, String)])
    func refusesOthers(text: String, message: String) {
        #expect {
            try RecordType.parse(text)
        } throws: { error in
            guard let error = error as? LexiconError else { return false }
            return error.code == .invalidInput && error.message.contains(message)
        }
    }

    @Test func zoneFileTokensKeepTheirSpellingWithin16Bits() {
        #expect(RecordType(token: "eui48")?.rawValue == "EUI48")
        #expect(RecordType(token: "TYPE65535")?.rawValue == "TYPE65535")
        #expect(RecordType(token: "TYPE65536") == nil)
        #expect(RecordType(token: "TYPEX")?.rawValue == "TYPEX")
        #expect(RecordType(token: "1A") == nil)
    }

    @Test func codesAgreeBothWays() {
        #expect(RecordType("SVCB").code == 64)
        #expect(RecordType("TYPE65534").code == 65_534)
        #expect(RecordType("BOGUS").code == nil)
        for (name, code) in RecordType.codes { #expect(RecordType.mnemonics[code] == name) }
    }

    @Test(
        arguments: [
            ("TYPE65534", "\\# 2 AB cd", "\\# 2 abcd"), ("TYPE1000", "\\# 0", "\\# 0"),
            ("LOC", "52  22 23.000 N 4 53 32 E -2m", "52 22 23.000 N 4 53 32.000 E -2.00m 1.00m 10000.00m 10.00m"),
            ("LOC", "51 30 s 0 7 w 10.5 20m 0.01", "51 30 0.000 S 0 7 0.000 W 10.50m 20.00m 0.01m 10.00m"),
            ("LOC", "90 N 180 E -100000m", "90 0 0.000 N 180 0 0.000 E -100000.00m 1.00m 10000.00m 10.00m"),
            (
                "NAPTR", "10 100 S SIP+D2U \"\" _SIP._udp.Example.com",
                "10 100 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.com."
            ),
            (
                "DS", "60485 5 1 2BB183AF5F22588179A5 3B0A98631FAD1A292118",
                "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118"
            ),
            ("HTTPS", "1 . ALPN=\"h2,h3\"", "1 . alpn=h2,h3"),
            ("SVCB", "1 svc.example.net key65000=abc key9=\"x\"", "1 svc.example.net. key9=\"x\" key65000=\"abc\""),
            ("SVCB", "0 Svc.Example.net.", "0 svc.example.net."),
            ("RP", "admin.example.com .", "admin.example.com. ."), ("HINFO", "PC Linux", "\"PC\" \"Linux\""),
            ("SPF", "v=spf1 -all", "v=spf1 -all"),
        ] as [(String, String, String)])
    func normalisesPresentationContent(type: String, content: String, expected: String) throws {
        #expect(try RecordContent.normalize(type: RecordType(rawValue: type), content: content).content == expected)
    }

    @Test(
        arguments: [
            ("TYPE65534", "abcd", "generic form"), ("TYPE65534", "\\# 2 abc", "says 2 bytes but has 1.5"),
            ("TYPE65534", "\\# x", "needs a length"), ("TYPE65534", "\\# 70000 00", "needs a length"),
            ("LOC", "91 N 0 E 0m", "degrees"), ("LOC", "52 N 181 E 0m", "degrees"), ("LOC", "52 N 4 E", "altitude"),
            ("LOC", "52 60 N 4 E 0m", "minutes"), ("LOC", "52 N 4 E 0m 1m 1m 1m 1m", "too many"),
            ("LOC", "52 N 4 E 0m 15m", "one digit times a power of ten"), ("LOC", "90 1 N 4 E 0m", "past 90"),
            ("LOC", "52 N 4 E 0.001m", "altitude"), ("LOC", "52 1 60.5 N 4 E 0m", "seconds"),
            ("A", "\\# 4 c0000201", "not an IPv4"), ("SSHFP", "1 1 \\# 2 abcd", "hexadecimal"),
            ("TLSA", "3 1 1 abcd", "digest type 1 has 32"), ("HTTPS", "1 . port=443 port=80", "twice"),
            ("HTTPS", "1 . key3=443", "write it as port"),
            ("HTTPS", "1 . alpn=\"a b\"", "blank"), ("AFSDB", "1 a.example.com extra", "too many"),
            ("DNSKEY", "256 3 8 abc", "Base64"), ("NAPTR", "10 100 \"s\" \"x\" \"y", "unclosed quote"),
        ] as [(String, String, String)])
    func refusesBadPresentationContent(type: String, content: String, message: String) {
        #expect {
            try RecordContent.normalize(type: RecordType(rawValue: type), content: content)
        } throws: { error in
            (error as? LexiconError)?.message.contains(message) == true
        }
    }

    @Test func typesWithoutACheckedSyntaxAreNotWritten() {
        #expect(RecordContent.writeRefusal("RRSIG")?.contains("does not write RRSIG") == true)
        #expect(RecordContent.writeRefusal("TYPE65534") == nil)
        #expect(RecordContent.writeRefusal("TYPE65534", genericTypes: false)?.contains("generic data") == true)
        #expect(RecordContent.writeRefusal("HTTPS", genericTypes: false) == nil)
    }

    @Test func displayTextEscapesAndClips() {
        #expect(DisplayText.escaped([0xff, 0xfe]) == "\\xff\\xfe")
        #expect(DisplayText.escaped(Array("a\nb\t\u{7}é".utf8)) == "a\\nb\\t\\u0007é")
        #expect(DisplayText.escaped(Array(repeating: UInt8(ascii: "x"), count: 100), limit: 80).count == 81)
        #expect(DisplayText.escaped(Array("<html>\r\n".utf8)) == "<html>\\r\\n")
    }
}
