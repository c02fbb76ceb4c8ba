import Lexicon
import LexiconHTTP

/// easyDNS through its REST API (HTTP Basic with the API token and key, `format=json` on every request): the zone
/// from `/domain/{domain}`, every page of `/zones/records/all/{domain}` by `start`/`max`, one record per value under
/// easyDNS's ids (numbers sent as strings), the apex as `@`, the MX priority in `prio`, `PUT` to add and `POST` to
/// modify, and easyDNS's "420 Enhance Your Calm" answered as the rate limit it is.
public actor EasyDNSProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "easydns",
        summary: "easyDNS (REST API) with an API token and key.",
        options: [
            ProviderOption(
                "auth_username", help: "The easyDNS API token (the user name of HTTP Basic auth).", isRequired: true),
            ProviderOption(
                "auth_token", help: "The easyDNS API key (the password of HTTP Basic auth).", isRequired: true),
            .apiEndpoint(
                EasyDNSProvider.endpoint, help: "The API's base URL (https://sandbox.rest.easydns.net for the sandbox)."
            ),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .txt],
        nameserverPatterns: ["*.easydns.com", "*.easydns.net", "*.easydns.org", "*.easydns.info"],
        defaultEndpoint: EasyDNSProvider.endpoint,
        usesHTTP: true,
        // "420 Enhance Your Calm" comes quickly: two sets at a time.
        applyConcurrency: 2,
        factory: { try EasyDNSProvider(context: $0) })

    static let endpoint = "https://rest.easydns.net"
    /// The records a listing page asks for.
    static let pageSize = 1000
    static let unknownZone = "The account has no such domain."

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let failure = HTTPFailure(
            provider: "easydns", service: "easyDNS",
            credentials:
                "--auth-username and --auth-token (LEXICON_EASYDNS_AUTH_USERNAME, LEXICON_EASYDNS_AUTH_TOKEN): "
                + "the API token and key",
            rateLimitAdvice: "easyDNS answers 420 Enhance Your Calm until its rate limit resets")
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [
                .basicAuthorization(
                    user: try context.requiredOption("auth_username"),
                    password: try context.requiredOption("auth_token"))
            ],
            failure: failure)
        // `{"error": {"code": 400, "message": "…"}}`, or `{"msg": "…", "status": 403}`.
        api.detail = { $0?["error"]?["message"]?.string ?? $0?["msg"]?.string ?? "" }
        api.special = { response, json, operation in
            let code = json?["error"]?["code"]?.int ?? json?["status"]?.int
            let message = json?["error"]?["message"]?.string ?? json?["msg"]?.string ?? ""
            guard code == 420 || response.status == 420 || message.lowercased().hasPrefix("enhance your calm") else {
                return nil
            }
            return failure.error(429, operation: operation, detail: "")
        }
        self.api = api
    }

    public func authenticate() async throws {
        let answer = try await api.get(
            path("/domain/\(context.zone)"), operation: "read the domain",
            missing: .isUnknownZone(hint: Self.unknownZone))
        guard answer["data"]?["exists"]?.string != "N" else {
            throw LexiconError.domainNotFound(context.zone, provider: "easydns", hint: Self.unknownZone)
        }
    }

    public func add(_ record: Record) async throws {
        try await api.put(
            path("/zones/records/add/\(context.zone)/\(record.type.rawValue)"), body(record),
            operation: "create a record")
    }

    /// A `POST` of the whole record to its id.
    public func replace(_ nativeID: String, with record: Record) async throws {
        try await api.post(path("/zones/records/\(nativeID)"), body(record), operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await api.delete(path("/zones/records/\(context.zone)/\(nativeID)"), operation: "delete a record")
    }

    // MARK: - API

    /// Every page by `start` and `max` until `total` records are read; easyDNS filters nothing on its side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var pages = PageGuard(provider: "easydns", service: "easyDNS", operation: "list records", parameters: "start")
        var entries: [NativeRecord] = []
        while true {
            let answer = try await api.get(
                path(
                    "/zones/records/all/\(context.zone)", [("start", "\(entries.count)"), ("max", "\(Self.pageSize)")]),
                operation: "list records", missing: .isUnknownZone(hint: Self.unknownZone))
            guard let data = answer["data"]?.array else { throw api.unexpected("list records") }
            let total = Self.number(answer["total"])
            try pages.read(data, total: total)
            entries += try data.map(entry)
            if data.isEmpty || entries.count >= (total ?? entries.count) { return entries }
        }
    }

    /// A path with `format=json` (easyDNS answers XML without it) and any other query.
    private func path(_ path: String, _ query: [(String, String)] = []) -> String {
        path + "?" + URLQuery.encode([("format", "json")] + query)
    }

    /// easyDNS sends numbers as strings (`"ttl": "300"`).
    private static func number(_ json: JSONValue?) -> Int? { json?.int ?? json?.string.flatMap { Int($0) } }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string ?? Self.number(json["id"]).map(String.init),
            let typeText = json["type"]?.string,
            let host = json["host"]?.string, let rdata = json["rdata"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        let content = [.cname, .ns, .mx].contains(type) ? RecordPresentation.bare(Substring(rdata)) : rdata
        let record = Record(
            type: type, name: context.absoluteName(host), ttl: Self.number(json["ttl"]) ?? context.defaultTTL,
            content: content, priority: type == .mx ? Self.number(json["prio"]) ?? 0 : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The body of an add or a modify: the domain, the host relative with `@` for the apex, the TTL, the MX priority
    /// as `prio` (0 for other types), the type and the data (hosts without their final dot).
    private func body(_ record: Record) -> JSONValue {
        let rdata =
            [.cname, .ns, .mx].contains(record.type)
            ? RecordPresentation.bare(Substring(record.content)) : record.content
        return .object([
            ("domain", .string(context.zone)), ("host", .string(context.relativeName(record.name))),
            ("ttl", .int(record.ttl)), ("prio", .int(record.type == .mx ? record.priority ?? 0 : 0)),
            ("type", .string(record.type.rawValue)), ("rdata", .string(rdata)),
        ])
    }
}
