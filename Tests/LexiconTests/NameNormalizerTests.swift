import Lexicon
import Testing

@Suite("name normalisation")
struct NameNormalizerTests {
    let names = try! NameNormalizer(zone: "Example.COM.")

    @Test(arguments: [
        ("www", "www.example.com"),
        ("WWW", "www.example.com"),
        ("www.example.com", "www.example.com"),
        ("www.example.com.", "www.example.com"),
        ("WWW.Example.Com.", "www.example.com"),
        ("@", "example.com"),
        ("", "example.com"),
        ("example.com", "example.com"),
        ("example.com.", "example.com"),
        ("_acme-challenge.test", "_acme-challenge.test.example.com"),
        ("*.wild", "*.wild.example.com"),
        ("bücher", "xn--bcher-kva.example.com"),
        ("BÜCHER.example.com", "xn--bcher-kva.example.com"),
    ])
    func absolute(input: String, expected: String) throws {
        #expect(try names.absolute(input) == expected)
    }

    @Test(arguments: [
        "www.myexample.com", "myexample.com.", "www.example.org.", "with space", "a..b", "ex*ample",
        String(repeating: "a", count: 64), "tab\there",
    ])
    func rejected(input: String) {
        #expect(throws: LexiconError.self) { try names.absolute(input) }
    }

    @Test func outsideTheZoneSaysSo() {
        do {
            _ = try names.absolute("www.myexample.com")
            Issue.record("accepted a name outside the zone")
        } catch let error as LexiconError {
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("outside the zone example.com"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func relative() {
        #expect(names.relative("www.example.com") == "www")
        #expect(names.relative("example.com") == "@")
        #expect(names.relative("other.net") == "other.net.")
        #expect(!names.contains("myexample.com"))
    }
}

@Suite("zone resolution")
struct ZoneResolverTests {
    @Test(
        arguments: [
            ("example.com", nil, "example.com"),
            ("www.example.com", nil, "example.com"),
            ("_acme-challenge.www.example.co.uk", nil, "example.co.uk"),
            ("www.example.com", "sub", "sub.example.com"),
            ("www.example.com", "sub.example.com", "sub.example.com"),
            ("www.example.com", "sub.example.com.", "sub.example.com"),
            ("host.example.test", nil, "example.test"),
        ] as [(String, String?, String)])
    func zones(domain: String, delegated: String?, expected: String) throws {
        #expect(try ZoneResolver.zone(for: domain, delegated: delegated) == expected)
    }

    @Test func publicSuffixIsNotADomain() {
        #expect(throws: LexiconError.self) { try ZoneResolver.zone(for: "co.uk") }
    }
}
