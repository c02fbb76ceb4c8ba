import Lexicon
import LexiconHTTP

/// DNSimple through the v2 REST API: an account or user token (`Authorization: Bearer`), or HTTP basic auth with a
/// one-time password; the account found from `/whoami` (or, for user tokens, the account that has the zone);
/// every page of every listing (dns-lexicon reads only the first); DNSimple's record ids.
public actor DNSimpleProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "dnsimple",
        summary: "DNSimple (API v2) with an API token, or user name and password.",
        options: [
            ProviderOption("auth_token", help: "An account or user API token."),
            ProviderOption(
                "auth_username", help: "The account e-mail, for basic auth instead of a token.", isSecret: false,
                valueName: "EMAIL"),
            ProviderOption("auth_password", help: "The password, with --auth-username."),
            ProviderOption("auth_2fa", help: "A one-time password, when the account uses two-factor authentication."),
            .apiEndpoint(
                DNSimpleProvider.endpoint,
                help: "The API's base URL (the sandbox is https://api.sandbox.dnsimple.com/v2)."),
        ],
        nameserverPatterns: ["*.dnsimple.com", "*.dnsimple-edge.net", "*.dnsimple-edge.org"],
        defaultEndpoint: DNSimpleProvider.endpoint,
        usesHTTP: true,
        factory: { try DNSimpleProvider(context: $0) })

    static let endpoint = "https://api.dnsimple.com/v2"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private var account: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    /// - Throws: ``LexiconError`` `config` without a token or a user name and password.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let authHeaders: [HTTPHeader]
        if let token = context.option("auth_token") {
            authHeaders = [HTTPHeader("Authorization", "Bearer \(token)")]
        } else if let user = context.option("auth_username"), let password = context.option("auth_password") {
            var headers = [HTTPHeader.basicAuthorization(user: user, password: password)]
            if let otp = context.option("auth_2fa") { headers.append(HTTPHeader("X-Dnsimple-OTP", otp)) }
            authHeaders = headers
        } else {
            throw LexiconError(
                .config,
                "give --auth-token (or LEXICON_DNSIMPLE_AUTH_TOKEN), or --auth-username and --auth-password.",
                provider: "dnsimple")
        }
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: authHeaders,
            failure: HTTPFailure(
                provider: "dnsimple", service: "DNSimple",
                credentials:
                    "--auth-token (LEXICON_DNSIMPLE_AUTH_TOKEN), or --auth-username, --auth-password and --auth-2fa",
                rateLimitAdvice: "wait for the hour to turn"))
        api.detail = { json in
            var detail = json?["message"]?.string ?? ""
            if let fields = json?["errors"]?.object {
                let listed = fields.map { key, value in
                    "\(key) \((value.array ?? []).compactMap(\.string).joined(separator: ", "))"
                }
                detail += (detail.isEmpty ? "" : ": ") + listed.joined(separator: "; ")
            }
            return detail
        }
        self.api = api
    }

    public func authenticate() async throws {
        _ = try await accountID()
    }

    public func add(_ record: Record) async throws {
        try await api.post(
            try await zonePath() + "/records", body(for: record, withType: true), operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await api.patch(
            try await zonePath() + "/records/\(nativeID)", body(for: record, withType: false),
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await api.delete(try await zonePath() + "/records/\(nativeID)", operation: "delete a record")
    }

    // MARK: - API

    private func zonePath() async throws -> String { "/\(try await accountID())/zones/\(context.zone)" }

    /// The account: the token's own, or (user tokens, basic auth) the first account that has the zone.
    private func accountID() async throws -> String {
        if let account { return account }
        let whoami = try await api.get("/whoami", operation: "identify the account")
        var candidates: [String] = []
        if let id = whoami["data"]?["account"]?["id"]?.int {
            candidates = [String(id)]
        } else {
            let accounts = try await api.get("/accounts", operation: "list accounts")
            candidates = (accounts["data"]?.array ?? []).compactMap { $0["id"]?.int.map(String.init) }
        }
        for candidate in candidates {
            let zone = try await api.get(
                "/\(candidate)/zones/\(context.zone)", operation: "read the zone", missing: .isFine)
            if !zone.isNull {
                account = candidate
                return candidate
            }
        }
        throw LexiconError.domainNotFound(
            context.zone, provider: "dnsimple", hint: "No account of these credentials has that zone.")
    }

    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let path = try await zonePath() + "/records"
        var query = [("per_page", "100")]
        if let type { query.append(("type", type.rawValue)) }
        if let name { query.append(("name", context.relativeName(name, apex: ""))) }
        return try await PageGuard.numbered(provider: "dnsimple", service: "DNSimple", operation: "list records") {
            let answer = try await api.get(
                path + "?" + URLQuery.encode(query + [("page", String($0))]), operation: "list records")
            guard let data = answer["data"]?.array else { throw api.unexpected("list records") }
            let pagination = answer["pagination"]
            return (data, pagination?["total_pages"]?.int, pagination?["total_entries"]?.int)
        }.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.int, let typeText = json["type"]?.string, let content = json["content"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        let relative = json["name"]?.string ?? ""
        let name = context.absoluteName(relative, apex: "")
        var value = content
        switch type {
        case .txt where content.count >= 2 && content.hasPrefix("\"") && content.hasSuffix("\""):
            value = TXTPresentation.decode(content) ?? content
        case .cname, .ns, .ptr, .mx:
            value = RecordPresentation.bare(Substring(content))
        case .srv:
            // DNSimple keeps SRV's priority apart: content is "weight port target".
            let fields = content.split(separator: " ")
            if fields.count == 3 {
                value = "\(json["priority"]?.int ?? 0) \(fields[0]) \(fields[1]) \(RecordPresentation.bare(fields[2]))"
            }
        default:
            break
        }
        let record = Record(
            type: type, name: name, ttl: json["ttl"]?.int ?? context.defaultTTL, content: value,
            priority: type == .mx ? json["priority"]?.int : nil)
        return NativeRecord(nativeID: String(id), record: record)
    }

    private func body(for record: Record, withType: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("name", .string(context.relativeName(record.name, apex: "")))
        ]
        if withType { pairs.append(("type", .string(record.type.rawValue))) }
        var content = record.content
        var priority = record.type == .mx ? record.priority ?? 0 : nil
        if record.type == .srv {
            let fields = record.content.split(separator: " ")
            if fields.count == 4, let first = Int(fields[0]) {
                priority = first
                content = fields[1...].joined(separator: " ")
            }
        }
        pairs += [("content", .string(content)), ("ttl", .int(record.ttl))]
        if let priority { pairs.append(("priority", .int(priority))) }
        return .object(pairs)
    }
}
