import Lexicon
import LexiconHTTP

/// IBM NS1 Connect (NSONE) through its v1 REST API with an API key (`X-NSONE-Key`): the zone's records read from
/// `GET /zones/{zone}` (`short_answers`), each name+type set written whole at `/zones/{zone}/{domain}/{type}`
/// (`PUT` creates, `POST` replaces), answers split into rdata fields (MX `[10, "mail.example.com"]`, TXT unquoted).
public actor NSOneProvider: RecordSetAPI {
    public static let descriptor = ProviderDescriptor(
        name: "nsone",
        summary: "IBM NS1 Connect (NSONE) with an API key.",
        options: [
            ProviderOption("auth_token", help: "An NS1 API key with DNS zone and record rights.", isRequired: true),
            .apiEndpoint(NSOneProvider.endpoint),
        ],
        nameserverPatterns: ["*.nsone.net"],
        defaultEndpoint: NSOneProvider.endpoint,
        usesHTTP: true, writeShape: .recordSets,
        factory: { try NSOneProvider(context: $0) })

    static let endpoint = "https://api.nsone.net/v1"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("X-NSONE-Key", try context.requiredOption("auth_token"))],
            failure: HTTPFailure(
                provider: "nsone", service: "NS1", credentials: "--auth-token or LEXICON_NSONE_AUTH_TOKEN (an API key)")
        )
        api.special = { response, json, operation in
            // Another writer created the set since it was read: merge again from a fresh read.
            let message = json?["message"]?.string ?? ""
            guard response.status == 400, message.lowercased().contains("already exists") else { return nil }
            return LexiconError(.conflict, "\(operation): \(message)", provider: "nsone")
        }
        self.api = api
    }

    public func authenticate() async throws {
        _ = try await zone()
    }

    public func fetchSets() async throws -> [RecordSet] {
        guard let records = try await zone()["records"]?.array else { throw api.unexpected("list records") }
        return try records.map { item in
            guard let domain = item["domain"]?.string, let typeText = item["type"]?.string,
                let answers = item["short_answers"]?.array
            else { throw api.unexpected("list records") }
            let name = RecordPresentation.bare(Substring(domain))
            let type = RecordType(rawValue: typeText)
            let ttl = item["ttl"]?.int ?? context.defaultTTL
            let values = answers.compactMap(\.string).map { text in
                let (content, priority) = Self.content(of: text, type: type)
                return Record(type: type, name: name, ttl: ttl, content: content, priority: priority)
            }
            return RecordSet(name: name, type: type, ttl: ttl, records: values)
        }
    }

    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        let body = JSONValue.object([
            ("zone", .string(context.zone)), ("domain", .string(name)), ("type", .string(type.rawValue)),
            ("answers", .array(values.map { .object([("answer", .array(Self.fields(of: $0)))]) })),
            ("ttl", .int(ttl)),
        ])
        let operation = "write the \(type) set of \(name)"
        if current == nil {
            try await api.put(setPath(name, type), body, operation: operation)
        } else {
            try await api.post(setPath(name, type), body, operation: operation)
        }
    }

    public func deleteSet(_ set: RecordSet) async throws {
        let (name, type) = (set.name, set.type)
        try await api.delete(setPath(name, type), operation: "delete the \(type) set of \(name)")
    }

    private func zone() async throws -> JSONValue {
        try await api.get(
            "/zones/\(context.zone)", operation: "read the zone",
            missing: .isUnknownZone(hint: "NS1 does not host it under this account."))
    }

    private func setPath(_ name: String, _ type: RecordType) -> String {
        "/zones/\(context.zone)/\(URLQuery.escape(name))/\(type.rawValue)"
    }

    /// A record's rdata split into the answer fields NS1 stores.
    static func fields(of record: Record) -> [JSONValue] {
        switch record.type {
        case .mx:
            return [.int(record.priority ?? 0), .string(record.content)]
        case .srv:
            let parts = record.content.split(separator: " ").map(String.init)
            guard parts.count == 4 else { return [.string(record.content)] }
            return parts.prefix(3).map { Int($0).map(JSONValue.int) ?? .string($0) } + [.string(parts[3])]
        default:
            return [.string(record.content)]
        }
    }

    /// The contract's content (and MX priority) of a short answer, its fields joined by spaces.
    static func content(of text: String, type: RecordType) -> (String, Int?) {
        switch type {
        case .mx:
            let parts = text.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let priority = Int(parts[0]) else { return (text, nil) }
            return (RecordPresentation.bare(parts[1]), priority)
        case .cname, .ns, .ptr, "DNAME":
            return (RecordPresentation.bare(Substring(text)), nil)
        default:
            return (text, nil)
        }
    }
}
