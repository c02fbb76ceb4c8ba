import Lexicon
import LexiconHTTP

/// deSEC through its v1 REST API, with an API token (`Authorization: Token`) or a token from logging in with the
/// account's e-mail and password: record sets read (every page, by the cursor in the `Link` header), merged and
/// written back one set at a time with a bulk `PUT` of that one set (which creates or replaces it), deleted with
/// `DELETE …/rrsets/{subname}/{type}/` (`@` for the apex), values in presentation format (TXT quoted, names with
/// their final dot), TTLs raised to the domain's minimum (3600 unless deSEC granted a lower one); a zone plan in one
/// bulk `PATCH` (`DeSECProvider+Batch.swift`).
public actor DeSECProvider: RecordSetAPI {
    public static let descriptor = ProviderDescriptor(
        name: "desec",
        summary: "deSEC (API v1) with an API token, or the account's e-mail and password.",
        options: [
            ProviderOption("auth_token", help: "An API token (Token Management at desec.io)."),
            ProviderOption(
                "auth_username", help: "The account's e-mail, to log in instead of giving a token.", isSecret: false,
                valueName: "EMAIL"),
            ProviderOption("auth_password", help: "The account's password, with --auth-username."),
            .apiEndpoint(DeSECProvider.endpoint),
        ],
        nameserverPatterns: ["ns1.desec.io", "ns2.desec.org"],
        defaultEndpoint: DeSECProvider.endpoint,
        usesHTTP: true, writeShape: .recordSets, minimumTTL: DeSECProvider.minimumTTL,
        factory: { try DeSECProvider(context: $0) })

    static let endpoint = "https://desec.io/api/v1"
    /// deSEC's default minimum TTL for a domain.
    static let minimumTTL = 3600

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    /// The e-mail and password to log in with, when no token was given.
    private let login: (email: String, password: String)?
    /// The token from logging in, fetched once for all requests.
    private var loginToken: Task<String, any Error>?
    /// The domain's `minimum_ttl`, once read.
    private(set) var minimumTTL = DeSECProvider.minimumTTL

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    /// - Throws: ``LexiconError`` `config` without a token or an e-mail and password.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        var headers: [HTTPHeader] = []
        let credentials: String
        if let token = context.option("auth_token") {
            headers = [HTTPHeader("Authorization", "Token " + token)]
            login = nil
            credentials = "--auth-token or LEXICON_DESEC_AUTH_TOKEN"
        } else if let email = context.option("auth_username"), let password = context.option("auth_password") {
            login = (email, password)
            credentials =
                "--auth-username and --auth-password (LEXICON_DESEC_AUTH_USERNAME, LEXICON_DESEC_AUTH_PASSWORD)"
        } else {
            throw LexiconError(
                .config, "give --auth-token (or LEXICON_DESEC_AUTH_TOKEN), or --auth-username and --auth-password.",
                provider: "desec")
        }
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: headers,
            failure: HTTPFailure(
                provider: "desec", service: "deSEC", credentials: credentials,
                rateLimitAdvice: "deSEC allows 2 record set writes a second and 15 a minute per domain"))
        api.detail = Self.detail
        self.api = api
    }

    public func authenticate() async throws {
        let domain = try await call(
            "GET", "/domains/\(context.zone)/", operation: "read the domain",
            missing: .isUnknownZone(hint: "deSEC does not manage it for this account."))
        minimumTTL = domain["minimum_ttl"]?.int ?? minimumTTL
    }

    public func fetchSets() async throws -> [RecordSet] {
        var guarded = PageGuard(provider: "desec", service: "deSEC", operation: "list records", parameters: "cursor")
        var items: [JSONValue] = []
        var cursor = ""
        while true {
            // An empty cursor asks for the first page; without one, more than 500 sets are a 400.
            let path = "/domains/\(context.zone)/rrsets/?" + URLQuery.encode([("cursor", cursor)])
            let response = try await api.send(
                "GET", path, extraHeaders: try await authorization(), operation: "list records")
            guard let response,
                let page = try response.json(operation: "list records", provider: "desec", service: "deSEC").array
            else { throw api.unexpected("list records") }
            try guarded.read(page)
            items += page
            guard !page.isEmpty, let next = Self.nextCursor(response.headers["link"]) else { break }
            cursor = next
        }
        return try items.map { item in
            guard let subname = item["subname"]?.string, let type = item["type"]?.string,
                let records = item["records"]?.array
            else { throw api.unexpected("list records") }
            return RecordSet(
                name: context.absoluteName(subname, apex: ""), type: RecordType(rawValue: type),
                ttl: item["ttl"]?.int ?? context.defaultTTL, presentation: records.compactMap(\.string))
        }
    }

    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        // A bulk PUT creates the set or replaces it, so one request serves both and repeating it is harmless.
        try await call(
            "PUT", "/domains/\(context.zone)/rrsets/",
            body: .array([rrset(name: name, type: type, ttl: ttl, values: values)]),
            operation: "write the \(type) set of \(name)")
    }

    /// A set as deSEC's bulk requests take it, whole: no records deletes it; the TTL is raised to the domain's minimum.
    func rrset(name: String, type: RecordType, ttl: Int, values: [Record]) -> JSONValue {
        .object([
            ("subname", .string(context.relativeName(name, apex: ""))), ("type", .string(type.rawValue)),
            ("ttl", .int(max(minimumTTL, ttl))),
            ("records", .array(values.map { .string(RecordPresentation.rdata(of: $0)) })),
        ])
    }

    public func deleteSet(_ set: RecordSet) async throws {
        // The apex is `@` in URLs (an empty segment would be dropped).
        let subname = set.name == context.zone ? "@" : URLQuery.escape(context.relativeName(set.name))
        try await call(
            "DELETE", "/domains/\(context.zone)/rrsets/\(subname)/\(set.type.rawValue)/",
            operation: "delete the \(set.type) set of \(set.name)", missing: .isFine)
    }

    /// A request with the credentials: the token given, or the one from logging in.
    @discardableResult
    func call(
        _ method: String, _ path: String, body: JSONValue? = nil, operation: String,
        missing: JSONAPIClient.Missing = .fails
    ) async throws -> JSONValue {
        try await api.call(
            method, path, body: body, extraHeaders: try await authorization(), operation: operation, missing: missing)
    }

    /// The `Authorization` header for a login token; none when the token was given (the client sends it).
    private func authorization() async throws -> [HTTPHeader] {
        guard let login else { return [] }
        let task =
            loginToken ?? Task { [api] in try await Self.logIn(api, email: login.email, password: login.password) }
        loginToken = task
        return [HTTPHeader("Authorization", "Token " + (try await task.value))]
    }

    /// `POST /auth/login/`: the token deSEC hands out for an e-mail and password (a 403 when they do not match).
    private static func logIn(_ api: JSONAPIClient, email: String, password: String) async throws -> String {
        let answer = try await api.post(
            "/auth/login/", .object([("email", .string(email)), ("password", .string(password))]), operation: "log in")
        guard let token = answer["token"]?.string else { throw api.unexpected("log in") }
        return token
    }

    /// The cursor of the `rel="next"` link of a `Link` header, nil on the last page. Only the cursor is taken, so
    /// requests (and the token) stay on the configured endpoint whatever host the link names.
    static func nextCursor(_ header: String?) -> String? {
        for link in (header ?? "").split(separator: ",") {
            let fields = link.split(separator: ";").map { $0.filter { !$0.isWhitespace } }
            guard fields.dropFirst().contains(where: { $0.replacing("\"", with: "") == "rel=next" }),
                let target = fields.first, target.hasPrefix("<"), target.hasSuffix(">")
            else { continue }
            return URLQuery.split(String(target.dropFirst().dropLast())).query.first { $0.0 == "cursor" }?.1
        }
        return nil
    }

    /// deSEC's explanation in an error body: `{"detail": …}`, field errors (`{"ttl": ["…"]}`), or, for bulk
    /// requests, a list of those, one per set.
    static func detail(_ json: JSONValue?) -> String {
        switch json {
        case .string(let text)?:
            return text
        case .array(let items)?:
            return items.map { detail($0) }.filter { !$0.isEmpty }.joined(separator: "; ")
        case .object(let fields)?:
            if let text = json?["detail"]?.string { return text }
            return fields.map { key, value in
                (["non_field_errors", "detail"].contains(key) ? "" : key + ": ") + detail(value)
            }.joined(separator: "; ")
        default:
            return ""
        }
    }
}
