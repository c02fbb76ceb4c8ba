import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

@Suite("JWT and Google service accounts")
struct JWTTests {
    static func accountJSON(_ pem: String, dropping: String? = nil, type: String = "service_account") -> [UInt8] {
        let pairs: [(String, JSONValue)] = [
            ("type", .string(type)), ("project_id", .string("my-project")), ("private_key_id", .string("abc")),
            ("private_key", .string(pem)), ("client_email", .string("dns@my-project.iam.gserviceaccount.com")),
            ("client_id", .string("1234")), ("token_uri", .string("https://oauth2.googleapis.com/token")),
        ]
        return JSONValue.object(pairs.filter { $0.0 != dropping }).encoded()
    }

    func decode(_ part: Substring) throws -> JSONValue {
        try JSONValue(parsing: try #require(Base64.decode(String(part))))
    }

    @Test func rs256TokenIsUnpaddedBase64URLAndVerifies() async throws {
        let keys = try await RSAKeyFixture.get()
        let signer = try RSASigner(pem: keys.pkcs8, option: "--auth-service-account-info")
        // A claim whose encoding needs padding and the URL-safe alphabet, so both show.
        let claims = JSONValue.object([("iss", .string("a?>b")), ("n", .int(1))])
        let token = try JWT.rs256(claims: claims, signer: signer)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        #expect(!token.contains("=") && !token.contains("+") && !token.contains("/"))
        #expect(try decode(parts[0]).text == #"{"alg":"RS256","typ":"JWT"}"#)
        #expect(try decode(parts[1]) == claims)
        let signature = try #require(Base64.decode(String(parts[2])))
        #expect(try await keys.verify(signature, of: Array("\(parts[0]).\(parts[1])".utf8), digest: "sha256"))
        #expect(JWT.unverifiedClaims(of: token) == claims)
    }

    @Test(arguments: ["", "a.b", "a.b.c.d", "x.!!.y", "x.WzFd.y"])
    func unverifiedClaimsOfSomethingElseIsNil(token: String) {
        #expect(JWT.unverifiedClaims(of: token) == nil)
    }

    @Test func serviceAccountFromFileAndBase64() async throws {
        let keys = try await RSAKeyFixture.get()
        let json = Self.accountJSON(keys.pkcs8)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("account.json", String(decoding: json, as: UTF8.self), mode: 0o600)
        for value in ["file::\(path)", "base64::\(Base64.encode(json))"] {
            let account = try GoogleServiceAccount(optionValue: value, provider: "googleclouddns")
            #expect(account.clientEmail == "dns@my-project.iam.gserviceaccount.com")
            #expect(account.projectID == "my-project" && account.tokenURI == "https://oauth2.googleapis.com/token")
        }
        let withoutURI = try GoogleServiceAccount(json: Self.accountJSON(keys.pkcs1, dropping: "token_uri"))
        #expect(withoutURI.tokenURI == GoogleServiceAccount.defaultTokenURI)
    }

    @Test func assertionClaims() async throws {
        let keys = try await RSAKeyFixture.get()
        let account = try GoogleServiceAccount(json: Self.accountJSON(keys.pkcs8))
        let token = try account.assertion(scope: GoogleServiceAccount.cloudDNSScope, issuedAt: 1_700_000_000)
        let parts = token.split(separator: ".")
        let claims = try decode(parts[1])
        #expect(
            claims.text
                == #"{"iss":"dns@my-project.iam.gserviceaccount.com","scope":"https://www.googleapis.com/auth/ndev.clouddns.readwrite","aud":"https://oauth2.googleapis.com/token","iat":1700000000,"exp":1700003600}"#
        )
        let signature = try #require(Base64.decode(String(parts[2])))
        #expect(try await keys.verify(signature, of: Array("\(parts[0]).\(parts[1])".utf8), digest: "sha256"))
        let short = try account.assertion(scope: "s", audience: "http://127.0.0.1/token", issuedAt: 10, lifetime: 600)
        #expect(JWT.unverifiedClaims(of: short)?["aud"] == .string("http://127.0.0.1/token"))
        #expect(JWT.unverifiedClaims(of: short)?["exp"] == .int(610))
    }

    @Test func unusableValuesAreConfigErrorsThatDoNotShowTheContent() async throws {
        let keys = try await RSAKeyFixture.get()
        let cases: [(String, String)] = [
            ("/tmp/account.json", "must be file::PATH"), ("{\"type\":\"service_account\"}", "must be file::PATH"),
            ("file::/nonexistent/account.json", "cannot read /nonexistent/account.json"),
            ("base64::not base64!", "not base64"),
            ("base64::" + Base64.encode(Array("MII not json".utf8)), "JSON object"),
            ("base64::" + Base64.encode(Self.accountJSON(keys.pkcs8, dropping: "client_email")), "no client_email"),
            ("base64::" + Base64.encode(Self.accountJSON(keys.pkcs8, dropping: "project_id")), "no project_id"),
            ("base64::" + Base64.encode(Self.accountJSON(keys.pkcs8, dropping: "private_key")), "no private_key"),
            ("base64::" + Base64.encode(Self.accountJSON("MII garbage")), "(private_key) is not usable"),
            ("base64::" + Base64.encode(Self.accountJSON(keys.pkcs8, type: "authorized_user")), "authorized_user"),
        ]
        for (value, reason) in cases {
            let error = #expect(throws: LexiconError.self) {
                try GoogleServiceAccount(optionValue: value, provider: "googleclouddns")
            }
            #expect(error?.code == .config && error?.provider == "googleclouddns")
            #expect(error?.message.contains("--auth-service-account-info") == true)
            #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("MII") == false)
        }
    }
}
