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
            .apiEndpoint(nil, help: "The API's base URL (overrides --auth-entrypoint)."),
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
    private let api: JSONAPIClient
    private let applicationSecret: String
    private let consumerKey: String
    private var clockDelta: Int?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let entrypoint = context.option("auth_entrypoint") ?? "ovh-eu"
        guard let regional = Self.entrypoints[entrypoint] else {
            throw LexiconError(
                .config,
                "unknown --auth-entrypoint \"\(entrypoint)\"; use one of \(Self.entrypoints.keys.sorted().joined(separator: ", ")).",
                provider: "ovh")
        }
        let applicationKey = try context.requiredOption("auth_application_key")
        applicationSecret = try context.requiredOption("auth_application_secret")
        consumerKey = try context.requiredOption("auth_consumer_key")
        var api = JSONAPIClient(
            context: context, endpoint: regional, transport: transport,
            headers: [HTTPHeader("X-Ovh-Application", applicationKey), HTTPHeader("X-Ovh-Consumer", consumerKey)],
            failure: HTTPFailure(provider: "ovh", service: "OVH", credentials: ""))
        api.special = { response, json, operation in
            let signature = response.status == 400 && (json?["errorCode"]?.string ?? "").contains("SIGNATURE")
            guard signature || response.status == 401 || response.status == 403 else { return nil }
            let message = json?["message"]?.string ?? ""
            return LexiconError(
                .authentication,
                "authentication failed (HTTP \(response.status)\(message.isEmpty ? "" : ": " + message)) to \(operation); the consumer key must be allowed /domain/zone/*.",
                provider: "ovh",
                hint:
                    "Check --auth-application-key, --auth-application-secret and --auth-consumer-key (LEXICON_OVH_AUTH_*)."
            )
        }
        self.api = api
    }

    public func authenticate() async throws {
        try await call(
            "GET", "/domain/zone/\(context.zone)", operation: "read the zone",
            missing: .isUnknownZone(hint: "The account has no such DNS zone."))
    }

    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var query: [(String, String)] = []
        if let type { query.append(("fieldType", type.rawValue)) }
        if let name { query.append(("subDomain", context.relativeName(name, apex: ""))) }
        let path = "/domain/zone/\(context.zone)/record" + (query.isEmpty ? "" : "?" + URLQuery.encode(query))
        guard let ids = try await call("GET", path, operation: "list records").array?.compactMap(\.int) else {
            throw api.unexpected("list records")
        }
        var entries: [NativeRecord] = []
        for id in ids {
            let json = try await call("GET", "/domain/zone/\(context.zone)/record/\(id)", operation: "read a record")
            guard let typeText = json["fieldType"]?.string, let target = json["target"]?.string else {
                throw api.unexpected("read a record")
            }
            let type = RecordType(rawValue: typeText)
            let relative = json["subDomain"]?.string ?? ""
            let recordName = context.absoluteName(relative, apex: "")
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
        try await call(
            "POST", "/domain/zone/\(context.zone)/record", body: .object(pairs), operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await call(
            "PUT", "/domain/zone/\(context.zone)/record/\(nativeID)", body: .object(fields(record)),
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        _ = try await call(
            "DELETE", "/domain/zone/\(context.zone)/record/\(nativeID)", operation: "delete a record",
            missing: .isFine)
    }

    /// Applies the changes: OVH serves them only after a refresh.
    public func afterChanges() async throws {
        _ = try await call("POST", "/domain/zone/\(context.zone)/refresh", operation: "refresh the zone")
    }

    private func fields(_ record: Record) -> [(String, JSONValue)] {
        [
            ("subDomain", .string(context.relativeName(record.name, apex: ""))),
            ("target", .string(RecordPresentation.rdata(of: record))), ("ttl", .int(record.ttl)),
        ]
    }

    /// Seconds to add to our clock to get OVH's, read once from `/auth/time`.
    private func delta() async throws -> Int {
        if let clockDelta { return clockDelta }
        let response = try await api.transport.send(HTTPRequest(url: api.base + "/auth/time"))
        guard response.status == 200, let serverTime = Int(response.text.filter { !$0.isWhitespace }) else {
            throw LexiconError(
                .network, "cannot read OVH's clock from \(api.base)/auth/time (HTTP \(response.status)).",
                provider: "ovh")
        }
        let value = serverTime - Int(time(nil))
        clockDelta = value
        return value
    }

    /// Sends a request signed with the secret, the consumer key and OVH's clock.
    @discardableResult
    private func call(
        _ method: String, _ path: String, body: JSONValue? = nil, operation: String,
        missing: JSONAPIClient.Missing = .fails
    ) async throws -> JSONValue {
        // Our clock is read after the wait for OVH's (the first call asks /auth/time): read before, a slow answer
        // made the request as old as that wait, and OVH refuses an old timestamp (QUERY_TIME_OUT).
        let delta = try await delta()
        let timestamp = String(Int(time(nil)) + delta)
        let text = body.map { String(decoding: $0.encoded(), as: UTF8.self) } ?? ""
        let signed = [applicationSecret, consumerKey, method, api.base + path, text, timestamp].joined(separator: "+")
        let signature = "$1$" + Digest.hex(Digest.hash(.sha1, Array(signed.utf8)))
        return try await api.call(
            method, path, body: body,
            extraHeaders: [HTTPHeader("X-Ovh-Timestamp", timestamp), HTTPHeader("X-Ovh-Signature", signature)],
            operation: operation, missing: missing)
    }
}
