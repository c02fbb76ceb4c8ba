import Lexicon
import LexiconHTTP

/// NameSilo DNS through its API: every call a `GET` of `OPERATION?version=1&type=xml&key=…` answered in XML, reply
/// code 300 for success and any other code an error told in `detail`. One record per value under NameSilo's
/// `record_id`; hosts are listed as full names and written relative to the zone (empty for the apex), the MX and SRV
/// priority is the `distance`, and TTLs are at least 3600 seconds. The key travels in the URL, which traces redact.
public actor NameSiloProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "namesilo",
        summary: "NameSilo DNS (XML API over GET) with an API key.",
        options: [
            ProviderOption(
                "auth_token", help: "A NameSilo API key (Account > API Manager).", isRequired: true),
            .apiEndpoint(NameSiloProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .srv, .txt],
        nameserverPatterns: ["*.dnsowl.com", "*.namesilo.com"],
        defaultEndpoint: NameSiloProvider.endpoint,
        usesHTTP: true, minimumTTL: NameSiloProvider.minimumTTL,
        factory: { try NameSiloProvider(context: $0) })

    static let endpoint = "https://www.namesilo.com/api"
    /// The shortest TTL NameSilo accepts; shorter ones are raised to it.
    static let minimumTTL = 3600
    /// The reply codes of a key NameSilo refuses: none given, invalid, invalid user, a sub-account, a refused IP.
    static let authenticationCodes: Set<String> = ["109", "110", "111", "112", "113"]
    /// The reply code of a domain the account does not hold ("Domain is not active, or does not belong to this
    /// user"); 280, a refused DNS change, says the same in its detail when that is why.
    static let unknownDomainCode = "200"

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let url: String
    private let key: String

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        var url = context.option("api_endpoint") ?? Self.endpoint
        while url.hasSuffix("/") { url.removeLast() }
        self.url = url
        key = try context.requiredOption("auth_token")
    }

    public func authenticate() async throws {
        try await call("getDomainInfo", [], operation: "read the domain")
    }

    /// A value NameSilo already holds (another writer added it since the listing) is there, as wanted: NameSilo
    /// refuses it with code 280, which dns-lexicon ignores on a create.
    public func add(_ record: Record) async throws {
        do {
            try await call("dnsAddRecord", try fields(for: record, type: true), operation: "create a record")
        } catch let error as LexiconError where error.message.contains("already exists (code 280)") {
            return
        }
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await call(
            "dnsUpdateRecord", [("rrid", nativeID)] + (try fields(for: record, type: false)),
            operation: "update a record")
    }

    /// A record another writer deleted since the listing is gone, as wanted: NameSilo refuses its id with code 280,
    /// so a refusal is checked against a fresh listing.
    public func remove(_ nativeID: String) async throws {
        do {
            try await call("dnsDeleteRecord", [("rrid", nativeID)], operation: "delete a record")
        } catch let error as LexiconError where error.message.hasSuffix("(code 280).") {
            guard try await fetch(type: nil, name: nil).contains(where: { $0.nativeID == nativeID }) else { return }
            throw error
        }
    }

    // MARK: - API

    /// Every record of the domain in one answer; NameSilo has no paging and filters nothing.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let reply = try await call("dnsListRecords", [], operation: "list records")
        return try reply.all("resource_record").map(entry)
    }

    private func entry(_ element: XMLElement) throws -> NativeRecord {
        guard let id = element.child("record_id")?.text, !id.isEmpty, let typeText = element.child("type")?.text,
            let host = element.child("host")?.text, let value = element.child("value")?.text
        else { throw unexpected("list records") }
        let type = RecordType(rawValue: typeText.uppercased())
        // `host` is the full name without a final dot.
        let name = (try? context.names.absolute(host)) ?? context.absoluteName(host, apex: "")
        let distance = Int(element.child("distance")?.text ?? "") ?? 0
        var content = value
        switch type {
        case .cname, .mx:
            content = RecordPresentation.bare(Substring(value))
        case .srv:
            // NameSilo's SRV value is `WEIGHT PORT TARGET`; the priority is the distance.
            let parts = value.split(separator: " ")
            content = "\(distance) " + parts.dropLast().joined(separator: " ")
            content += parts.last.map { " " + RecordPresentation.bare($0) } ?? ""
        default:
            break
        }
        let record = Record(
            type: type, name: name, ttl: Int(element.child("ttl")?.text ?? "") ?? Self.minimumTTL, content: content,
            priority: type == .mx ? distance : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The parameters of a create or an update: the host relative to the zone (empty for the apex), targets without
    /// their final dot, the MX and SRV priority as the distance, and the TTL raised to NameSilo's minimum.
    private func fields(for record: Record, type: Bool) throws -> [(String, String)] {
        var value = record.content
        var distance: Int?
        switch record.type {
        case .cname:
            value = RecordPresentation.bare(Substring(record.content))
        case .mx:
            value = RecordPresentation.bare(Substring(record.content))
            distance = record.priority ?? 10
        case .srv:
            let parts = record.content.split(separator: " ")
            guard parts.count == 4, let first = Int(parts[0]), Int(parts[1]) != nil, Int(parts[2]) != nil else {
                throw LexiconError.invalidInput("SRV content should be PRIORITY WEIGHT PORT TARGET.")
            }
            value = "\(parts[1]) \(parts[2]) \(RecordPresentation.bare(parts[3]))"
            distance = first
        default:
            break
        }
        var pairs: [(String, String)] = type ? [("rrtype", record.type.rawValue)] : []
        pairs += [
            ("rrhost", context.relativeName(record.name, apex: "")), ("rrvalue", value),
            ("rrttl", String(max(record.ttl, Self.minimumTTL))),
        ]
        if let distance { pairs.append(("rrdistance", String(distance))) }
        return pairs
    }

    /// One call: `GET OPERATION?version=1&type=xml&key=…&domain=…`; the `reply` of code 300, or the error its code
    /// tells.
    @discardableResult
    private func call(_ name: String, _ parameters: [(String, String)], operation: String) async throws
        -> XMLElement
    {
        let query = [("version", "1"), ("type", "xml"), ("key", key), ("domain", context.zone)] + parameters
        // A create sent twice would make two records; only reads and updates by id are safe to repeat.
        let request = HTTPRequest(
            url: url + "/" + name + "?" + URLQuery.encode(query),
            idempotent: ["getDomainInfo", "dnsListRecords"].contains(name))
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status), let root = try? XMLElement(parsing: response.body),
            let reply = root.child("reply") ?? root.find("reply"), let code = reply.child("code")?.text
        else {
            throw LexiconError(
                .provider, "\(operation) failed with HTTP \(response.status) and no readable NameSilo reply.",
                provider: "namesilo")
        }
        if code == "300" { return reply }
        let detail = reply.child("detail")?.text ?? ""
        let message = "\(detail.isEmpty ? "error" : detail) (code \(code))"
        if Self.authenticationCodes.contains(code) {
            throw LexiconError(
                .authentication, "authentication failed to \(operation): NameSilo answered \(message).",
                provider: "namesilo",
                hint: "Check --auth-token (LEXICON_NAMESILO_AUTH_TOKEN), the API key from NameSilo's API Manager, "
                    + "and any IP restriction set on it.")
        }
        let lower = detail.lowercased()
        if code == Self.unknownDomainCode
            || (code == "280" && (lower.contains("does not belong") || lower.contains("not active")))
        {
            throw LexiconError.domainNotFound(
                context.zone, provider: "namesilo", hint: "NameSilo answered \(message).")
        }
        throw LexiconError(.provider, "\(operation) failed: NameSilo answered \(message).", provider: "namesilo")
    }

    private func unexpected(_ operation: String) -> LexiconError {
        LexiconError(
            .provider, "\(operation): NameSilo's answer is not the expected resource_record list.",
            provider: "namesilo")
    }
}
