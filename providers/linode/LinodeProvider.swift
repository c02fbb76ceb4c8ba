import Lexicon
import LexiconHTTP

/// Linode (Akamai) DNS Manager through the v4 REST API (`Authorization: Bearer`): the domain's id from the domain
/// list, every page of `page`/`pages`, one record per value with Linode's numeric ids, TTLs snapped up to the steps
/// Linode allows (so what is reported is what is served), SRV and CAA in their own fields.
public actor LinodeProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "linode4",
        aliases: ["linode"],
        summary: "Linode (Akamai) DNS Manager, API v4, with a personal access token.",
        options: [
            ProviderOption("auth_token", help: "A personal access token with Domains read/write.", isRequired: true),
            .apiEndpoint(LinodeProvider.endpoint),
        ],
        nameserverPatterns: ["*.linode.com"],
        defaultEndpoint: LinodeProvider.endpoint,
        ttlSteps: LinodeProvider.ttlSteps,
        usesHTTP: true,
        factory: { try LinodeProvider(context: $0) })

    static let endpoint = "https://api.linode.com/v4"
    /// The TTLs Linode allows; others are rounded up to the next.
    static let ttlSteps = [300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800, 1_209_600, 2_419_200]

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private var domainID: Int?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("Authorization", "Bearer \(try context.requiredOption("auth_token"))")],
            failure: HTTPFailure(
                provider: "linode4", service: "Linode", credentials: "--auth-token or LEXICON_LINODE4_AUTH_TOKEN",
                rateLimitAdvice: "wait a minute"))
        api.detail = { json in
            (json?["errors"]?.array ?? []).compactMap { error in
                error["reason"]?.string.map { reason in error["field"]?.string.map { "\($0): \(reason)" } ?? reason }
            }.joined(separator: "; ")
        }
        self.api = api
    }

    public func authenticate() async throws {
        _ = try await domain()
    }

    public func add(_ record: Record) async throws {
        try await api.post(
            "/domains/\(try await domain())/records", try body(for: record), operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await api.put(
            "/domains/\(try await domain())/records/\(nativeID)", try body(for: record), operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await api.delete("/domains/\(try await domain())/records/\(nativeID)", operation: "delete a record")
    }

    // MARK: - API

    /// The domain's id, found once in the (paged) domain list.
    private func domain() async throws -> Int {
        if let domainID { return domainID }
        for json in try await pages("/domains", operation: "list domains")
        where json["domain"]?.string?.lowercased() == context.zone {
            if let id = json["id"]?.int {
                domainID = id
                return id
            }
        }
        throw LexiconError.domainNotFound(
            context.zone, provider: "linode4", hint: "The account has no such domain in the DNS Manager.")
    }

    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        try await pages("/domains/\(try await domain())/records", operation: "list records").map(entry)
    }

    /// Every element of every page of a listing (`page`, `pages`).
    private func pages(_ path: String, operation: String) async throws -> [JSONValue] {
        try await PageGuard.numbered(provider: "linode4", service: "Linode", operation: operation) {
            let answer = try await api.get(
                path + "?" + URLQuery.encode([("page", String($0)), ("page_size", "500")]), operation: operation)
            guard let data = answer["data"]?.array else { throw api.unexpected(operation) }
            return (data, answer["pages"]?.int, answer["results"]?.int)
        }
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.int, let typeText = json["type"]?.string, let target = json["target"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        var relative = json["name"]?.string ?? ""
        var content = target
        switch type {
        case .cname, .ns, .ptr, .mx:
            content = RecordPresentation.bare(Substring(target))
        case .srv:
            let service = json["service"]?.string ?? ""
            let proto = json["protocol"]?.string ?? ""
            if !service.isEmpty {
                relative = "_\(service.trimmingUnderscore)._\(proto.trimmingUnderscore)"
            }
            content =
                "\(json["priority"]?.int ?? 0) \(json["weight"]?.int ?? 0) \(json["port"]?.int ?? 0) \(RecordPresentation.bare(Substring(target)))"
        case .caa:
            content = "0 \(json["tag"]?.string ?? "issue") \"\(target)\""
        default:
            break
        }
        let name = context.absoluteName(relative, apex: "")
        let record = Record(
            type: type, name: name, ttl: json["ttl_sec"]?.int ?? context.defaultTTL, content: content,
            priority: type == .mx ? json["priority"]?.int : nil)
        return NativeRecord(nativeID: String(id), record: record)
    }

    private func body(for record: Record) throws -> JSONValue {
        let relative = context.relativeName(record.name, apex: "")
        var pairs: [(String, JSONValue)] = [("type", .string(record.type.rawValue))]
        switch record.type {
        case .srv:
            let fields = record.content.split(separator: " ")
            let labels = relative.split(separator: ".", maxSplits: 1)
            guard fields.count == 4, let priority = Int(fields[0]), let weight = Int(fields[1]),
                let port = Int(fields[2]), labels.count == 2, labels[0].hasPrefix("_"), labels[1].hasPrefix("_")
            else {
                throw LexiconError.invalidInput(
                    "Linode SRV records are _service._protocol at the domain, with PRIORITY WEIGHT PORT TARGET.")
            }
            pairs += [
                ("service", .string(String(labels[0].dropFirst()))),
                ("protocol", .string(String(labels[1].dropFirst()))),
                ("target", .string(RecordPresentation.bare(fields[3]))), ("priority", .int(priority)),
                ("weight", .int(weight)), ("port", .int(port)),
            ]
        case .caa:
            let fields = record.content.split(separator: " ", maxSplits: 2)
            guard fields.count == 3 else {
                throw LexiconError.invalidInput("CAA content should be FLAGS TAG \"VALUE\".")
            }
            let value =
                fields[2].hasPrefix("\"") && fields[2].hasSuffix("\"") ? fields[2].dropFirst().dropLast() : fields[2]
            pairs += [
                ("name", .string(relative)), ("tag", .string(String(fields[1]))), ("target", .string(String(value))),
            ]
        case .mx:
            pairs += [
                ("name", .string(relative)), ("target", .string(record.content)),
                ("priority", .int(record.priority ?? 0)),
            ]
        default:
            pairs += [("name", .string(relative)), ("target", .string(record.content))]
        }
        pairs.append(("ttl_sec", .int(Self.descriptor.effectiveTTL(record.ttl))))
        return .object(pairs)
    }
}

extension String {
    fileprivate var trimmingUnderscore: String { hasPrefix("_") ? String(dropFirst()) : self }
}
