import Lexicon
import LexiconHTTP
import LexiconTesting
import Synchronization
import Testing

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let seconds: Atomic<Int>
    init(_ start: Int) { seconds = Atomic(start) }
    var now: Int { seconds.load(ordering: .relaxed) }
    func advance(_ by: Int) { seconds.add(by, ordering: .relaxed) }
}

@Suite("OAuthTokenSource against a loopback token endpoint")
struct OAuthTokenSourceTests {
    static let options = ["--auth-client-id", "--auth-client-secret", "--auth-tenant-id"]
    static let secret = "s3cr3t~value"

    /// The form of a token request.
    static func form(_ request: HTTPRequest) -> [String: String] {
        let pairs = URLQuery.split("?" + String(decoding: request.body ?? [], as: UTF8.self)).query
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    static func json(_ status: Int, _ body: String, type: String = "application/json") -> LoopbackHTTPServer.Reply {
        .respond(HTTPResponse(status: status, headers: ["content-type": type], body: Array(body.utf8)))
    }

    /// A token endpoint that hands out `token-1`, `token-2`, … after a delay.
    static func tokenServer(expiresIn: String = "3599", delay: Double = 0) throws -> LoopbackHTTPServer {
        let count = Counter()
        return try LoopbackHTTPServer { _ in
            let body = #"{"token_type":"Bearer","expires_in":\#(expiresIn),"access_token":"token-\#(count.next())"}"#
            return .respond(
                HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: Array(body.utf8)),
                delay: delay)
        }
    }

    static func azure(_ server: LoopbackHTTPServer, clock: ManualClock = ManualClock(1_000)) -> OAuthTokenSource {
        OAuthTokenSource(
            grant: .azure(tenant: "tenant-1", clientID: "app-1", clientSecret: secret, loginEndpoint: server.url),
            transport: transport(), provider: "azure", service: "Microsoft Entra ID", credentialOptions: options,
            clock: { clock.now })
    }

    @Test func azureClientCredentialsRequest() async throws {
        let server = try Self.tokenServer()
        defer { server.stop() }
        let token = try await Self.azure(server).token()
        #expect(token.value == "token-1" && token.authorization == "Bearer token-1")
        #expect(token.expiresAt == 1_000 + 3_599 && token.refreshAt == 1_000 + 3_599 - 60)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/tenant-1/oauth2/v2.0/token")
        #expect(request.header("content-type") == "application/x-www-form-urlencoded")
        #expect(
            Self.form(request) == [
                "grant_type": "client_credentials", "client_id": "app-1", "client_secret": Self.secret,
                "scope": "https://management.azure.com/.default",
            ])
        #expect(!String(describing: token).contains("token-1"))
    }

    @Test func resourceFormForTheV1Endpoint() async throws {
        let server = try Self.tokenServer(expiresIn: "\"3599\"")
        defer { server.stop() }
        let grant = OAuthTokenSource.Grant.clientCredentials(
            tokenURL: server.url + "/t/oauth2/token", clientID: "a", clientSecret: "b",
            resource: "https://management.azure.com")
        let source = OAuthTokenSource(
            grant: grant, transport: transport(), provider: "azure", service: "Azure", credentialOptions: [],
            clock: { 50 })
        // Azure's v1 endpoint sends expires_in as a string.
        #expect(try await source.token().expiresAt == 50 + 3_599)
        #expect(Self.form(try #require(server.requests.first))["resource"] == "https://management.azure.com")
        #expect(Self.form(try #require(server.requests.first))["scope"] == nil)
    }

    @Test func concurrentCallersShareOneRequest() async throws {
        let server = try Self.tokenServer(delay: 0.3)
        defer { server.stop() }
        let source = Self.azure(server)
        async let first = source.token()
        async let second = source.token()
        async let third = source.token()
        let tokens = try await [first, second, third]
        #expect(tokens.allSatisfy { $0.value == "token-1" })
        #expect(server.requests.count == 1)
        #expect(try await source.token().value == "token-1" && server.requests.count == 1)
    }

    @Test func refreshesShortlyBeforeExpiry() async throws {
        let server = try Self.tokenServer(expiresIn: "3600")
        defer { server.stop() }
        let clock = ManualClock(1_000)
        let source = Self.azure(server, clock: clock)
        #expect(try await source.token().value == "token-1")
        clock.advance(3_539)
        #expect(try await source.token().value == "token-1")
        clock.advance(1)
        #expect(try await source.token().value == "token-2")
        #expect(server.requests.count == 2)
        await source.invalidate()
        #expect(try await source.token().value == "token-3")
    }

    @Test func shortLivedTokensRefreshAtHalfTheirLifetime() async throws {
        let server = try Self.tokenServer(expiresIn: "20")
        defer { server.stop() }
        let clock = ManualClock(0)
        let source = Self.azure(server, clock: clock)
        #expect(try await source.token().refreshAt == 10)
        clock.advance(9)
        #expect(try await source.token().value == "token-1")
        clock.advance(1)
        #expect(try await source.token().value == "token-2")
    }

    @Test(arguments: [400, 401, 403])
    func refusedCredentialsAreAuthenticationErrorsWithoutTheSecret(status: Int) async throws {
        let server = try LoopbackHTTPServer { _ in
            Self.json(
                status,
                #"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided: \#(Self.secret)\u001b[31m"}"#
            )
        }
        defer { server.stop() }
        let error = await #expect(throws: LexiconError.self) { try await Self.azure(server).token() }
        #expect(error?.code == .authentication && error?.provider == "azure")
        let message = error?.message ?? ""
        #expect(
            message.hasPrefix(
                "Microsoft Entra ID refused the credentials (HTTP \(status): invalid_client: AADSTS7000215"))
        #expect(message.hasSuffix("Check --auth-client-id, --auth-client-secret, --auth-tenant-id."))
        #expect(!message.contains(Self.secret) && message.contains("<redacted>"))
        #expect(!message.contains("\u{1b}"))
    }

    @Test func failuresAreNotCached() async throws {
        let count = Counter()
        let server = try LoopbackHTTPServer { _ in
            count.next() == 1
                ? Self.json(401, #"{"error":"invalid_client"}"#)
                : Self.json(200, #"{"access_token":"later","expires_in":3600}"#)
        }
        defer { server.stop() }
        let source = Self.azure(server)
        await #expect(throws: LexiconError.self) { try await source.token() }
        #expect(try await source.token().value == "later")
    }

    @Test(arguments: [
        (503, "text/html", "<html>down</html>", "answered HTTP 503"),
        (200, "text/html", "<html>login</html>", "not JSON"),
        (200, "application/json", #"{"token_type":"Bearer"}"#, "without an access_token"),
        (200, "application/json", #"{"access_token":""}"#, "without an access_token"),
        (429, "application/json", #"{"error":"slow down"}"#, "HTTP 429: slow down"),
    ])
    func otherFailuresAreProviderErrors(status: Int, type: String, body: String, reason: String) async throws {
        let server = try LoopbackHTTPServer { _ in Self.json(status, body, type: type) }
        defer { server.stop() }
        let error = await #expect(throws: LexiconError.self) { try await Self.azure(server).token() }
        #expect(error?.code == .provider && error?.provider == "azure")
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test func serviceAccountJWTBearerGrant() async throws {
        let keys = try await RSAKeyFixture.get()
        let account = try GoogleServiceAccount(json: JWTTests.accountJSON(keys.pkcs8))
        let server = try LoopbackHTTPServer { request in
            let form = Self.form(request)
            guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer",
                let claims = JWT.unverifiedClaims(of: form["assertion"] ?? "")
            else { return Self.json(400, #"{"error":"invalid_grant"}"#) }
            return Self.json(200, #"{"access_token":"ya29.\#(claims["iat"]?.int ?? 0)","expires_in":3599}"#)
        }
        defer { server.stop() }
        let source = OAuthTokenSource(
            grant: .serviceAccount(account, tokenURL: server.url + "/token"), transport: transport(),
            provider: "googleclouddns", service: "Google", credentialOptions: ["--auth-service-account-info"],
            clock: { 1_700_000_000 })
        #expect(try await source.token().value == "ya29.1700000000")
        let assertion = Self.form(try #require(server.requests.first))["assertion"] ?? ""
        let claims = try #require(JWT.unverifiedClaims(of: assertion))
        #expect(claims["aud"] == .string("https://oauth2.googleapis.com/token"))
        #expect(claims["scope"] == .string(GoogleServiceAccount.cloudDNSScope))
        #expect(claims["exp"] == .int(1_700_003_600))
    }

    /// TransIP's `/auth`: a custom request, a `token` member that is a JWT, and no `expires_in`.
    @Test func customGrantLearnsTheLifetimeFromTheJWT() async throws {
        let claims = Base64.encode(Array(#"{"exp":1900}"#.utf8), urlSafe: true)
        let server = try LoopbackHTTPServer { _ in Self.json(200, #"{"token":"eyJ0eXAiOiJKV1QifQ.\#(claims).sig"}"#) }
        defer { server.stop() }
        let grant = OAuthTokenSource.Grant(identity: "transip\nalice", defaultLifetime: 1800) { now in
            HTTPRequest(method: "POST", url: server.url + "/v6/auth", body: Array(#"{"nonce":"\#(now)"}"#.utf8))
        }
        let source = OAuthTokenSource(
            grant: grant, transport: transport(), provider: "transip", service: "TransIP",
            credentialOptions: ["--auth-username", "--auth-api-key"], clock: { 1_000 })
        let token = try await source.token()
        #expect(token.expiresAt == 1_900 && token.refreshAt == 1_840)
        #expect(server.requests.first?.body == Array(#"{"nonce":"1000"}"#.utf8))
    }

    @Test func sharedSourcesAreKeyedByCredentials() {
        let transport = transport()
        func source(_ secret: String, provider: String = "azure") -> OAuthTokenSource {
            .shared(
                grant: .azure(tenant: "t", clientID: "c", clientSecret: secret), transport: transport,
                provider: provider, service: "Azure", credentialOptions: [])
        }
        #expect(source("one") === source("one"))
        #expect(source("one") !== source("two"))
        #expect(source("one") !== source("one", provider: "other"))
    }
}
