import Lexicon
import LexiconHTTP
import Testing

@Suite("TOTP")
struct TOTPTests {
    static let sha1Seed = Array("12345678901234567890".utf8)
    static let sha256Seed = Array("12345678901234567890123456789012".utf8)
    static let sha512Seed = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)

    /// RFC 6238 Appendix B: time, then the 8-digit codes for SHA-1, SHA-256 and SHA-512.
    static let vectors: [(Int, String, String, String)] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ]

    @Test(arguments: vectors)
    func rfc6238AppendixB(vector: (Int, String, String, String)) {
        let (time, sha1, sha256, sha512) = vector
        #expect(TOTP(secret: Self.sha1Seed, digits: 8).code(at: time) == sha1)
        #expect(TOTP(secret: Self.sha256Seed, digits: 8, algorithm: .sha256).code(at: time) == sha256)
        #expect(TOTP(secret: Self.sha512Seed, digits: 8, algorithm: .sha512).code(at: time) == sha512)
    }

    @Test func sixDigitsFromABase32SecretAsSitesShowIt() throws {
        // base32("12345678901234567890"), written the ways sites and users write it.
        for secret in [
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq", " GEZDGNBVGY3TQOJQ-GEZDGNBVGY3TQOJQ\n",
        ] {
            let totp = try TOTP(base32: secret, option: "--auth-totp-secret")
            #expect(totp.code(at: 59) == "287082")
            #expect(totp.code(at: 1_111_111_109) == "081804")
        }
    }

    @Test func periodAndSecondsLeft() {
        let totp = TOTP(secret: Self.sha1Seed)
        #expect(totp.code(at: 30) == totp.code(at: 59) && totp.code(at: 59) != totp.code(at: 60))
        #expect(totp.secondsLeft(at: 59) == 1 && totp.secondsLeft(at: 60) == 30)
        #expect(totp.code().count == 6)
    }

    @Test(arguments: ["", "  ", "GEZDGNBV1", "GEZ", "MY=====A", "MY=", "not a secret!"])
    func invalidSecretsAreConfigErrorsThatDoNotShowThem(secret: String) {
        let error = #expect(throws: LexiconError.self) {
            try TOTP(base32: secret, option: "--auth-totp-secret", provider: "hover")
        }
        #expect(error?.code == .config && error?.provider == "hover")
        #expect(error?.message.contains("--auth-totp-secret") == true)
        #expect(secret.count < 3 || error?.message.contains(secret) == false)
    }

    @Test func descriptionNeverShowsTheSecret() {
        #expect(String(describing: TOTP(secret: Self.sha1Seed)) == "TOTP(6 digits, 30 s, HMAC-SHA-1)")
    }

    /// RFC 4648 §10.
    @Test(arguments: [
        ("", ""), ("MY======", "f"), ("MZXQ====", "fo"), ("MZXW6===", "foo"), ("MZXW6YQ=", "foob"),
        ("MZXW6YTB", "fooba"), ("MZXW6YTBOI======", "foobar"), ("mzxw6ytboi", "foobar"),
    ])
    func base32Vectors(encoded: String, decoded: String) {
        #expect(Base32.decode(encoded) == Array(decoded.utf8))
    }
}
