import Lexicon
import LexiconHTTP

/// DNS Made Easy through the REST API v2.0: every request signed with the API key, the request date (RFC 1123) and
/// the hex HMAC-SHA1 of that date under the secret key; the zone's numeric id from its name, one record per value
/// under DNS Made Easy's ids, names relative to the zone (`""` for the apex), TXT values quoted, targets as FQDNs
/// with their final dot, and the MX priority in `mxLevel`.
public actor DNSMadeEasyProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "dnsmadeeasy",
        summary: "DNS Made Easy (API v2.0) with an API key and its secret key.",
        options: [
            ProviderOption(
                "auth_username", help: "The DNS Made Easy API key (Config > Account Information).",
                isRequired: true),
            ProviderOption(
                "auth_token", help: "The DNS Made Easy secret key that goes with the API key.", isRequired: true),
            .apiEndpoint(DNSMadeEasyProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .cname, .mx, .ns, .txt],
        nameserverPatterns: ["*.dnsmadeeasy.com"],
        defaultEndpoint: DNSMadeEasyProvider.endpoint,
        usesHTTP: true,
        // 150 requests per 5 minutes: one set at a time.
        applyConcurrency: 1,
        factory: { try DNSMadeEasyProvider(context: $0) })

    static let endpoint = "https://api.dnsmadeeasy.com/V2.0"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private let apiKey: String
    private let secret: [UInt8]
    /// The zone's id, once read.
    private var zoneID: Int?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        apiKey = try context.requiredOption("auth_username")
        secret = Array(try context.requiredOption("auth_token").utf8)
        let failure = HTTPFailure(
            provider: "dnsmadeeasy", service: "DNS Made Easy",
            credentials: "--auth-username (the API key) and --auth-token (the secret key) "
                + "(LEXICON_DNSMADEEASY_AUTH_USERNAME, LEXICON_DNSMADEEASY_AUTH_TOKEN) and this machine's clock",
            rateLimitAdvice: "DNS Made Easy allows 150 requests per 5 minutes")
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [], failure: failure)
        // DNS Made Easy's error bodies are `{"error": ["…", …]}`.
        api.detail = { json in
            json?["error"]?.array?.compactMap(\.string).joined(separator: "; ") ?? json?["error"]?.string ?? ""
        }
        // An exhausted rate limit is a 400 whose body says so.
        api.special = { response, json, operation in
            guard response.status == 400,
                json?["error"]?.array?.contains(where: { $0.string?.contains("Rate limit exceeded") == true }) == true
            else { return nil }
            return failure.error(429, operation: operation, detail: "")
        }
        self.api = api
    }

    /// The signature headers of one request: the key, the date and the HMAC of the date.
    private func signature() -> [HTTPHeader] {
        let date = RequestDate.rfc1123(RequestDate.now())
        return [
            HTTPHeader("x-dnsme-apiKey", apiKey), HTTPHeader("x-dnsme-requestDate", date),
            HTTPHeader("x-dnsme-hmac", Digest.hex(Digest.hmac(.sha1, key: secret, Array(date.utf8)))),
        ]
    }

    @discardableResult
    private func call(
        _ method: String, _ path: String, body: JSONValue? = nil, operation: String,
        missing: JSONAPIClient.Missing = .fails
    ) async throws -> JSONValue {
        try await api.call(
            method, path, body: body, extraHeaders: signature(), operation: operation, missing: missing)
    }

    public func authenticate() async throws {
        _ = try await zone()
    }

    /// The zone's id, from `GET /dns/managed/name?domainname=`.
    private func zone() async throws -> Int {
        if let zoneID { return zoneID }
        let answer = try await call(
            "GET", "/dns/managed/name?" + URLQuery.encode([("domainname", context.zone)]), operation: "read the domain",
            missing: .isUnknownZone(hint: "The account manages no such domain."))
        guard let id = answer["id"]?.int else { throw api.unexpected("read the domain") }
        zoneID = id
        return id
    }

    /// A `POST`; a value DNS Made Easy already holds (another writer added it since the listing) is there, as wanted.
    public func add(_ record: Record) async throws {
        let id = try await zone()
        do {
            try await call("POST", "/dns/managed/\(id)/records", body: body(for: record), operation: "create a record")
        } catch let error as LexiconError where error.message.contains("already exists") {
            return
        }
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        let id = try await zone()
        var fields = body(for: record)
        if case .object(let pairs) = fields, let rid = Int(nativeID) { fields = .object([("id", .int(rid))] + pairs) }
        try await call("PUT", "/dns/managed/\(id)/records/\(nativeID)", body: fields, operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        let id = try await zone()
        try await call(
            "DELETE", "/dns/managed/\(id)/records/\(nativeID)", operation: "delete a record", missing: .isFine)
    }

    // MARK: - API

    /// Every page of the listing; DNS Made Easy numbers its pages from 0 and says how many there are.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let id = try await zone()
        let records = try await PageGuard.numbered(
            provider: "dnsmadeeasy", service: "DNS Made Easy", operation: "list records"
        ) { number in
            let answer = try await call(
                "GET", "/dns/managed/\(id)/records?" + URLQuery.encode([("page", String(number - 1))]),
                operation: "list records")
            guard let data = answer["data"]?.array else { throw api.unexpected("list records") }
            return (data, answer["totalPages"]?.int, answer["totalRecords"]?.int)
        }
        return try records.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.int, let typeText = json["type"]?.string, let relative = json["name"]?.string,
            let value = json["value"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        var content = value
        switch type {
        case .txt where value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\""):
            content = TXTPresentation.decode(value) ?? value
        case .cname, .ns, .mx:
            // A target without its final dot is relative to the zone.
            content =
                value.hasSuffix(".")
                ? RecordPresentation.bare(Substring(value)) : value.isEmpty ? context.zone : value + "." + context.zone
        default:
            break
        }
        let record = Record(
            type: type, name: context.absoluteName(relative.lowercased(), apex: ""),
            ttl: json["ttl"]?.int ?? context.defaultTTL, content: content,
            priority: type == .mx ? json["mxLevel"]?.int ?? 0 : nil)
        return NativeRecord(nativeID: String(id), record: record)
    }

    /// The body of a create or an update: the name relative to the zone (`""` for the apex), TXT values quoted,
    /// targets with their final dot, and the MX priority in `mxLevel`.
    private func body(for record: Record) -> JSONValue {
        var value = record.content
        switch record.type {
        case .txt:
            value = "\"" + TXTPresentation.escape(Array(record.content.utf8)) + "\""
        case .cname, .ns, .mx:
            value = RecordPresentation.bare(Substring(record.content)) + "."
        default:
            break
        }
        var pairs: [(String, JSONValue)] = [
            ("name", .string(context.relativeName(record.name, apex: ""))), ("type", .string(record.type.rawValue)),
            ("value", .string(value)), ("ttl", .int(record.ttl)), ("gtdLocation", .string("DEFAULT")),
        ]
        if record.type == .mx { pairs.append(("mxLevel", .int(record.priority ?? 0))) }
        return .object(pairs)
    }
}
