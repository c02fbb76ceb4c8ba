import Lexicon
import Testing

@Suite("IDNA")
struct IDNATests {
    @Test(arguments: [
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.Example.", "xn--bcher-kva.example."),
        ("münchen.de", "xn--mnchen-3ya.de"),
        // RFC 3492 §7.1 (B) Chinese (simplified) and (L).
        ("他们为什么不说中文", "xn--ihqwcrb4cv8a8dqg056pqjye"),
        ("3年b組金八先生", "xn--3b-ww4c5e180e575a65lsy2b"),
        // (A) Arabic (Egyptian).
        ("ليهمابتكلموشعربي؟", "xn--egbpdaj6bu4bxfgehfvwxn"),
        ("plain-ascii.example", "plain-ascii.example"),
    ])
    func roundTrip(unicode: String, ascii: String) throws {
        #expect(try IDNA.toASCII(unicode) == ascii)
        #expect(IDNA.toUnicode(ascii) == unicode.lowercased())
    }

    @Test(arguments: ["xn--", "xn--99999999999999", "xn--zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "xn--a-ecp.ru", "xn--ñ"])
    func badLabelsNeverTrap(label: String) {
        _ = IDNA.toUnicode(label)
    }

    @Test func tooLongLabelIsAnError() {
        #expect(throws: IDNAError.self) { try IDNA.toASCII(String(repeating: "ü", count: 60)) }
    }
}
