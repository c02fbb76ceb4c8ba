import Lexicon
import LexiconHTTP

/// DigitalOcean DNS through the v2 REST API (`Authorization: Bearer`): every page of `links.pages.next`, one
/// record per value with DigitalOcean's numeric ids, SRV and CAA fields mapped to and from the contract's content.
public actor DigitalOceanProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "digitalocean",
        summary: "DigitalOcean DNS (API v2) with a personal access token.",
        options: [
            ProviderOption("auth_token", help: "A personal access token with write scope.", isRequired: true),
            .apiEndpoint(DigitalOceanProvider.endpoint),
        ],
        nameserverPatterns: ["ns1.digitalocean.com", "ns2.digitalocean.com", "ns3.digitalocean.com"],
        defaultEndpoint: DigitalOceanProvider.endpoint,
        usesHTTP: true,
        factory: { try DigitalOceanProvider(context: $0) })

    static let endpoint = "https://api.digitalocean.com/v2"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("Authorization", "Bearer \(try context.requiredOption("auth_token"))")],
            failure: HTTPFailure(
                provider: "digitalocean", service: "DigitalOcean",
                credentials: "--auth-token or LEXICON_DIGITALOCEAN_AUTH_TOKEN", rateLimitAdvice: "wait a minute"))
    }

    public func authenticate() async throws {
        try await api.get(
            "/domains/\(context.zone)", operation: "read the domain",
            missing: .isUnknownZone(hint: "The account has no such domain."))
    }

    public func add(_ record: Record) async throws {
        try await api.post("/domains/\(context.zone)/records", try body(for: record), operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await api.put(
            "/domains/\(context.zone)/records/\(nativeID)", try body(for: record), operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await api.delete("/domains/\(context.zone)/records/\(nativeID)", operation: "delete a record")
    }

    // MARK: - API

    /// Every page, following `links.pages.next`; type and name narrow the listing on DigitalOcean's side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var query = [("per_page", "200")]
        if let type, name != nil { query.append(("type", type.rawValue)) }
        if let name { query.append(("name", name)) }
        var path: String? = "/domains/\(context.zone)/records?" + URLQuery.encode(query)
        var entries: [NativeRecord] = []
        var pages = PageGuard(
            provider: "digitalocean", service: "DigitalOcean", operation: "list records", parameters: "links.pages.next"
        )
        while let next = path {
            let answer = try await api.get(next, operation: "list records")
            guard let records = answer["domain_records"]?.array else { throw api.unexpected("list records") }
            try pages.read(records, total: answer["meta"]?["total"]?.int)
            for json in records { entries.append(try entry(json)) }
            path = answer["links"]?["pages"]?["next"]?.string.map { url in
                // `next` is an absolute URL on the API host; keep our endpoint (tests, proxies) and its query.
                guard let range = url.firstRange(of: "/domains/") else { return url }
                return String(url[range.lowerBound...])
            }
        }
        return entries
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.int, let typeText = json["type"]?.string, let relative = json["name"]?.string,
            let data = json["data"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        let name = context.absoluteName(relative)
        var content = data
        switch type {
        case .cname, .ns, .ptr, .mx:
            content = data == "@" ? context.zone : RecordPresentation.bare(Substring(data))
        case .srv:
            let target = data == "@" ? context.zone : RecordPresentation.bare(Substring(data))
            content =
                "\(json["priority"]?.int ?? 0) \(json["weight"]?.int ?? 0) \(json["port"]?.int ?? 0) \(target)"
        case .caa:
            content = "\(json["flags"]?.int ?? 0) \(json["tag"]?.string ?? "issue") \"\(data)\""
        default:
            break
        }
        let record = Record(
            type: type, name: name, ttl: json["ttl"]?.int ?? context.defaultTTL, content: content,
            priority: type == .mx ? json["priority"]?.int : nil)
        return NativeRecord(nativeID: String(id), record: record)
    }

    private func body(for record: Record) throws -> JSONValue {
        let relative = context.relativeName(record.name)
        var pairs: [(String, JSONValue)] = [("type", .string(record.type.rawValue)), ("name", .string(relative))]
        switch record.type {
        case .cname, .ns, .ptr:
            pairs.append(("data", .string(RecordPresentation.fqdn(record.content))))
        case .mx:
            pairs += [
                ("data", .string(RecordPresentation.fqdn(record.content))), ("priority", .int(record.priority ?? 0)),
            ]
        case .srv:
            let fields = record.content.split(separator: " ")
            guard fields.count == 4, let priority = Int(fields[0]), let weight = Int(fields[1]),
                let port = Int(fields[2])
            else { throw LexiconError.invalidInput("SRV content should be PRIORITY WEIGHT PORT TARGET.") }
            pairs += [
                ("data", .string(RecordPresentation.fqdn(String(fields[3])))), ("priority", .int(priority)),
                ("weight", .int(weight)), ("port", .int(port)),
            ]
        case .caa:
            let fields = record.content.split(separator: " ", maxSplits: 2)
            guard fields.count == 3, let flags = Int(fields[0]) else {
                throw LexiconError.invalidInput("CAA content should be FLAGS TAG \"VALUE\".")
            }
            let value =
                fields[2].hasPrefix("\"") && fields[2].hasSuffix("\"") ? fields[2].dropFirst().dropLast() : fields[2]
            pairs += [("data", .string(String(value))), ("flags", .int(flags)), ("tag", .string(String(fields[1])))]
        default:
            pairs.append(("data", .string(record.content)))
        }
        pairs.append(("ttl", .int(record.ttl)))
        return .object(pairs)
    }
}
