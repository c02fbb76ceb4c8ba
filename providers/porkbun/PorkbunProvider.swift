import Lexicon
import LexiconHTTP

/// Porkbun DNS through the v3 JSON API: every call a `POST` whose JSON body carries `apikey` and `secretapikey`
/// (never a header or the URL), answers `{"status": "SUCCESS", …}` or `{"status": "ERROR", "message": …}`, one
/// record per value under Porkbun's ids, names relative in requests (the apex as `""`) but full in answers, TTLs of
/// at least 600 seconds, and the MX and SRV priority in `prio`.
public actor PorkbunProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "porkbun",
        summary: "Porkbun DNS (API v3) with an API key and its secret key.",
        options: [
            ProviderOption(
                "auth_key", help: "A Porkbun API key (Account > API Access), with API access on for the domain.",
                isRequired: true),
            ProviderOption("auth_secret", help: "The secret API key created with it.", isRequired: true),
            .apiEndpoint(PorkbunProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt],
        nameserverPatterns: ["*.porkbun.com"],
        defaultEndpoint: PorkbunProvider.endpoint,
        usesHTTP: true,
        factory: { try PorkbunProvider(context: $0) })

    static let endpoint = "https://api.porkbun.com/api/json/v3"
    /// Porkbun refuses TTLs below ten minutes; lower ones are sent as this.
    static let minimumTTL = 600
    static let credentials =
        "--auth-key and --auth-secret (or LEXICON_PORKBUN_AUTH_KEY and "
        + "LEXICON_PORKBUN_AUTH_SECRET), and that API access is on for the domain"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    /// The `apikey` and `secretapikey` every body starts with.
    private let keys: [(String, JSONValue)]

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        keys = [
            ("apikey", .string(try context.requiredOption("auth_key"))),
            ("secretapikey", .string(try context.requiredOption("auth_secret"))),
        ]
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [],
            failure: HTTPFailure(
                provider: "porkbun", service: "Porkbun", credentials: Self.credentials,
                rateLimitAdvice: "Porkbun limits how fast keys may call"))
        // Porkbun refuses with HTTP 400 and `{"status": "ERROR", "message": …}`, wrong keys included.
        let zone = context.zone
        api.special = { response, json, operation in
            guard response.status == 400, let message = json?["message"]?.string else { return nil }
            return PorkbunProvider.refusal(message, operation: operation, zone: zone)
        }
        self.api = api
    }

    /// Reads the domain's records: wrong keys are refused, and a domain the account lacks (or whose API access is
    /// off) is `No domain found` with Porkbun's message.
    public func authenticate() async throws {
        _ = try await call("/dns/retrieve/\(context.zone)", [], operation: Self.readDomain, idempotent: true)
    }

    public func add(_ record: Record) async throws {
        _ = try await call("/dns/create/\(context.zone)", try fields(record), operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        _ = try await call(
            "/dns/edit/\(context.zone)/\(nativeID)", try fields(record), operation: "update a record",
            idempotent: true)
    }

    /// A refused delete of a record that another writer removed meanwhile is done: the zone is read again to tell.
    public func remove(_ nativeID: String) async throws {
        do {
            _ = try await call(
                "/dns/delete/\(context.zone)/\(nativeID)", [], operation: "delete a record", idempotent: true)
        } catch let error as LexiconError where error.code == .provider {
            guard try await fetch(type: nil, name: nil).contains(where: { $0.nativeID == nativeID }) else { return }
            throw error
        }
    }

    /// The whole zone in one answer (Porkbun has no paging); its own NS and SOA records are not in it.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let answer = try await call("/dns/retrieve/\(context.zone)", [], operation: "list records", idempotent: true)
        guard let records = answer["records"]?.array else { throw api.unexpected("list records") }
        return try records.map(entry)
    }

    // MARK: - API

    /// A `POST` of the keys and `fields`; an answer whose `status` is not `SUCCESS` fails with its message.
    private func call(
        _ path: String, _ fields: [(String, JSONValue)], operation: String, idempotent: Bool? = nil
    ) async throws -> JSONValue {
        let answer = try await api.post(path, .object(keys + fields), operation: operation, idempotent: idempotent)
        guard answer["status"]?.string == "SUCCESS" else {
            guard let message = answer["message"]?.string, !message.isEmpty else { throw api.unexpected(operation) }
            throw Self.refusal(message, operation: operation, zone: context.zone)
        }
        return answer
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = Self.text(json["id"]), let typeText = json["type"]?.string, let fullName = json["name"]?.string,
            let content = json["content"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        // Porkbun's SRV content is `WEIGHT PORT TARGET`; the priority is `prio`.
        let (value, priority) = PriorityField.join(
            type: type, value: content, priority: Self.text(json["prio"]).flatMap { Int($0) } ?? 0)
        let record = Record(
            type: type, name: RecordPresentation.bare(Substring(fullName)).lowercased(),
            ttl: Self.text(json["ttl"]).flatMap { Int($0) } ?? context.defaultTTL, content: value, priority: priority)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The fields of a create or an edit: the name relative (the apex as `""`), targets without their final dot,
    /// the TTL raised to Porkbun's minimum, and `prio` for MX and SRV.
    private func fields(_ record: Record) throws -> [(String, JSONValue)] {
        let (content, priority) = try PriorityField.split(record)
        var fields: [(String, JSONValue)] = [
            ("name", .string(context.relativeName(record.name, apex: ""))), ("type", .string(record.type.rawValue)),
            ("content", .string(content)), ("ttl", .string(String(max(Self.minimumTTL, record.ttl)))),
        ]
        if let priority { fields.append(("prio", .string(String(priority)))) }
        return fields
    }

    /// The operation that checks the keys and the domain.
    static let readDomain = "read the domain"

    /// The error for Porkbun's refusal: wrong keys are status 3 naming the options; a refused read of the domain
    /// is `No domain found` (the account lacks it, or its API access is off); anything else is Porkbun's message.
    static func refusal(_ message: String, operation: String, zone: String) -> LexiconError {
        if message.lowercased().contains("api key") {
            return LexiconError(
                .authentication, "authentication failed to \(operation): \(message)", provider: "porkbun",
                hint: "Check \(credentials).")
        }
        if operation == readDomain {
            return .domainNotFound(
                zone, provider: "porkbun",
                hint: "Porkbun answered \"\(message)\"; the account may lack the domain, or API access may be off "
                    + "for it (Domain Management > Details > API Access).")
        }
        return LexiconError(.provider, "\(operation) failed: \(message)", provider: "porkbun")
    }

    /// A field Porkbun may answer as a string or a number (`"600"`, `600`).
    private static func text(_ value: JSONValue?) -> String? {
        value?.string ?? value?.int.map(String.init)
    }
}
