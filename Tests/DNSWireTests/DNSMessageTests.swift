import DNSWire
import Lexicon
import Testing

@Suite("DNS message codec")
struct DNSMessageTests {
    @Test func queryEncodesToGoldenBytes() throws {
        var message = DNSMessage(id: 0x1234)
        message.recursionDesired = true
        message.questions = [DNSMessage.Question(name: try DNSName("www.Example.com"), type: .aaaa)]
        #expect(
            message.encoded() == [
                0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                3, 0x77, 0x77, 0x77, 7, 0x45, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 3, 0x63, 0x6f, 0x6d, 0, 0, 28, 0, 1,
            ])
    }

    @Test func compressedAnswerDecodes() throws {
        // A response for example.com MX: the answer's owner and exchange use pointers to the question name.
        let bytes: [UInt8] = [
            0xAB, 0xCD, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0,
            7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 3, 0x63, 0x6f, 0x6d, 0, 0, 15, 0, 1,
            0xC0, 12, 0, 15, 0, 1, 0, 0, 0x0E, 0x10, 0, 9, 0, 10, 4, 0x6d, 0x61, 0x69, 0x6c, 0xC0, 12,
        ]
        let message = try DNSMessage(decoding: bytes)
        #expect(message.id == 0xABCD && message.isResponse && message.isAuthoritative)
        #expect(message.answers.count == 1)
        #expect(message.answers[0].name.bare == "example.com")
        #expect(message.answers[0].ttl == 3600)
        #expect(message.answers[0].rdataText == "10 mail.example.com.")
        // RDATA is stored uncompressed, so it can be re-sent anywhere.
        #expect(message.answers[0].rdata == [0, 10] + (try DNSName("mail.example.com")).wire)
    }

    @Test func roundTripKeepsEverySection() throws {
        var message = DNSMessage(id: 7, opcode: DNSMessage.update)
        message.questions = [DNSMessage.Question(name: try DNSName("example.test"), type: .soa)]
        message.answers = [
            DNSResourceRecord(name: try DNSName("a.example.test"), type: .a, ttl: 60, rdata: [192, 0, 2, 1])
        ]
        message.authority = [
            DNSResourceRecord(
                name: try DNSName("b.example.test"), type: .txt, ttl: 300,
                rdata: try RDataText.parse(type: .txt, text: #""one" "two \"quoted\"""#))
        ]
        let decoded = try DNSMessage(decoding: message.encoded())
        #expect(decoded == message)
        #expect(decoded.authority[0].rdataText == #""one" "two \"quoted\"""#)
    }

    @Test(arguments: [
        ("A", "192.0.2.1"), ("AAAA", "2001:db8::1"), ("CNAME", "target.example."), ("MX", "10 mail.example."),
        ("NS", "ns1.example."), ("PTR", "host.example."), ("SRV", "10 5 5060 sip.example."),
        ("CAA", "0 issue \"letsencrypt.org\""), ("TXT", "\"a\" \"b c\""),
        ("SOA", "ns1.example. hostmaster.example. 2024010101 3600 600 86400 300"), ("TYPE65534", "\\# 3 0a0b0c"),
        ("SSHFP", "\\# 2 0102"),
    ])
    func presentationRoundTrips(_ type: String, _ text: String) throws {
        let dnsType = try #require(DNSType(mnemonic: type))
        let rdata = try RDataText.parse(type: dnsType, text: text)
        #expect(RDataText.format(type: dnsType, rdata: rdata) == text)
    }

    @Test func presentationEscapesBytesOutsidePrintableASCII() throws {
        // DNS presentation (as dig prints it) writes UTF-8 and control bytes as \DDD; the record contract's
        // TXTPresentation keeps UTF-8 and escapes only control bytes, quotes and backslashes.
        let bytes = Array("é\t\"\\".utf8)
        let rdata = [UInt8(bytes.count)] + bytes
        #expect(RDataText.format(type: .txt, rdata: rdata) == #""\195\169\009\"\\""#)
        #expect(try RDataText.parse(type: .txt, text: #""\195\169\009\"\\""#) == rdata)
        #expect(TXTPresentation.encode("é\t\"\\") == #""é\009\"\\""#)
        #expect(TXTPresentation.decode(#""é\009\"\\""#) == "é\t\"\\")
        // Unquoted words: TXT content decodes their escapes; names keep them for DNSName, which reads `\.` as a dot
        // inside a label.
        #expect(TXTPresentation.decode(#"a\065b "c d""#) == "aAbc d")
        #expect(
            try RDataText.parse(type: .cname, text: #"a\.b.example."#) == [3] + Array("a.b".utf8) + [7]
                + Array("example".utf8) + [0])
        #expect(TXTPresentation.decode(#"a\999"#) == nil)
        #expect(TXTPresentation.decode(#""open"#) == nil)
        #expect(throws: DNSWireError.self) { try RDataText.parse(type: .txt, text: #""a\999""#) }
    }

    @Test func badPresentationIsAnError() {
        #expect(throws: DNSWireError.self) { try RDataText.parse(type: .a, text: "256.1.1.1") }
        #expect(throws: DNSWireError.self) { try RDataText.parse(type: .aaaa, text: "192.0.2.1") }
        #expect(throws: DNSWireError.self) { try RDataText.parse(type: .mx, text: "mail.example.") }
        #expect(throws: DNSWireError.self) { try RDataText.parse(type: .txt, text: "\"open") }
        #expect(throws: DNSWireError.self) { try RDataText.parse(type: .txt, text: String(repeating: "x", count: 256)) }
        #expect(throws: DNSWireError.self) { try RDataText.parse(type: DNSType(rawValue: 999), text: "\\# 2 01") }
        #expect(throws: DNSWireError.self) { try DNSName(String(repeating: "a", count: 64) + ".example") }
        #expect(throws: DNSWireError.self) { try DNSName("a..b") }
    }

    @Test func malformedMessagesAreErrorsNotTraps() {
        let loop: [UInt8] = [0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: loop) }
        let forward: [UInt8] = [0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0, 1, 0, 1]
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: forward) }
        let short: [UInt8] = [0, 1, 0x80]
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: short) }
        let hugeCounts: [UInt8] = [0, 1, 0x80, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0]
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: hugeCounts) }
        let badLength: [UInt8] = [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 9, 1, 2, 3, 4]
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: badLength) }
        let labelType: [UInt8] = [0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1]
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: labelType) }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...80, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count > 12 { bytes[4] = 0; bytes[5] = 1 }
            _ = try? DNSMessage(decoding: bytes)
        }
    }

    @Test func namesCompareWithoutCaseAndInCanonicalOrder() throws {
        #expect(try DNSName("WWW.example.COM.") == DNSName("www.example.com"))
        #expect(try DNSName("a.example") < DNSName("b.example"))
        #expect(try DNSName("z.a.example") < DNSName("b.example"))
        #expect(try DNSName("x.Example.com").isSubdomain(of: DNSName("example.COM")))
        #expect(try !DNSName("myexample.com").isSubdomain(of: DNSName("example.com")))
        #expect(try DNSName("a\\.b.example").labels.count == 2)
        #expect(try DNSName("a\\.b.example").description == "a\\.b.example.")
    }
}
