import Lexicon
import Testing

@Suite("public suffix list")
struct PublicSuffixListTests {
    // The list's own test vectors (checkPublicSuffix), plus private-section and case cases.
    @Test(
        arguments: [
            ("example.com", "example.com"), ("b.example.com", "example.com"), ("a.b.example.com", "example.com"),
            ("uk.com", nil), ("example.uk.com", "example.uk.com"), ("a.example.uk.com", "example.uk.com"),
            ("test.ac", "test.ac"), ("mm", nil), ("c.mm", nil), ("b.c.mm", "b.c.mm"),
            ("test.jp", "test.jp"), ("www.test.jp", "test.jp"), ("ac.jp", nil), ("test.ac.jp", "test.ac.jp"),
            ("www.test.ac.jp", "test.ac.jp"), ("kyoto.jp", nil), ("test.kyoto.jp", "test.kyoto.jp"),
            ("ide.kyoto.jp", nil), ("b.ide.kyoto.jp", "b.ide.kyoto.jp"), ("a.b.ide.kyoto.jp", "b.ide.kyoto.jp"),
            ("c.kobe.jp", nil), ("b.c.kobe.jp", "b.c.kobe.jp"), ("a.b.c.kobe.jp", "b.c.kobe.jp"),
            ("city.kobe.jp", "city.kobe.jp"), ("www.city.kobe.jp", "city.kobe.jp"),
            ("example.co.uk", "example.co.uk"), ("www.example.co.uk", "example.co.uk"),
            ("foo.github.io", "foo.github.io"), ("example.notatld", "example.notatld"),
            ("WWW.Example.COM.", "example.com"), ("com", nil), ("", nil),
            ("xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"),
        ] as [(String, String?)])
    func registrableDomain(domain: String, expected: String?) {
        #expect(PublicSuffixList.embedded.registrableDomain(of: domain) == expected)
    }

    @Test func suffixes() {
        #expect(PublicSuffixList.embedded.publicSuffix(of: "www.example.co.uk") == "co.uk")
        #expect(PublicSuffixList.embedded.publicSuffix(of: "example.test") == "test")
    }

    @Test func customRules() {
        let list = PublicSuffixList(rules: "// comment\ncom\n*.ck\n!www.ck\n")
        #expect(list.registrableDomain(of: "a.b.ck") == "a.b.ck")
        #expect(list.registrableDomain(of: "www.ck") == "www.ck")
        #expect(list.registrableDomain(of: "x.www.ck") == "www.ck")
    }
}
