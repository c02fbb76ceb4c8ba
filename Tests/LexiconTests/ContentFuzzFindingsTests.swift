import Lexicon
import Testing

/// Record content `scripts/fuzz generic` found, kept as regular tests.
@Suite("fuzz findings: record content")
struct ContentFuzzFindingsTests {
    /// An SVCB/HTTPS value is written unquoted (`alpn=h2,h3`), so `;` started a comment and parentheses joined lines
    /// in the zone file localzone wrote: `1 . alpn=h;2,h3 port=443` re-read as `1 . alpn=h`. Such values are refused.
    /// And control characters, which the zone file holds only escaped (`key65000="ab\0c"` re-read as `ab\000c`).
    @Test(arguments: [
        "1 . alpn=h;2,h3 port=443", "1 . alpn=h(2", "1 . alpn=h2) port=443", "1 . key65000=\"a;b\"",
        "1 . key65000=\"ab\u{0}c\"", "1 . alpn=h2\u{1}",
    ])
    func serviceParameterValuesHoldNoZoneSyntax(_ content: String) {
        #expect(throws: LexiconError.self) { try RecordContent.normalize(type: "HTTPS", content: content) }
    }

    /// A CR LF is one Swift Character, equal to neither "\n" nor "\r", so `0 issue "er\r\n"` passed the line-break
    /// check and was written into a zone file that then did not parse.
    @Test(arguments: [(RecordType.caa, "0 issue er\r\n"), ("HTTPS", "1 . alpn=h2\r\n"), ("HINFO", "\"a\r\nb\" \"c\"")])
    func crlfIsALineBreak(type: RecordType, content: String) {
        #expect(throws: LexiconError.self) { try RecordContent.normalize(type: type, content: content) }
    }

    /// A quote followed by a combining mark is one Character, equal to no quote: `port=4"\u{31F}…` passed and left an
    /// unclosed quote in the zone file; CAA values had the same hole.
    @Test(arguments: [
        (RecordType("HTTPS"), "1 . port=4\"\u{31F}3"), (.caa, "0 issue \"a\"\u{31F}b\""),
        ("SVCB", "1 . alpn=h2;\u{301}"),
    ])
    func quoteWithCombiningMarkIsAQuote(type: RecordType, content: String) {
        #expect(throws: LexiconError.self) { try RecordContent.normalize(type: type, content: content) }
    }

    @Test func plainServiceParametersStillPass() throws {
        #expect(
            try RecordContent.normalize(type: "SVCB", content: "1 svc.example.com. alpn=\"h2,h3\" port=443").content
                == "1 svc.example.com. alpn=h2,h3 port=443")
    }
}
