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
            ProviderOption(
                "api_endpoint", help: "The API's base URL.", isSecret: false,
                defaultValue: DigitalOceanProvider.endpoint, valueName: "URL"),
        ],
        nameserverPatterns: ["ns1.digitalocean.com", "ns2.digitalocean.com", "ns3.digitalocean.com"],
        defaultEndpoint: DigitalOceanProvider.endpoint,
        usesHTTP: true,
        factory: { try DigitalOceanProvider(context: $0) })

    static let endpoint = "https://api.digitalocean.com/v2"

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let base: String
    private let token: String

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        base = context.endpoint(default: Self.endpoint)
        token = try context.requiredOption("auth_token")
    }

    public func authenticate() async throws {
        _ = try await call("GET", "/domains/\(context.zone)", operation: "read the domain")
    }

    public func add(_ record: Record) async throws {
        _ = try await call(
            "POST", "/domains/\(context.zone)/records", body: try body(for: record), operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        _ = try await call(
            "PUT", "/domains/\(context.zone)/records/\(nativeID)", body: try body(for: record),
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        _ = try await call(
            "DELETE", "/domains/\(context.zone)/records/\(nativeID)", operation: "delete a record", missingIsFine: true)
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
            let answer = try await call("GET", next, operation: "list records")
            guard let records = answer["domain_records"]?.array else { throw Self.unexpected("list records") }
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
        else { throw Self.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        let name = relative == "@" ? context.zone : (try? context.names.absolute(relative)) ?? relative
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

    private func body(for record: Record) throws -> [UInt8] {
        let relative = record.name == context.zone ? "@" : context.names.relative(record.name)
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
        return JSONValue.object(pairs).encoded()
    }

    static func unexpected(_ operation: String) -> LexiconError {
        LexiconError(
            .provider, "\(operation): DigitalOcean answered JSON of an unexpected shape.",
            provider: "digitalocean")
    }

    @discardableResult
    private func call(
        _ method: String, _ path: String, body: [UInt8]? = nil, operation: String, missingIsFine: Bool = false
    ) async throws -> JSONValue {
        var headers = [HTTPHeader("Authorization", "Bearer \(token)"), HTTPHeader("Accept", "application/json")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let response = try await transport.send(
            HTTPRequest(method: method, url: base + path, headers: headers, body: body))
        if (200..<300).contains(response.status) {
            return method == "GET"
                ? try response.json(operation: operation, provider: "digitalocean", service: "DigitalOcean")
                : (try? JSONValue(parsing: response.body)) ?? .null
        }
        let json = try? JSONValue(parsing: response.body)
        switch response.status {
        case 404 where operation == "read the domain":
            throw LexiconError.domainNotFound(
                context.zone, provider: "digitalocean", hint: "The account has no such domain.")
        case 404 where missingIsFine:
            return .null
        default:
            throw HTTPFailure(
                provider: "digitalocean", service: "DigitalOcean",
                credentials: "--auth-token or LEXICON_DIGITALOCEAN_AUTH_TOKEN", rateLimitAdvice: "wait a minute"
            ).error(response, operation: operation, detail: json?["message"]?.string ?? "")
        }
    }
}
