import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// OVHcloud DNS through its REST API, with an application key and secret and a consumer key: every request signed
/// (`$1$` + SHA-1 of secret, consumer key, method, URL, body and timestamp) with the server's clock from
/// `/auth/time`, records by OVH's ids, and `POST /domain/zone/{zone}/refresh` after every change so the zone is
/// applied.
public actor OVHProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "ovh",
        summary: "OVHcloud DNS with an application key, application secret and consumer key.",
        options: [
            ProviderOption(
                "auth_entrypoint",
                help: "The API region: ovh-eu, ovh-ca, ovh-us, kimsufi-eu, kimsufi-ca, soyoustart-eu or soyoustart-ca.",
                isSecret: false, defaultValue: "ovh-eu", valueName: "REGION"),
            ProviderOption("auth_application_key", help: "The application key.", isRequired: true),
            ProviderOption("auth_application_secret", help: "The application secret.", isRequired: true),
            ProviderOption(
                "auth_consumer_key", help: "The consumer key (with rights on /domain/zone/*).", isRequired: true),
            ProviderOption(
                "api_endpoint", help: "The API's base URL (overrides --auth-entrypoint).", isSecret: false,
                valueName: "URL"),
        ],
        nameserverPatterns: ["*.ovh.net", "*.ovh.ca", "*.anycast.me"],
        defaultEndpoint: "https://eu.api.ovh.com/1.0",
        usesHTTP: true,
        factory: { try OVHProvider(context: $0) })

    static let entrypoints = [
        "ovh-eu": "https://eu.api.ovh.com/1.0", "ovh-ca": "https://ca.api.ovh.com/1.0",
        "ovh-us": "https://api.us.ovhcloud.com/1.0", "kimsufi-eu": "https://eu.api.kimsufi.com/1.0",
        "kimsufi-ca": "https://ca.api.kimsufi.com/1.0", "soyoustart-eu": "https://eu.api.soyoustart.com/1.0",
        "soyoustart-ca": "https://ca.api.soyoustart.com/1.0",
    ]

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let base: String
    private let applicationKey: String
    private let applicationSecret: String
    private let consumerKey: String
    private var clockDelta: Int?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        let entrypoint = context.option("auth_entrypoint") ?? "ovh-eu"
        guard let regional = Self.entrypoints[entrypoint] else {
            throw LexiconError(
                .config,
                "unknown --auth-entrypoint \"\(entrypoint)\"; use one of \(Self.entrypoints.keys.sorted().joined(separator: ", ")).",
                provider: "ovh")
        }
        base = context.endpoint(default: regional)
        applicationKey = try context.requiredOption("auth_application_key")
        applicationSecret = try context.requiredOption("auth_application_secret")
        consumerKey = try context.requiredOption("auth_consumer_key")
    }

    public func authenticate() async throws {
        _ = try await call("GET", "/domain/zone/\(context.zone)", operation: "read the zone")
    }

    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var query: [(String, String)] = []
        if let type { query.append(("fieldType", type.rawValue)) }
        if let name { query.append(("subDomain", name == context.zone ? "" : context.names.relative(name))) }
        let path = "/domain/zone/\(context.zone)/record" + (query.isEmpty ? "" : "?" + URLQuery.encode(query))
        guard let ids = try await call("GET", path, operation: "list records").array?.compactMap(\.int) else {
            throw Self.unexpected("list records")
        }
        var entries: [NativeRecord] = []
        for id in ids {
            let json = try await call("GET", "/domain/zone/\(context.zone)/record/\(id)", operation: "read a record")
            guard let typeText = json["fieldType"]?.string, let target = json["target"]?.string else {
                throw Self.unexpected("read a record")
            }
            let type = RecordType(rawValue: typeText)
            let relative = json["subDomain"]?.string ?? ""
            let recordName = relative.isEmpty ? context.zone : (try? context.names.absolute(relative)) ?? relative
            let parsed = RecordPresentation.content(of: target, type: type)
            entries.append(
                NativeRecord(
                    nativeID: String(id),
                    record: Record(
                        type: type, name: recordName, ttl: json["ttl"]?.int ?? context.defaultTTL,
                        content: parsed.content, priority: parsed.priority)))
        }
        return entries
    }

    public func add(_ record: Record) async throws {
        var pairs = fields(record)
        pairs.insert(("fieldType", .string(record.type.rawValue)), at: 0)
        _ = try await call(
            "POST", "/domain/zone/\(context.zone)/record", body: JSONValue.object(pairs).encoded(),
            operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        _ = try await call(
            "PUT", "/domain/zone/\(context.zone)/record/\(nativeID)", body: JSONValue.object(fields(record)).encoded(),
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        _ = try await call(
            "DELETE", "/domain/zone/\(context.zone)/record/\(nativeID)", operation: "delete a record",
            missingIsFine: true)
    }

    /// Applies the changes: OVH serves them only after a refresh.
    public func afterChanges() async throws {
        _ = try await call("POST", "/domain/zone/\(context.zone)/refresh", operation: "refresh the zone")
    }

    private func fields(_ record: Record) -> [(String, JSONValue)] {
        [
            ("subDomain", .string(record.name == context.zone ? "" : context.names.relative(record.name))),
            ("target", .string(RecordPresentation.rdata(of: record))), ("ttl", .int(record.ttl)),
        ]
    }

    static func unexpected(_ operation: String) -> LexiconError {
        LexiconError(
            .provider, "\(operation): OVH answered JSON of an unexpected shape.", provider: "ovh")
    }

    /// Seconds to add to our clock to get OVH's, read once from `/auth/time`.
    private func delta() async throws -> Int {
        if let clockDelta { return clockDelta }
        let response = try await transport.send(HTTPRequest(url: base + "/auth/time"))
        guard response.status == 200, let serverTime = Int(response.text.filter { !$0.isWhitespace }) else {
            throw LexiconError(
                .network, "cannot read OVH's clock from \(base)/auth/time (HTTP \(response.status)).", provider: "ovh")
        }
        let value = serverTime - Int(time(nil))
        clockDelta = value
        return value
    }

    @discardableResult
    private func call(
        _ method: String, _ path: String, body: [UInt8]? = nil, operation: String, missingIsFine: Bool = false
    ) async throws -> JSONValue {
        let url = base + path
        let timestamp = String(Int(time(nil)) + (try await delta()))
        let text = body.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let signed = [applicationSecret, consumerKey, method, url, text, timestamp].joined(separator: "+")
        let signature = "$1$" + Digest.hex(Digest.hash(.sha1, Array(signed.utf8)))
        var headers = [
            HTTPHeader("X-Ovh-Application", applicationKey), HTTPHeader("X-Ovh-Consumer", consumerKey),
            HTTPHeader("X-Ovh-Timestamp", timestamp), HTTPHeader("X-Ovh-Signature", signature),
            HTTPHeader("Accept", "application/json"),
        ]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let response = try await transport.send(HTTPRequest(method: method, url: url, headers: headers, body: body))
        if (200..<300).contains(response.status) {
            return method == "GET"
                ? try response.json(operation: operation, provider: "ovh", service: "OVH")
                : (try? JSONValue(parsing: response.body)) ?? .null
        }
        let json = try? JSONValue(parsing: response.body)
        let message = json?["message"]?.string ?? ""
        switch response.status {
        case 400 where (json?["errorCode"]?.string ?? "").contains("SIGNATURE"), 401, 403:
            throw LexiconError(
                .authentication,
                "authentication failed (HTTP \(response.status)\(message.isEmpty ? "" : ": " + message)) to \(operation). Check --auth-application-key, --auth-application-secret and --auth-consumer-key (LEXICON_OVH_AUTH_*), and that the consumer key may use /domain/zone/*.",
                provider: "ovh")
        case 404 where operation == "read the zone":
            throw LexiconError.domainNotFound(context.zone, provider: "ovh", hint: "The account has no such DNS zone.")
        case 404 where missingIsFine:
            return .null
        case 429:
            throw LexiconError(.network, "OVH kept answering 429 (rate limited) to \(operation).", provider: "ovh")
        default:
            let detail = message.isEmpty ? response.notJSONDetail : message
            throw LexiconError(
                .provider, "\(operation) failed with HTTP \(response.status)\(detail.isEmpty ? "" : ": " + detail).",
                provider: "ovh")
        }
    }
}
