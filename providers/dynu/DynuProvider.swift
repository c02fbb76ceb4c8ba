import Lexicon
import LexiconHTTP

/// Dynu DNS through the v2 REST API (`API-Key` header): the zone's Dynu domain found with `GET /dns/getroot/NAME`
/// (a zone may be a node inside a Dynu domain), one record per value under Dynu's ids, each type's value in its own
/// field (`ipv4Address`, `host`, `textData`, …), names compared without regard to case, and a node name that an
/// update cannot change (a rename adds the new record, then removes the old one).
public actor DynuProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "dynu",
        summary: "Dynu DNS (API v2) with an API key.",
        options: [
            ProviderOption("auth_token", help: "A Dynu API key (Control Panel > API Credentials).", isRequired: true),
            .apiEndpoint(DynuProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .cname, .mx, .ns, .ptr, .srv, .txt],
        nameserverPatterns: ["dynu.com"],
        defaultEndpoint: DynuProvider.endpoint,
        usesHTTP: true,
        factory: { try DynuProvider(context: $0) })

    static let endpoint = "https://api.dynu.com/v2"
    /// The records a free Dynu account may add to a domain, for the message of its `503`.
    static let freeServiceLimit = 4

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    /// The Dynu domain holding the zone: its id and name.
    private var domain: (id: Int, name: String)?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("API-Key", try context.requiredOption("auth_token"))],
            failure: HTTPFailure(
                provider: "dynu", service: "Dynu", credentials: "--auth-token or LEXICON_DYNU_AUTH_TOKEN"))
        // Dynu's error bodies are `{"statusCode":…,"type":"… Exception","message":"…"}`, also seen wrapped in
        // `{"exception":{…}}`.
        api.detail = { json in
            let body = json?["exception"] ?? json
            return [body?["type"]?.string, body?["message"]?.string].compactMap { $0 }.joined(separator: ": ")
        }
        api.special = { response, _, operation in
            guard response.status == 503 else { return nil }
            return LexiconError(
                .provider,
                "\(operation): Dynu answered 503, too many entries (a free account holds \(Self.freeServiceLimit) "
                    + "records per domain).",
                provider: "dynu", hint: "See https://www.dynu.com/en-US/Membership.")
        }
        self.api = api
    }

    /// Finds the Dynu domain holding the zone; Dynu answers 404 (or a refusal) for a name no domain of the account
    /// holds.
    public func authenticate() async throws {
        let hint = "The account's Dynu domains do not hold it."
        let root: JSONValue
        do {
            root = try await api.get(
                "/dns/getroot/\(URLQuery.escape(context.zone))", operation: "find the zone's domain",
                missing: .isUnknownZone(hint: hint))
        } catch let error as LexiconError where error.code == .provider && error.message.contains("HTTP 40") {
            throw LexiconError.domainNotFound(context.zone, provider: "dynu", hint: hint)
        }
        guard let id = root["id"]?.int, let name = root["domainName"]?.string?.lowercased() else {
            throw api.unexpected("find the zone's domain")
        }
        guard context.zone == name || context.zone.hasSuffix("." + name) else {
            throw LexiconError.domainNotFound(context.zone, provider: "dynu", hint: hint)
        }
        domain = (id, name)
    }

    /// A value Dynu already holds (another writer added it since the listing) is there, as wanted: Dynu refuses it
    /// with HTTP 501.
    public func add(_ record: Record) async throws {
        let domain = try await zoneDomain()
        do {
            try await api.post(
                "/dns/\(domain.id)/record", .object(try fields(record, in: domain.name)), operation: "create a record")
        } catch let error as LexiconError where error.message.contains("HTTP 501") {
            let now = try await fetch(type: record.type, name: record.name)
            guard now.contains(where: { $0.record.sameValue(as: record) }) else { throw error }
        }
    }

    /// A `POST` of the record; Dynu cannot move a record to another node, so a rename adds the new record first and
    /// then removes the old one (a failed add changes nothing).
    public func replace(_ nativeID: String, with record: Record) async throws {
        let domain = try await zoneDomain()
        let old = try await api.get("/dns/\(domain.id)/record/\(nativeID)", operation: "read the record")
        if old["hostname"]?.string?.lowercased() == record.name {
            try await api.post(
                "/dns/\(domain.id)/record/\(nativeID)", .object(try fields(record, in: domain.name)),
                operation: "update a record", idempotent: true)
            return
        }
        try await add(record)
        try await remove(nativeID)
    }

    /// A record already gone is fine: Dynu answers 404 or 501 for its id.
    public func remove(_ nativeID: String) async throws {
        let domain = try await zoneDomain()
        do {
            try await api.delete("/dns/\(domain.id)/record/\(nativeID)", operation: "delete a record")
        } catch let error as LexiconError where error.message.contains("HTTP 501") {
            return
        }
    }

    // MARK: - API

    /// The records of the Dynu domain that lie in the zone; Dynu lists a domain's records in one answer.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let domain = try await zoneDomain()
        let answer = try await api.get("/dns/\(domain.id)/record", operation: "list records")
        guard let records = answer["dnsRecords"]?.array else { throw api.unexpected("list records") }
        return try records.compactMap(entry)
    }

    private func zoneDomain() async throws -> (id: Int, name: String) {
        if let domain { return domain }
        try await authenticate()
        guard let domain else { throw api.unexpected("find the zone's domain") }
        return domain
    }

    /// The record in the contract's form, or nil for one outside the zone (the zone is a node of a larger domain).
    private func entry(_ json: JSONValue) throws -> NativeRecord? {
        guard let id = json["id"]?.int, let typeText = json["recordType"]?.string,
            let hostname = json["hostname"]?.string?.lowercased()
        else { throw api.unexpected("list records") }
        let name = RecordPresentation.bare(Substring(hostname))
        guard name == context.zone || name.hasSuffix("." + context.zone) else { return nil }
        let type = RecordType(rawValue: typeText.uppercased())
        let target = RecordPresentation.bare(Substring(json["host"]?.string ?? ""))
        let priority = json["priority"]?.int ?? 0
        let content: String
        switch type {
        case .a: content = json["ipv4Address"]?.string ?? ""
        case .aaaa: content = json["ipv6Address"]?.string ?? ""
        case .cname, .ns, .ptr, .mx: content = target
        case .srv: content = "\(priority) \(json["weight"]?.int ?? 0) \(json["port"]?.int ?? 0) \(target)"
        case .txt: content = json["textData"]?.string ?? ""
        default: content = Self.zoneLineData(json["content"]?.string ?? "", type: typeText)
        }
        let record = Record(
            type: type, name: name, ttl: json["ttl"]?.int ?? context.defaultTTL, content: content,
            priority: type == .mx ? priority : nil)
        return NativeRecord(nativeID: String(id), record: record)
    }

    /// The data of a type without its own fields (SOA, …) from `content`, a zone-file line `NAME TTL IN TYPE DATA`.
    private static func zoneLineData(_ line: String, type: String) -> String {
        guard let range = line.firstRange(of: " IN \(type) ") else { return line }
        return String(line[range.upperBound...])
    }

    /// The body of a create or an update: the node name relative to the Dynu domain (empty for its apex), the type,
    /// the TTL, and the value in the type's own fields.
    private func fields(_ record: Record, in domainName: String) throws -> [(String, JSONValue)] {
        let node = record.name == domainName ? "" : String(record.name.dropLast(domainName.count + 1))
        var pairs: [(String, JSONValue)] = [
            ("nodeName", .string(node)), ("recordType", .string(record.type.rawValue)), ("ttl", .int(record.ttl)),
            ("state", .bool(true)),
        ]
        let target = JSONValue.string(RecordPresentation.bare(Substring(record.content)))
        switch record.type {
        case .a: pairs.append(("ipv4Address", .string(record.content)))
        case .aaaa: pairs.append(("ipv6Address", .string(record.content)))
        case .cname, .ns, .ptr: pairs.append(("host", target))
        case .mx: pairs += [("host", target), ("priority", .int(record.priority ?? 10))]
        case .srv:
            let (priority, rest) = try SRVFields.split(record.content)
            let parts = rest.split(separator: " ")
            pairs += [
                ("priority", .int(priority)), ("weight", .int(Int(parts[0]) ?? 0)), ("port", .int(Int(parts[1]) ?? 0)),
                ("host", .string(String(parts[2]))),
            ]
        case .txt: pairs.append(("textData", .string(record.content)))
        default:
            throw LexiconError(.unsupported, "dynu cannot write \(record.type.rawValue) records.", provider: "dynu")
        }
        return pairs
    }
}
