import Lexicon
import LexiconHTTP

/// Exoscale DNS through the API v2 (dns-lexicon still calls the v1 DNS API, retired on 2024-05-01): every request
/// signed with EXO2-HMAC-SHA256 under the API key and secret, the zone's id from its name, one record per value
/// under Exoscale's uuids, names relative to the zone (`""` for the apex), targets without their final dot, the MX
/// and SRV priority in its own field, and every write an asynchronous operation polled until it succeeds or fails.
public actor ExoscaleProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "exoscale",
        summary: "Exoscale DNS (API v2) with an API key and its secret.",
        options: [
            ProviderOption("auth_key", help: "The Exoscale API key (EXO…, IAM > Keys).", isRequired: true),
            ProviderOption("auth_secret", help: "The secret of the Exoscale API key.", isRequired: true),
            ProviderOption(
                "api_zone", help: "The Exoscale zone whose API endpoint is used (https://api-ZONE.exoscale.com/v2).",
                isSecret: false, defaultValue: ExoscaleProvider.defaultZone, valueName: "ZONE"),
            .apiEndpoint(
                nil, help: "The API's base URL; https://api-ZONE.exoscale.com/v2 of --api-zone when not given."),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, "SSHFP", .txt],
        nameserverPatterns: ["*.exoscale.ch", "*.exoscale.com", "*.exoscale.net", "*.exoscale.io"],
        defaultEndpoint: ExoscaleProvider.endpoint(zone: ExoscaleProvider.defaultZone),
        usesHTTP: true,
        factory: { try ExoscaleProvider(context: $0) })

    static let defaultZone = "ch-gva-2"
    static func endpoint(zone: String) -> String { "https://api-\(zone).exoscale.com/v2" }
    /// How long a signature stays valid, as Exoscale's SDKs sign.
    static let signatureLifetime = 600
    /// The longest wait for an operation, in seconds.
    static let operationTimeout = 120

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    /// The zone's id, once read.
    private var zoneID: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let signer = ExoscaleSignature(
            key: try context.requiredOption("auth_key"), secret: try context.requiredOption("auth_secret"))
        let zone = context.option("api_zone") ?? Self.defaultZone
        guard !zone.isEmpty, zone.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw LexiconError(
                .config, "--api-zone must be an Exoscale zone such as ch-gva-2.", provider: "exoscale")
        }
        let signing = SigningTransport(transport ?? CurlTransport(context: context)) {
            signer.sign($0, expires: RequestDate.now() + Self.signatureLifetime)
        }
        self.api = JSONAPIClient(
            context: context, endpoint: Self.endpoint(zone: zone), transport: signing, headers: [],
            failure: HTTPFailure(
                provider: "exoscale", service: "Exoscale",
                credentials: "--auth-key and --auth-secret (LEXICON_EXOSCALE_AUTH_KEY, LEXICON_EXOSCALE_AUTH_SECRET), "
                    + "the key's IAM role (it needs the dns service) and this machine's clock",
                rateLimitAdvice: nil))
    }

    public func authenticate() async throws {
        _ = try await domainID()
    }

    /// The zone's id, from the account's domains (`GET /dns-domain`).
    private func domainID() async throws -> String {
        if let zoneID { return zoneID }
        let answer = try await api.get("/dns-domain", operation: "list domains")
        guard let domains = answer["dns-domains"]?.array else { throw api.unexpected("list domains") }
        guard
            let id = domains.first(where: { $0["unicode-name"]?.string?.lowercased() == context.zone })?["id"]?
                .string
        else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "exoscale", hint: "The organization of the API key has no such DNS domain.")
        }
        zoneID = id
        return id
    }

    public func add(_ record: Record) async throws {
        let id = try await domainID()
        let answer = try await api.post(
            "/dns-domain/\(id)/record", .object([("type", .string(record.type.rawValue))] + (try fields(record))),
            operation: "create a record")
        try await finish(answer, operation: "create a record")
    }

    /// A `PUT` of name, content, TTL and priority; a record's type never changes.
    public func replace(_ nativeID: String, with record: Record) async throws {
        let id = try await domainID()
        let answer = try await api.put(
            "/dns-domain/\(id)/record/\(nativeID)", .object(try fields(record)), operation: "update a record")
        try await finish(answer, operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        let id = try await domainID()
        let answer = try await api.delete("/dns-domain/\(id)/record/\(nativeID)", operation: "delete a record")
        if answer != .null { try await finish(answer, operation: "delete a record") }
    }

    /// Polls a write's operation (`GET /operation/{id}`) until it is no longer `pending`: `success` is done,
    /// `failure` or `timeout` is an error with Exoscale's message.
    private func finish(_ operation: JSONValue, operation what: String) async throws {
        var current = operation
        var delay = 100
        var waited = 0
        while true {
            guard let id = current["id"]?.string, let state = current["state"]?.string else {
                throw api.unexpected(what)
            }
            switch state {
            case "success":
                return
            case "pending":
                guard waited < Self.operationTimeout * 1000 else {
                    throw LexiconError(
                        .provider,
                        "\(what): Exoscale's operation \(id) was still pending after "
                            + "\(Self.operationTimeout) seconds.", provider: "exoscale")
                }
                try await Task.sleep(for: .milliseconds(delay))
                waited += delay
                delay = min(delay * 2, 2000)
                current = try await api.get("/operation/\(id)", operation: what)
            default:
                let reason = [current["reason"]?.string, current["message"]?.string].compactMap { $0 }
                    .filter { !$0.isEmpty }.joined(separator: ": ")
                throw LexiconError(
                    .provider,
                    "\(what) failed: Exoscale's operation ended in \(state)"
                        + (reason.isEmpty ? "" : " (\(reason))") + ".", provider: "exoscale")
            }
        }
    }

    // MARK: - API

    /// The domain's records in one listing (the API does not page it).
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let id = try await domainID()
        let answer = try await api.get("/dns-domain/\(id)/record", operation: "list records")
        guard let records = answer["dns-domain-records"]?.array else { throw api.unexpected("list records") }
        return try records.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let typeText = json["type"]?.string, let relative = json["name"]?.string,
            let data = json["content"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        let (content, priority) = PriorityField.join(type: type, value: data, priority: json["priority"]?.int ?? 0)
        let record = Record(
            type: type, name: context.absoluteName(relative.lowercased(), apex: ""),
            ttl: json["ttl"]?.int ?? context.defaultTTL, content: content, priority: priority)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The fields of a create or an update: the apex as `""`, TXT content as it is,
    /// targets without their final dot, and the priority of MX and SRV.
    private func fields(_ record: Record) throws -> [(String, JSONValue)] {
        let (content, priority) = try PriorityField.split(record)
        return [
            ("name", .string(context.relativeName(record.name, apex: ""))), ("content", .string(content)),
            ("ttl", .int(record.ttl)),
        ] + (priority.map { [("priority", .int($0))] } ?? [])
    }
}
