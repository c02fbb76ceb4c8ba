import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

@Suite("RSASigner")
struct RSASignerTests {
    static let body = Array("{\"login\":\"alice\",\"nonce\":\"5f1c0e\",\"global_key\":true}".utf8)

    @Test(arguments: [("sha256", Digest.Algorithm.sha256), ("sha512", .sha512)])
    func signaturesVerifyWithOpenSSL(name: String, algorithm: Digest.Algorithm) async throws {
        let keys = try await RSAKeyFixture.get()
        for pem in [keys.pkcs8, keys.pkcs1] {
            #expect(pem.contains("BEGIN PRIVATE KEY") || pem.contains("BEGIN RSA PRIVATE KEY"))
            let signer = try RSASigner(pem: pem, option: "--auth-api-key")
            let signature = try signer.sign(Self.body, digest: algorithm)
            #expect(signature.count == 256 && signer.signatureSize == 256)
            #expect(try await keys.verify(signature, of: Self.body, digest: name))
            #expect(signature == (try await keys.opensslSignature(of: Self.body, digest: name)))
            #expect(!(try await keys.verify(signature, of: Self.body + [0x20], digest: name)))
        }
    }

    @Test func bothPEMFormsAreTheSameKey() async throws {
        let keys = try await RSAKeyFixture.get()
        #expect(keys.pkcs1.contains("BEGIN RSA PRIVATE KEY"))
        let pkcs8 = try RSASigner(pem: keys.pkcs8, option: "--auth-api-key").sign([1, 2, 3], digest: .sha512)
        let pkcs1 = try RSASigner(pem: keys.pkcs1, option: "--auth-api-key").sign([1, 2, 3], digest: .sha512)
        #expect(pkcs8 == pkcs1)
    }

    @Test func keyPastedOnOneLineWithEscapedBreaks() async throws {
        let keys = try await RSAKeyFixture.get()
        let oneLine = keys.pkcs8.split(separator: "\n").joined(separator: "\\n")
        let signature = try RSASigner(pem: oneLine, option: "--auth-api-key").sign(Self.body, digest: .sha512)
        #expect(try await keys.verify(signature, of: Self.body, digest: "sha512"))
    }

    @Test func descriptionNeverShowsTheKey() async throws {
        let signer = try RSASigner(pem: try await RSAKeyFixture.get().pkcs8, option: "--auth-api-key")
        #expect(String(describing: signer) == "RSASigner(2048-bit key)")
    }

    @Test func unusableKeysAreConfigErrorsThatDoNotShowTheText() async throws {
        let keys = try await RSAKeyFixture.get()
        let encrypted = try await keys.derive(["pkey", "-aes256", "-passout", "pass:secret"])
        let ec = try await keys.make(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        let publicKey = keys.publicKey
        let body = keys.pkcs8.split(separator: "\n").dropFirst().dropLast().joined(separator: "\n")
        let damaged = keys.pkcs8.replacing("MII", with: "MIX")
        let cases: [(String, String)] = [
            (encrypted, "encrypted"), (ec, "not an RSA key"), (publicKey, "public key"),
            (body, "no PEM block"), (damaged, "not a readable RSA private key"), ("", "no PEM block"),
        ]
        for (pem, reason) in cases {
            let error = #expect(throws: LexiconError.self) {
                try RSASigner(pem: pem, option: "--auth-api-key", provider: "transip")
            }
            #expect(error?.code == .config && error?.provider == "transip")
            #expect(error?.message.contains("--auth-api-key") == true)
            #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("MII") == false)
        }
    }

    @Test func aKeyTooSmallForTheDigestFailsCleanly() async throws {
        let keys = try await RSAKeyFixture.get()
        let small = try await keys.make(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:512"])
        let signer = try RSASigner(pem: small, option: "--auth-api-key")
        #expect(try signer.sign([1], digest: .sha256).count == 64)
        let error = #expect(throws: LexiconError.self) { try signer.sign([1], digest: .sha512) }
        #expect(error?.code == .config)
    }
}
