import Lexicon
import LexiconHTTP

/// Mythic Beasts' Primary DNS API v2 (`https://www.mythic-beasts.com/support/api/dnsv2`): a bearer token from the
/// auth service (`POST /login`, client credentials with the key id and secret as HTTP Basic; kept until it
/// expires) or given directly, records selected by `/zones/{zone}/records/{host}/{type}` and a `data` filter. Every
/// write touches one value only: `POST` adds it, `PUT` with `?data=` replaces just the selected value, `DELETE` with
/// `?data=` removes just that one, so concurrent writers never lose each other's values and no lock is needed.
/// Names are relative (the apex `@`), targets carry their final dot, and MX, SRV and CAA have their own fields.
public actor MythicBeastsProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "mythicbeasts",
        summary: "Mythic Beasts DNS (API v2) with an API key id and secret, or a token.",
        options: [
            ProviderOption("auth_token", help: "A bearer token from the auth service, instead of the key."),
            ProviderOption("auth_username", help: "The API key id (Control panel > API keys).", isSecret: false),
            ProviderOption("auth_password", help: "The API key's secret."),
            .apiEndpoint(MythicBeastsProvider.endpoint),
            ProviderOption(
                "token_endpoint", help: "The auth service URL a token is asked for at.", isSecret: false,
                defaultValue: MythicBeastsProvider.tokenEndpoint, valueName: "URL"),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt],
        nameserverPatterns: ["*.mythic-beasts.com"],
        defaultEndpoint: MythicBeastsProvider.endpoint,
        usesHTTP: true,
        factory: { try MythicBeastsProvider(context: $0) })

    static let endpoint = "https://api.mythic-beasts.com/dns/v2"
    static let tokenEndpoint = "https://auth.mythic-beasts.com/login"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    /// The token source for a key id and secret; nil when a token was given.
    private let tokens: OAuthTokenSource?
    private let token: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    /// - Throws: ``LexiconError`` `config` without a token or a key id and secret.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let transport = transport ?? CurlTransport(context: context)
        let credentials: String
        if let token = context.option("auth_token") {
            self.token = token
            tokens = nil
            credentials = "--auth-token or LEXICON_MYTHICBEASTS_AUTH_TOKEN"
        } else if let key = context.option("auth_username"), let secret = context.option("auth_password") {
            token = nil
            tokens = OAuthTokenSource.shared(
                grant: .clientCredentialsBasic(
                    tokenURL: context.option("token_endpoint") ?? Self.tokenEndpoint, clientID: key,
                    clientSecret: secret),
                transport: transport, provider: "mythicbeasts", service: "Mythic Beasts' auth service",
                credentialOptions: ["--auth-username", "--auth-password"])
            credentials = "--auth-username and --auth-password, and that the key has DNS rights on the zone"
        } else {
            throw LexiconError(
                .config,
                "give --auth-username and --auth-password (an API key id and secret), or --auth-token.",
                provider: "mythicbeasts")
        }
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [],
            failure: HTTPFailure(provider: "mythicbeasts", service: "Mythic Beasts", credentials: credentials))
        // Errors are `{"error": "…"}`, or `{"errors": ["…", …]}` for refused records.
        api.detail = { json in
            json?["error"]?.string ?? (json?["errors"]?.array ?? []).compactMap(\.string).joined(separator: "; ")
        }
        self.api = api
    }

    /// The zone must be among those the key has rights on.
    public func authenticate() async throws {
        let zones = try await call("GET", "/zones", operation: "list the zones")["zones"]?.array ?? []
        guard zones.contains(where: { $0.string?.lowercased() == context.zone }) else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "mythicbeasts", hint: "The key has no rights on a zone of that name.")
        }
    }

    public func add(_ record: Record) async throws {
        let fields = try fields(record)
        try await call(
            "POST", "\(Self.path(context.zone))/records", body: .object([("records", .array([fields]))]),
            operation: "create a record")
    }

    /// A `PUT` of the one selected value when host and type stay; a rename adds the new value, then removes the old.
    public func replace(_ nativeID: String, with record: Record) async throws {
        let old = Self.selection(nativeID)
        let host = context.relativeName(record.name)
        guard old.host == host && old.type == record.type.rawValue else {
            try await add(record)
            try await remove(nativeID)
            return
        }
        try await call(
            "PUT", recordsPath(old), body: .object([("records", .array([try fields(record)]))]),
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await call("DELETE", recordsPath(Self.selection(nativeID)), operation: "delete a record", missing: .isFine)
    }

    /// The zone's records, selected on the server by host and type.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var path = "\(Self.path(context.zone))/records"
        if let name {
            path += "/" + URLQuery.escape(context.relativeName(name))
            if let type { path += "/" + type.rawValue }
        } else if let type {
            path += "?" + URLQuery.encode([("type", type.rawValue)])
        }
        let answer = try await call(
            "GET", path, operation: "list records",
            missing: .isUnknownZone(hint: "The key has no rights on a zone of that name."))
        guard let records = answer["records"]?.array else { throw api.unexpected("list records") }
        return try records.map(entry)
    }

    // MARK: - API

    /// A request with the token; a token the API refuses is bought again once.
    @discardableResult
    private func call(
        _ method: String, _ path: String, body: JSONValue? = nil, operation: String,
        missing: JSONAPIClient.Missing = .fails
    ) async throws -> JSONValue {
        var attempt = 1
        while true {
            var bearer = token ?? ""
            if let tokens { bearer = try await tokens.token().value }
            do {
                return try await api.call(
                    method, path, body: body, extraHeaders: [HTTPHeader("Authorization", "Bearer " + bearer)],
                    operation: operation, missing: missing)
            } catch let error as LexiconError where error.code == .authentication && attempt == 1 && tokens != nil {
                await tokens?.invalidate()
                attempt += 1
            }
        }
    }

    /// `/zones/{zone}/records/{host}/{type}?data=…`: exactly one stored value.
    private func recordsPath(_ selection: (host: String, type: String, data: String)) -> String {
        "\(Self.path(context.zone))/records/\(URLQuery.escape(selection.host))/\(selection.type)?"
            + URLQuery.encode([("data", selection.data)])
    }

    private static func path(_ zone: String) -> String { "/zones/" + URLQuery.escape(zone) }

    /// The native id: host, type and data as stored, which select one value.
    private static func nativeID(host: String, type: String, data: String) -> String {
        [host, type, data].joined(separator: "\u{1F}")
    }

    private static func selection(_ nativeID: String) -> (host: String, type: String, data: String) {
        let parts = nativeID.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : "")
    }

    // MARK: - Mapping

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let host = json["host"]?.string, let typeText = json["type"]?.string, let data = json["data"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText.uppercased())
        var content = data
        switch type {
        case .cname, .ns, .mx:
            content = RecordPresentation.bare(Substring(data))
        case .srv:
            content = SRVFields.join(
                priority: json["srv_priority"]?.int ?? 0, weight: json["srv_weight"]?.int ?? 0,
                port: json["srv_port"]?.int ?? 0, target: data)
        case .caa:
            let flags = json["caa_flags"]?.int ?? 0
            let tag = json["caa_property"]?.string ?? ""
            content = "\(flags) \(tag) \"\(TXTPresentation.escape(Array(data.utf8)))\""
        default:
            break
        }
        let record = Record(
            type: type, name: context.absoluteName(host.lowercased()), ttl: json["ttl"]?.int ?? context.defaultTTL,
            content: content, priority: type == .mx ? json["mx_priority"]?.int ?? 0 : nil)
        return NativeRecord(nativeID: Self.nativeID(host: host, type: typeText, data: data), record: record)
    }

    /// A record to send: the relative host (`@` for the apex), targets with their final dot, TXT as is, and the
    /// MX priority, SRV numbers and CAA parts in their fields.
    private func fields(_ record: Record) throws -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("host", .string(context.relativeName(record.name))), ("type", .string(record.type.rawValue)),
            ("ttl", .int(record.ttl)),
        ]
        switch record.type {
        case .cname, .ns:
            fields.append(("data", .string(RecordPresentation.fqdn(record.content))))
        case .mx:
            fields.append(("data", .string(RecordPresentation.fqdn(record.content))))
            fields.append(("mx_priority", .int(record.priority ?? 0)))
        case .srv:
            let srv = try SRVFields.numbers(record.content)
            fields += [
                ("data", .string(RecordPresentation.fqdn(srv.target))), ("srv_priority", .int(srv.priority)),
                ("srv_weight", .int(srv.weight)), ("srv_port", .int(srv.port)),
            ]
        case .caa:
            let parts = record.content.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, let flags = Int(parts[0]) else {
                throw LexiconError.invalidInput("a CAA record's content is FLAGS TAG \"VALUE\".")
            }
            let value = TXTPresentation.decode(parts[2]) ?? parts[2]
            fields += [
                ("data", .string(value)), ("caa_flags", .int(flags)), ("caa_property", .string(parts[1])),
            ]
        default:
            fields.append(("data", .string(record.content)))
        }
        return .object(fields)
    }
}
