import Lexicon
import Testing

@Suite("record content")
struct RecordContentTests {
    @Test(arguments: [
        (RecordType.a, "192.0.2.1", "192.0.2.1"),
        (.aaaa, "2001:DB8:0:0::1", "2001:db8::1"),
        (.cname, "Target.Example.com.", "target.example.com"),
        (.ns, "ns1.example.net", "ns1.example.net"),
        (.srv, "10 5 5060 SIP.example.com.", "10 5 5060 sip.example.com"),
        (.caa, "0 ISSUE letsencrypt.org", "0 issue \"letsencrypt.org\""),
        (.txt, "  spaces kept \"quoted\" ", "  spaces kept \"quoted\" "),
    ])
    func normalises(type: RecordType, content: String, expected: String) throws {
        #expect(try RecordContent.normalize(type: type, content: content).content == expected)
    }

    @Test(arguments: [
        (RecordType.aaaa, "192.0.2.1", "use type A"),
        (.a, "2001:db8::1", "use type AAAA"),
        (.a, "192.0.2", "not an IPv4"),
        (.cname, "has space.example.com", "whitespace"),
        (.mx, "mail.example.com", "needs a priority"),
        (.srv, "10 5 sip.example.com", "priority weight port target"),
        (.caa, "0 issue", "should be like"),
    ])
    func rejects(type: RecordType, content: String, message: String) {
        do {
            _ = try RecordContent.normalize(type: type, content: content)
            Issue.record("accepted \(type) \(content)")
        } catch let error as LexiconError {
            #expect(error.code == .invalidInput)
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func mxPriority() throws {
        let split = try RecordContent.normalize(type: .mx, content: "10 mail.example.com")
        #expect(split.content == "mail.example.com" && split.priority == 10)
        let flag = try RecordContent.normalize(type: .mx, content: "mail.example.com", priority: 5)
        #expect(flag.priority == 5)
        #expect(throws: LexiconError.self) {
            try RecordContent.normalize(type: .mx, content: "10 mail.example.com", priority: 20)
        }
    }

    @Test func txtSizeLimit() throws {
        let limit = RecordContent.maximumTXTBytes
        #expect(limit == 65_279)
        _ = try RecordContent.normalize(type: .txt, content: String(repeating: "a", count: limit))
        #expect(throws: LexiconError.self) {
            try RecordContent.normalize(type: .txt, content: String(repeating: "a", count: 65 * 1024 + 1))
        }
    }

    @Test(arguments: ["-5", "abc", "99999999999", "", "1.5", "2147483648"])
    func badTTL(text: String) {
        #expect(throws: LexiconError.self) { try RecordContent.ttl(text) }
    }

    @Test func goodTTL() throws {
        #expect(try RecordContent.ttl("0") == 0)
        #expect(try RecordContent.ttl("2147483647") == 2_147_483_647)
    }

    @Test func stableIDsIgnoreTheTTL() {
        let first = Record(type: .txt, name: "a.example.com", ttl: 60, content: "x")
        let second = Record(type: .txt, name: "a.example.com", ttl: 3600, content: "x")
        let other = Record(type: .txt, name: "a.example.com", ttl: 60, content: "y")
        #expect(first.id == second.id)
        #expect(first.id != other.id)
        #expect(first.id.count == 16)
    }

    @Test func unknownTypes() throws {
        #expect(try RecordType.parse("txt") == .txt)
        #expect(try RecordType.parse("TYPE65534").rawValue == "TYPE65534")
        #expect(throws: LexiconError.self) { try RecordType.parse("not a type") }
        #expect(throws: LexiconError.self) { try RecordType.parse("1A") }
    }
}
