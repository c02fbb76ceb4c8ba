import Lexicon
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bearer tokens bought at an OAuth 2.0 token endpoint (RFC 6749 §4.4 client credentials, RFC 7523 JWT bearer, or
/// a provider's own login such as TransIP's signed `/auth`), kept until shortly before they expire.
///
/// Concurrent callers share one token request; a failed request is not cached, so the next call tries again.
/// ``shared(grant:transport:provider:service:credentialOptions:)`` gives every provider instance of a process that
/// uses the same credentials the same source, so a daemon that re-creates providers does not buy a token each time.
public actor OAuthTokenSource {
    /// How a token is asked for.
    public struct Grant: Sendable {
        /// Builds the token request for a moment (seconds since 1970), which signed assertions need.
        let request: @Sendable (_ now: Int) throws -> HTTPRequest
        /// Seconds a token lives when the answer says neither `expires_in` nor a JWT `exp`.
        let defaultLifetime: Int
        /// Values never shown in messages (the client secret).
        let secrets: [String]
        /// What identifies the credentials, for the process-wide cache.
        let identity: String

        /// A grant of the caller's own making.
        /// - Parameters:
        ///   - identity: What identifies the credentials (endpoint, account and a digest of the secret) in the
        ///     process-wide cache; never shown.
        ///   - secrets: Values to keep out of messages.
        ///   - defaultLifetime: Seconds a token lives when the answer does not say.
        ///   - request: Builds the token request at a moment (seconds since 1970).
        public init(
            identity: String, secrets: [String] = [], defaultLifetime: Int = 3600,
            request: @escaping @Sendable (_ now: Int) throws -> HTTPRequest
        ) {
            self.identity = identity
            self.secrets = secrets
            self.defaultLifetime = defaultLifetime
            self.request = request
        }

        /// The client-credentials grant: `POST` form `grant_type=client_credentials&client_id&client_secret` and a
        /// `scope` (OAuth 2.0, Azure's v2 endpoint) or a `resource` (Azure's v1 endpoint).
        /// - Parameters:
        ///   - tokenURL: The token endpoint.
        ///   - clientID: The client (application) id.
        ///   - clientSecret: The client secret.
        ///   - scope: The scope, if the endpoint takes one.
        ///   - resource: The resource, if the endpoint takes one.
        public static func clientCredentials(
            tokenURL: String, clientID: String, clientSecret: String, scope: String? = nil, resource: String? = nil
        ) -> Grant {
            var form = [("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", clientSecret)]
            if let scope { form.append(("scope", scope)) }
            if let resource { form.append(("resource", resource)) }
            let body = Array(URLQuery.encode(form).utf8)
            let identity = [tokenURL, clientID, scope ?? "", resource ?? "", fingerprint(clientSecret)]
            return Grant(identity: identity.joined(separator: "\n"), secrets: [clientSecret]) { _ in
                formRequest(tokenURL, body)
            }
        }

        /// Azure's client-credentials grant on the Microsoft identity platform v2 endpoint,
        /// `{login}/{tenant}/oauth2/v2.0/token`, for Azure Resource Manager (`https://management.azure.com/.default`).
        /// - Parameters:
        ///   - tenant: The directory (tenant) id.
        ///   - clientID: The application's client id.
        ///   - clientSecret: The client secret.
        ///   - loginEndpoint: The identity endpoint (another cloud's, or a fake's).
        ///   - scope: The scope; Resource Manager's by default.
        public static func azure(
            tenant: String, clientID: String, clientSecret: String,
            loginEndpoint: String = "https://login.microsoftonline.com",
            scope: String = "https://management.azure.com/.default"
        ) -> Grant {
            let base = loginEndpoint.hasSuffix("/") ? String(loginEndpoint.dropLast()) : loginEndpoint
            return clientCredentials(
                tokenURL: "\(base)/\(URLQuery.escape(tenant))/oauth2/v2.0/token", clientID: clientID,
                clientSecret: clientSecret, scope: scope)
        }

        /// The JWT-bearer grant (RFC 7523): `POST` form
        /// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…`, a fresh assertion each time.
        /// - Parameters:
        ///   - tokenURL: The token endpoint.
        ///   - identity: What identifies the credentials in the process-wide cache (the issuer and the scope).
        ///   - assertion: Signs an assertion issued at a moment (seconds since 1970).
        public static func jwtBearer(
            tokenURL: String, identity: String, assertion: @escaping @Sendable (_ now: Int) throws -> String
        ) -> Grant {
            Grant(identity: tokenURL + "\n" + identity) { now in
                let form = [
                    ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", try assertion(now)),
                ]
                return formRequest(tokenURL, Array(URLQuery.encode(form).utf8))
            }
        }

        /// Google's service-account grant: a JWT-bearer grant whose assertion the account signs.
        /// - Parameters:
        ///   - account: The service account.
        ///   - scope: Space-separated scopes.
        ///   - tokenURL: Where to send the request (a fake's endpoint); nil uses the account's `token_uri`. The
        ///     assertion's audience stays the account's `token_uri`.
        public static func serviceAccount(
            _ account: GoogleServiceAccount, scope: String = GoogleServiceAccount.cloudDNSScope,
            tokenURL: String? = nil
        ) -> Grant {
            jwtBearer(tokenURL: tokenURL ?? account.tokenURI, identity: account.clientEmail + "\n" + scope) { now in
                try account.assertion(scope: scope, issuedAt: now)
            }
        }

        /// A token request: the form `body` POSTed to `url`, with any `headers` (client authentication) first.
        static func formRequest(_ url: String, _ body: [UInt8], headers: [HTTPHeader] = []) -> HTTPRequest {
            // Buying a second token is harmless, so the transport may retry the POST.
            HTTPRequest(
                method: "POST", url: url,
                headers: headers + [
                    HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                    HTTPHeader("Accept", "application/json"),
                ], body: body, idempotent: true)
        }

        /// What identifies a secret in a grant's cache key without holding it.
        static func fingerprint(_ secret: String) -> String {
            Digest.hex(Digest.hash(.sha256, Array(secret.utf8)))
        }
    }

    /// A bearer token and when it expires.
    public struct Token: Sendable, Hashable, CustomStringConvertible {
        /// The token.
        public let value: String
        /// The type the server gave (`Bearer`).
        public let type: String
        /// When it expires, in the source's clock (seconds since 1970).
        public let expiresAt: Int
        /// When the source stops handing it out and buys the next one.
        public let refreshAt: Int

        /// The `Authorization` header's value: `Bearer <token>`.
        public var authorization: String { "Bearer \(value)" }

        /// Never the token.
        public var description: String { "Token(\(type), expires at \(expiresAt))" }
    }

    private let grant: Grant
    private let transport: any HTTPTransport
    private let provider: String
    private let service: String
    private let credentialOptions: [String]
    private let clock: @Sendable () -> Int
    private let refreshMargin: Int
    private var cached: Token?
    private var pending: Task<Token, any Error>?

    /// Creates a source with its own cache.
    /// - Parameters:
    ///   - grant: How to ask for a token.
    ///   - transport: Sends the token request.
    ///   - provider: The provider's name, for messages.
    ///   - service: The token service's name in messages (`Microsoft Entra ID`, `Google`).
    ///   - credentialOptions: The options a refused request should make the user check (`--auth-client-id`, …).
    ///   - clock: Now, in seconds since 1970 (injected by tests).
    ///   - refreshMargin: Seconds before expiry at which a token is replaced (at most half its lifetime).
    public init(
        grant: Grant, transport: any HTTPTransport, provider: String, service: String, credentialOptions: [String],
        clock: @escaping @Sendable () -> Int = { Int(time(nil)) }, refreshMargin: Int = 60
    ) {
        self.grant = grant
        self.transport = transport
        self.provider = provider
        self.service = service
        self.credentialOptions = credentialOptions
        self.clock = clock
        self.refreshMargin = refreshMargin
    }

    private static let registry = Mutex<[String: OAuthTokenSource]>([:])

    /// The process's source for these credentials, created on first use: providers and daemons that are created
    /// again and again reuse one token. The first caller's transport and names are kept.
    /// - Parameters:
    ///   - grant: How to ask for a token; its identity is the cache key.
    ///   - transport: Sends the token request.
    ///   - provider: The provider's name, for messages.
    ///   - service: The token service's name in messages.
    ///   - credentialOptions: The options a refused request should make the user check.
    public static func shared(
        grant: Grant, transport: any HTTPTransport, provider: String, service: String, credentialOptions: [String]
    ) -> OAuthTokenSource {
        registry.withLock { sources in
            let key = provider + "\n" + grant.identity
            if let source = sources[key] { return source }
            let source = OAuthTokenSource(
                grant: grant, transport: transport, provider: provider, service: service,
                credentialOptions: credentialOptions)
            sources[key] = source
            return source
        }
    }

    /// A valid token: the cached one, or a new one (one request however many callers wait for it).
    /// - Throws: ``LexiconError`` `authentication` when the endpoint refuses the credentials (400, 401, 403),
    ///   naming the options to check; `provider` for other failures and answers that are not a token;
    ///   the transport's `network` errors.
    public func token() async throws -> Token {
        if let cached, clock() < cached.refreshAt { return cached }
        if let pending { return try await pending.value }
        let task = Task { [grant, transport, clock, refreshMargin, names] in
            try await Self.fetch(grant, transport, clock, refreshMargin, names)
        }
        pending = task
        defer { pending = nil }
        let token = try await task.value
        cached = token
        return token
    }

    /// Forgets the cached token, after the API refused it (revoked before it expired): the next call buys another.
    public func invalidate() { cached = nil }

    private var names: Names { Names(provider: provider, service: service, options: credentialOptions) }

    private struct Names: Sendable {
        let provider: String
        let service: String
        let options: [String]
    }

    private static let operation = "get an access token"

    private static func fetch(
        _ grant: Grant, _ transport: any HTTPTransport, _ clock: @Sendable () -> Int, _ margin: Int, _ names: Names
    ) async throws -> Token {
        let now = clock()
        let response = try await transport.send(try grant.request(now))
        guard (200..<300).contains(response.status) else { throw refusal(response, grant, names) }
        let body = try response.json(operation: operation, provider: names.provider, service: names.service)
        guard let value = (body["access_token"] ?? body["token"])?.string, !value.isEmpty else {
            throw LexiconError(
                .provider,
                "\(operation): \(names.service) answered HTTP \(response.status) without an access_token.",
                provider: names.provider)
        }
        let expiresIn = body["expires_in"].flatMap { $0.int ?? $0.string.flatMap { Int($0) } }
        let jwtExpiry = JWT.unverifiedClaims(of: value)?["exp"]?.int.map { $0 - now }
        let lifetime = max(expiresIn ?? jwtExpiry ?? grant.defaultLifetime, 0)
        return Token(
            value: value, type: body["token_type"]?.string ?? "Bearer", expiresAt: now + lifetime,
            refreshAt: now + lifetime - min(margin, lifetime / 2))
    }

    /// The error for a token request the endpoint did not grant.
    private static func refusal(_ response: HTTPResponse, _ grant: Grant, _ names: Names) -> LexiconError {
        let json = try? JSONValue(parsing: response.body)
        var reason = [
            json?["error"]?.string, json?["error_description"]?.string, json?["error"]?["message"]?.string,
            json?["message"]?.string,
        ]
        .compactMap { $0 }.joined(separator: ": ")
        for secret in grant.secrets where secret.count >= 4 { reason = reason.replacing(secret, with: "<redacted>") }
        let shown = reason.isEmpty ? "" : ": \(DisplayText.escaped(Array(reason.utf8), limit: 200))"
        guard [400, 401, 403].contains(response.status) else {
            return LexiconError(
                .provider, "\(operation): \(names.service) answered HTTP \(response.status)\(shown).",
                provider: names.provider)
        }
        let check = names.options.isEmpty ? "Check the credentials." : "Check \(names.options.joined(separator: ", "))."
        return LexiconError(
            .authentication, "\(names.service) refused the credentials (HTTP \(response.status)\(shown)). \(check)",
            provider: names.provider)
    }
}
