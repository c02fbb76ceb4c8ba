import Lexicon
import LexiconHTTP

/// PowerDNS Authoritative through its HTTP API (4.x): record sets are read, merged and replaced in one PATCH, so
/// adding or removing one value never touches the others, and a change that spans two sets is one request.
public actor PowerDNSProvider: Provider {
    public static let descriptor = ProviderDescriptor(
        name: "powerdns",
        summary: "PowerDNS Authoritative through its HTTP API.",
        options: [
            ProviderOption(
                "auth_token", help: "The API key (PowerDNS's api-key, sent as X-API-Key).", isRequired: true),
            ProviderOption(
                "pdns_server", help: "The API's base URL, e.g. http://127.0.0.1:8081 (/api/v1 is added).",
                isRequired: true, isSecret: false, valueName: "URL"),
            ProviderOption(
                "pdns_server_id", help: "The server id in the API path.", isSecret: false, defaultValue: "localhost",
                valueName: "ID"),
            ProviderOption(
                "pdns_disable_notify", help: "Do not ask PowerDNS to send NOTIFY to secondaries after a change.",
                isFlag: true),
        ],
        usesHTTP: true, genericTypes: true, writeShape: .recordSets, endpointOption: "pdns_server",
        factory: { try PowerDNSProvider(context: $0) })

    private let context: ProviderContext
    private let transport: any HTTPTransport
    private let zoneURL: String
    private let apiKey: String
    private let notify: Bool
    /// The zone as `authenticate` read it, not yet used: the next operation works from it instead of reading the
    /// zone a second time within the same command.
    private var unusedRead: PowerDNSZone?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    /// - Throws: ``LexiconError`` `config` for a missing option.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        apiKey = try context.requiredOption("auth_token")
        var base = try context.requiredOption("pdns_server")
        while base.hasSuffix("/") { base.removeLast() }
        if !base.hasSuffix("/api/v1") { base += "/api/v1" }
        let server = context.option("pdns_server_id") ?? "localhost"
        zoneURL = "\(base)/servers/\(server)/zones/\(context.zone)."
        notify = !context.flag("pdns_disable_notify")
    }

    public func authenticate() async throws {
        unusedRead = try await fetchZone()
    }

    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        // A list of one name (and type) reads only those sets, as the read-back after every write does.
        if unusedRead == nil, let name = filter.name {
            var query = [("rrset_name", name + ".")]
            if let type = filter.type { query.append(("rrset_type", type.rawValue)) }
            let url = zoneURL + "?" + URLQuery.encode(query)
            return try records(of: try await fetchZone(url)).filter(filter.matches)
        }
        let current = try await freshZone()
        return try records(of: current).filter(filter.matches)
    }

    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("create needs a name and content.")
        }
        let current = try await freshZone()
        let existing = try records(of: current).filter { $0.name == name && $0.type == input.type }
        let ttlGiven = (input.ttl ?? 0) != 0
        let record = Record(
            type: input.type, name: name, ttl: ttlGiven ? input.ttl! : (existing.first?.ttl ?? context.defaultTTL),
            content: content, priority: input.priority)
        if existing.contains(where: { $0.sameValue(as: record) }) && (!ttlGiven || existing.first?.ttl == record.ttl) {
            return true
        }
        let values = existing.filter { !$0.sameValue(as: record) } + [record]
        try await patch([replace(name: name, type: input.type, ttl: record.ttl, values: values)])
        return true
    }

    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        let current = try await freshZone()
        let all = try records(of: current)
        let change = try RecordMatcher.update(
            in: all, identifier: identifier, input: input, defaultTTL: context.defaultTTL)
        guard context.names.contains(change.new.name) else {
            throw LexiconError.invalidInput("the name \(change.new.name) is outside the zone \(context.zone).")
        }
        var sets: [PowerDNSRRSet] = []
        let oldSet = all.filter { $0.name == change.old.name && $0.type == change.old.type }
        if change.new.name == change.old.name {
            let values = oldSet.filter { !$0.sameValue(as: change.old) && !$0.sameValue(as: change.new) } + [change.new]
            sets.append(replace(name: change.new.name, type: change.new.type, ttl: change.new.ttl, values: values))
        } else {
            let remaining = oldSet.filter { !$0.sameValue(as: change.old) }
            sets.append(replace(name: change.old.name, type: change.old.type, ttl: change.old.ttl, values: remaining))
            let target = all.filter { $0.name == change.new.name && $0.type == change.new.type }
            let values = target.filter { !$0.sameValue(as: change.new) } + [change.new]
            sets.append(replace(name: change.new.name, type: change.new.type, ttl: change.new.ttl, values: values))
        }
        try await patch(sets)
        return true
    }

    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        let current = try await freshZone()
        let all = try records(of: current)
        let doomed = all.filter { record in identifier.map { record.id == $0 } ?? filter.matches(record) }
        if doomed.contains(where: { $0.type == .soa }) {
            throw LexiconError(.unsupported, "the SOA record cannot be deleted.")
        }
        guard !doomed.isEmpty else { return true }
        var sets: [PowerDNSRRSet] = []
        var seen = Set<String>()
        for record in doomed where seen.insert("\(record.name)|\(record.type)").inserted {
            let set = all.filter { $0.name == record.name && $0.type == record.type }
            let remaining = set.filter { value in !doomed.contains { $0.sameValue(as: value) } }
            sets.append(
                replace(name: record.name, type: record.type, ttl: set.first?.ttl ?? record.ttl, values: remaining))
        }
        try await patch(sets)
        return true
    }

    // MARK: - API

    /// The zone as it is now: the read `authenticate` just made, used once, otherwise a new read (so a long-lived
    /// client never works from a stale copy).
    private func freshZone() async throws -> PowerDNSZone {
        if let read = unusedRead {
            unusedRead = nil
            return read
        }
        return try await fetchZone()
    }

    private func fetchZone(_ url: String? = nil) async throws -> PowerDNSZone {
        let response = try await send("GET", url ?? zoneURL, body: nil, operation: "read the zone")
        let json = try response.json(operation: "read the zone", provider: "powerdns", service: "PowerDNS")
        do {
            return try PowerDNSZone(json: json)
        } catch {
            throw LexiconError(
                .provider, "read the zone: PowerDNS answered JSON of an unexpected shape.", provider: "powerdns")
        }
    }

    func patch(_ sets: [PowerDNSRRSet]) async throws {
        let body = JSONValue.object([("rrsets", .array(sets.map(\.json)))]).encoded()
        _ = try await send("PATCH", zoneURL, body: body, operation: "change the zone")
        unusedRead = nil
        guard notify else { return }
        do {
            _ = try await send("PUT", zoneURL + "/notify", body: nil, operation: "notify")
        } catch let error as LexiconError {
            // A Native zone replicates through its database and has nobody to notify; that is not a failure.
            context.logger.info("NOTIFY was not sent: \(error.message)")
        }
    }

    private func send(_ method: String, _ url: String, body: [UInt8]?, operation: String) async throws -> HTTPResponse {
        var headers = [HTTPHeader("X-API-Key", apiKey), HTTPHeader("Accept", "application/json")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        // A PATCH carries whole sets (REPLACE, DELETE): repeating it is harmless, so a 500 ("database is locked")
        // or a timeout is retried.
        let response = try await transport.send(
            HTTPRequest(method: method, url: url, headers: headers, body: body, idempotent: method != "POST"))
        switch response.status {
        case 200..<300:
            return response
        case 401, 403:
            throw LexiconError(
                .authentication,
                "authentication failed (HTTP \(response.status)).",
                hint: "Check --auth-token or LEXICON_POWERDNS_AUTH_TOKEN.")
        case 404 where operation == "read the zone":
            throw LexiconError.domainNotFound(
                context.zone, provider: context.providerName, hint: "PowerDNS does not serve it.")
        default:
            let detail = (try? JSONValue(parsing: response.body))?["error"]?.string
            let notJSON = response.notJSONDetail
            let reason = detail.map { ": \(Self.clip($0))" } ?? (notJSON.isEmpty ? "" : ": " + notJSON)
            throw LexiconError(.provider, "\(operation) failed with HTTP \(response.status)\(reason).")
        }
    }

    private static func clip(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    // MARK: - Conversion

    func replace(name: String, type: RecordType, ttl: Int, values: [Record]) -> PowerDNSRRSet {
        replace(name: name, type: type, ttl: ttl, contents: values.map(RecordPresentation.rdata(of:)))
    }

    /// The same from contents already in presentation form (a plan's set).
    func replace(name: String, type: RecordType, ttl: Int, contents: [String]) -> PowerDNSRRSet {
        PowerDNSRRSet(
            name: name + ".", type: type.rawValue, ttl: ttl, changetype: contents.isEmpty ? "DELETE" : "REPLACE",
            records: contents.map { PowerDNSRecordEntry(content: $0, disabled: false) })
    }

    private func records(of zone: PowerDNSZone) throws -> [Record] {
        var result: [Record] = []
        for set in zone.rrsets {
            let type = RecordType(rawValue: set.type)
            let name = String(set.name.lowercased().dropLast(set.name.hasSuffix(".") ? 1 : 0))
            for entry in set.records where !entry.disabled {
                let parsed = RecordPresentation.content(of: entry.content, type: type)
                result.append(
                    Record(
                        type: type, name: name, ttl: set.ttl ?? context.defaultTTL, content: parsed.content,
                        priority: parsed.priority))
            }
        }
        return result
    }
}
