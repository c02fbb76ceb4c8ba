import Lexicon
import LexiconHTTP

/// TransIP through its REST API v6: a bearer token bought at `POST /auth` with a body signed by the account's RSA key
/// (RSA-SHA512, base64 in the `Signature` header) and kept for the process until it expires; DNS entries without ids
/// (`name` relative with `@` for the apex, `expire` as the TTL, MX and SRV priorities inside `content`), each added
/// with a `POST` and removed with a `DELETE` naming the whole entry, so one value changes per request.
public actor TransIPProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "transip",
        summary: "TransIP (REST API v6) with the account name and an API key pair's private key.",
        options: [
            ProviderOption(
                "auth_username", help: "The TransIP account name (login).", isRequired: true, isSecret: false,
                valueName: "LOGIN"),
            ProviderOption(
                "auth_api_key",
                help: "The key pair's private key: PEM, the path of its file, or base64:: and the file in base64.",
                isRequired: true, valueName: "KEY"),
            ProviderOption(
                "auth_key_is_global", help: "The key pair is not restricted to whitelisted IP addresses.",
                isFlag: true),
            .apiEndpoint(TransIPProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt, "DS", "SSHFP", "TLSA"],
        nameserverPatterns: ["ns0.transip.net", "ns1.transip.nl", "ns2.transip.eu"],
        defaultEndpoint: TransIPProvider.endpoint,
        ttlSteps: TransIPProvider.expireValues,
        usesHTTP: true,
        factory: { try TransIPProvider(context: $0) })

    static let endpoint = "https://api.transip.nl/v6"
    /// The `expire` values TransIP accepts; other TTLs go up to the next one.
    static let expireValues = [60, 300, 3600, 86400]

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private let tokens: OAuthTokenSource

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    /// - Throws: ``LexiconError`` `config` when the key is neither a readable RSA private key nor a file holding one.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let login = try context.requiredOption("auth_username")
        let pem = try Self.privateKey(try context.requiredOption("auth_api_key"))
        let signer = try RSASigner(pem: pem, option: "--auth-api-key", provider: "transip")
        let global = context.flag("auth_key_is_global")
        let http = transport ?? CurlTransport(context: context)
        let credentials =
            "--auth-username, --auth-api-key and --auth-key-is-global (LEXICON_TRANSIP_AUTH_USERNAME, "
            + "LEXICON_TRANSIP_AUTH_API_KEY); a key pair without --auth-key-is-global only works from its whitelisted "
            + "addresses"
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: http, headers: [],
            failure: HTTPFailure(
                provider: "transip", service: "TransIP", credentials: credentials,
                rateLimitAdvice: "TransIP allows 1000 requests in a sliding window of 15 minutes"))
        // TransIP's error bodies are `{"error": "…"}`.
        api.detail = { $0?["error"]?.string ?? "" }
        self.api = api
        let url = api.base + "/auth"
        let identity = [url, login, String(global), Digest.hex(Digest.hash(.sha256, Array(pem.utf8)))]
        let grant = OAuthTokenSource.Grant(identity: identity.joined(separator: "\n"), defaultLifetime: 1800) { now in
            try Self.authRequest(url: url, login: login, global: global, signer: signer, now: now)
        }
        tokens = OAuthTokenSource.shared(
            grant: grant, transport: http, provider: "transip", service: "TransIP",
            credentialOptions: ["--auth-username", "--auth-api-key", "--auth-key-is-global"])
    }

    public func authenticate() async throws {
        try await call(
            "GET", "/domains/\(context.zone)", operation: "read the domain",
            missing: .isUnknownZone(hint: "The TransIP account has no such domain."))
    }

    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let answer = try await call(
            "GET", "/domains/\(context.zone)/dns", operation: "list DNS entries",
            missing: .isUnknownZone(hint: "The TransIP account has no such domain."))
        guard let entries = answer["dnsEntries"]?.array else { throw api.unexpected("list DNS entries") }
        return try entries.map { json in
            guard let name = json["name"]?.string, let type = json["type"]?.string,
                let content = json["content"]?.string, let expire = json["expire"]?.int
            else { throw api.unexpected("list DNS entries") }
            // The entry itself is its id: TransIP deletes an entry named by all four fields.
            let id = JSONValue.object(Self.fields(name: name, expire: expire, type: type, content: content))
            return NativeRecord(
                nativeID: String(decoding: id.encoded(), as: UTF8.self),
                record: record(name: name, expire: expire, type: RecordType(rawValue: type), content: content))
        }
    }

    public func add(_ record: Record) async throws {
        try await call(
            "POST", "/domains/\(context.zone)/dns", body: .object([("dnsEntry", .object(try entry(record)))]),
            operation: "add a DNS entry")
    }

    /// The new entry is added before the old one goes, so the name never answers nothing; a CNAME cannot stand beside
    /// another, so the old one goes first.
    public func replace(_ nativeID: String, with record: Record) async throws {
        let old = try JSONValue(parsing: Array(nativeID.utf8))
        if record.type == .cname || old["type"]?.string == "CNAME" {
            try await remove(nativeID)
            try await add(record)
        } else {
            try await add(record)
            try await remove(nativeID)
        }
    }

    public func remove(_ nativeID: String) async throws {
        let entry = try JSONValue(parsing: Array(nativeID.utf8))
        try await call(
            "DELETE", "/domains/\(context.zone)/dns", body: .object([("dnsEntry", entry)]),
            operation: "remove a DNS entry", missing: .isFine)
    }

    // MARK: - API

    /// A request with the bearer token; a token TransIP refuses (revoked, or expired early) is bought again once.
    @discardableResult
    private func call(
        _ method: String, _ path: String, body: JSONValue? = nil, operation: String,
        missing: JSONAPIClient.Missing = .fails
    ) async throws -> JSONValue {
        let token = try await tokens.token()
        do {
            return try await api.call(
                method, path, body: body, extraHeaders: [HTTPHeader("Authorization", token.authorization)],
                operation: operation, missing: missing)
        } catch let error as LexiconError where error.code == .authentication && !error.message.hasPrefix("No domain") {
            await tokens.invalidate()
            let renewed = try await tokens.token()
            return try await api.call(
                method, path, body: body, extraHeaders: [HTTPHeader("Authorization", renewed.authorization)],
                operation: operation, missing: missing)
        }
    }

    /// The signed `POST /auth`: a fresh nonce and label each time, a token for 30 minutes, and the signature of the
    /// exact body bytes. Never repeated by the transport: TransIP refuses a nonce it has seen.
    private static func authRequest(url: String, login: String, global: Bool, signer: RSASigner, now: Int) throws
        -> HTTPRequest
    {
        let nonce = (0..<2).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        let body = JSONValue.object([
            ("login", .string(login)), ("nonce", .string(nonce)), ("read_only", .bool(false)),
            ("expiration_time", .string("30 minutes")), ("label", .string("lexicon-\(now)-\(nonce.prefix(8))")),
            ("global_key", .bool(global)),
        ]).encoded()
        let signature = Base64.encode(try signer.sign(body, digest: .sha512))
        return HTTPRequest(
            method: "POST", url: url,
            headers: [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json"),
                HTTPHeader("Signature", signature),
            ], body: body, idempotent: false)
    }

    /// The key's PEM text: the option's value, the file it names, or (as dns-lexicon takes it) `base64::` and the
    /// file's content in base64.
    private static func privateKey(_ value: String) throws -> String {
        if value.contains("-----BEGIN") { return value }
        if value.hasPrefix("base64::") {
            guard let bytes = Base64.decode(String(value.dropFirst(8).filter { !" \t\r\n".contains($0) })) else {
                throw LexiconError(.config, "--auth-api-key after base64:: is not base64.", provider: "transip")
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let bytes = try? FileIO.read(value) else {
            throw LexiconError(
                .config, "--auth-api-key holds no PEM private key, no base64:: key and names no readable file.",
                provider: "transip")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func fields(name: String, expire: Int, type: String, content: String) -> [(String, JSONValue)] {
        [("name", .string(name)), ("expire", .int(expire)), ("type", .string(type)), ("content", .string(content))]
    }

    /// A TransIP entry as a record: targets relative to the zone, `@`, or absolute with a final dot; the MX priority
    /// out of the content.
    private func record(name: String, expire: Int, type: RecordType, content: String) -> Record {
        var content = content
        var priority: Int?
        switch type {
        case .cname, .ns:
            content = target(content)
        case .mx:
            let parts = content.split(separator: " ", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[0]) {
                priority = value
                content = target(String(parts[1]))
            }
        case .srv:
            var parts = content.split(separator: " ").map(String.init)
            if parts.count == 4 {
                parts[3] = target(parts[3])
                content = parts.joined(separator: " ")
            }
        default:
            break
        }
        return Record(
            type: type, name: context.absoluteName(name), ttl: expire, content: content, priority: priority)
    }

    private func target(_ value: String) -> String {
        value.hasSuffix(".") ? String(value.dropLast()) : context.absoluteName(value)
    }

    /// A record as a TransIP entry: the name relative (`@` for the apex), targets absolute with a final dot, the MX
    /// priority before the host, TXT text as it is.
    private func entry(_ record: Record) throws -> [(String, JSONValue)] {
        var content = record.content
        switch record.type {
        case .cname, .ns:
            content = RecordPresentation.bare(Substring(content)) + "."
        case .mx:
            content = "\(record.priority ?? 0) \(RecordPresentation.bare(Substring(content)))."
        case .srv:
            let (priority, rest) = try SRVFields.split(content)
            var parts = rest.split(separator: " ").map(String.init)
            parts[parts.count - 1] = RecordPresentation.bare(Substring(parts[parts.count - 1])) + "."
            content = "\(priority) " + parts.joined(separator: " ")
        default:
            break
        }
        return Self.fields(
            name: context.relativeName(record.name), expire: record.ttl, type: record.type.rawValue, content: content)
    }
}
