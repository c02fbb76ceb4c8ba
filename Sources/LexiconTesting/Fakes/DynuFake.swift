import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Dynu's v2 REST API on loopback, written from Dynu's API reference: the `API-Key` header,
/// `GET /v2/dns`, `GET /v2/dns/getroot/{hostname}` (the domain holding a name, its id and the node), and a domain's
/// records under `/v2/dns/{id}/record`, each type's value in its own fields and the whole record as a zone-file
/// `content` line. Errors are `{"statusCode":…,"type":"… Exception","message":…}`: 401 for a wrong key, 404 for an
/// unknown domain or record, 400 for an invalid record, 501 for a value already there, a missing record to delete,
/// or a node name an update would change, and 503 past a free account's record limit. Names are case-insensitive.
public final class DynuFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        /// Relative to the domain; `""` for its apex.
        public var node: String
        public var type: String
        public var ttl: Int
        /// `ipv4Address`, `ipv6Address`, `host` or `textData`, by type.
        public var value: String
        public var priority: Int?
        public var weight: Int?
        public var port: Int?
    }

    /// The API key it accepts.
    public let key = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private let api: FakeAPI<StoredRecord>
    private let ids: [String: Int]
    private let recordLimit: Int?

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v2" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// The types Dynu's record API takes with their own fields.
    public static let types = ["A", "AAAA", "CNAME", "MX", "NS", "PTR", "SRV", "TXT"]

    /// Starts the fake with domains, which hold no records but their SOA.
    /// - Parameter recordLimit: The records a domain may hold, as on a free account; nil for none.
    public init(domains names: [String], recordLimit: Int? = nil) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 6_053_014)
        ids = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, 1024 + $0) })
        self.recordLimit = recordLimit
        try api.start(authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        guard request.header("API-Key") == key else {
            return Self.error(401, "Authentication Exception", "Authentication failed. Invalid API-Key.")
        }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 2, parts[0] == "v2", parts[1] == "dns" else {
            return Self.error(404, "Not Found Exception", "The resource was not found.")
        }
        switch (request.method, Array(parts.dropFirst(2))) {
        case ("GET", []):
            let domains = ids.sorted { $0.value < $1.value }.map { name, id in
                JSONValue.object([("id", .int(id)), ("name", .string(name)), ("state", .string("Complete"))])
            }
            return .json(200, .object([("statusCode", .int(200)), ("domains", .array(domains))]))
        case ("GET", let rest) where rest.count == 2 && rest[0] == "getroot":
            let hostname = rest[1].lowercased()
            guard
                let name = ids.keys.filter({ hostname == $0 || hostname.hasSuffix("." + $0) }).max(by: {
                    $0.count < $1.count
                }), let id = ids[name]
            else { return Self.error(404, "Not Found Exception", "Root domain of \(hostname) was not found.") }
            let node = hostname == name ? "" : String(hostname.dropLast(name.count + 1))
            return .json(
                200,
                .object([
                    ("statusCode", .int(200)), ("id", .int(id)), ("domainName", .string(name)),
                    ("hostname", .string(hostname)), ("node", .string(node)),
                ]))
        case (_, let rest) where rest.count >= 2 && rest[1] == "record":
            guard let name = ids.first(where: { String($0.value) == rest[0] })?.key else {
                return Self.error(404, "Not Found Exception", "Domain was not found.")
            }
            return records(request, name, rest.count > 2 ? Int(rest[2]) : nil)
        default:
            return Self.error(404, "Not Found Exception", "The resource was not found.")
        }
    }

    private func records(_ request: FakeRequest, _ domain: String, _ id: Int?) -> FakeReply {
        let existing = id.flatMap { api.record(domain, id: $0) }
        switch (request.method, id) {
        case ("GET", nil):
            let soa = JSONValue.object([
                ("id", .int(ids[domain] ?? 0)), ("domainName", .string(domain)), ("nodeName", .string("")),
                ("hostname", .string(domain)), ("recordType", .string("SOA")), ("ttl", .int(120)),
                ("state", .bool(true)),
                (
                    "content",
                    .string("\(domain). 120 IN SOA ns1.dynu.com. administrator.dynu.com. 0 1800 300 86400 300")
                ),
            ])
            let all = [soa] + api.stored(domain).map { Self.json($0, domain) }
            return .json(200, .object([("statusCode", .int(200)), ("dnsRecords", .array(all))]))
        case ("GET", _):
            guard let existing else { return Self.error(404, "Not Found Exception", "DNS record was not found.") }
            return .json(200, Self.json(existing, domain))
        case ("DELETE", _):
            guard let existing else { return Self.error(501, "Argument Exception", "DNS record was not found.") }
            api.remove(domain, id: existing.id)
            return .json(200, .object([("statusCode", .int(200))]))
        case ("POST", _):
            if id != nil && existing == nil {
                return Self.error(404, "Not Found Exception", "DNS record was not found.")
            }
            return save(request, domain, existing: existing)
        default:
            return Self.error(405, "Method Not Allowed", "The method is not allowed.")
        }
    }

    private func save(_ request: FakeRequest, _ domain: String, existing: StoredRecord?) -> FakeReply {
        guard let body = request.jsonObject, let type = body["recordType"]?.string?.uppercased(),
            let node = body["nodeName"]?.string?.lowercased()
        else { return Self.error(400, "Validation Exception", "recordType and nodeName are required.") }
        guard Self.types.contains(type) else {
            return Self.error(400, "Validation Exception", "Record type \(type) is not supported.")
        }
        if let existing, existing.node != node || existing.type != type {
            return Self.error(501, "Argument Exception", "Node name and record type of a record cannot be changed.")
        }
        let field = ["A": "ipv4Address", "AAAA": "ipv6Address", "TXT": "textData"][type] ?? "host"
        guard let value = body[field]?.string, !value.isEmpty else {
            return Self.error(400, "Validation Exception", "\(field) is required.")
        }
        let ttl = body["ttl"]?.int ?? 120
        var record = StoredRecord(id: existing?.id ?? api.nextID(), node: node, type: type, ttl: ttl, value: value)
        if type == "MX" || type == "SRV" { record.priority = body["priority"]?.int }
        if type == "SRV" { (record.weight, record.port) = (body["weight"]?.int, body["port"]?.int) }
        if let problem = problem(domain, record) { return Self.error(400, "Validation Exception", problem) }
        let others = api.stored(domain).filter { $0.id != record.id && $0.node == node }
        if others.contains(where: { $0.type == type && $0.value == value }) {
            return Self.error(501, "Argument Exception", "The DNS record already exists.")
        }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return Self.error(400, "Validation Exception", "A CNAME record cannot coexist with other records.")
        }
        if existing == nil, let recordLimit, api.stored(domain).count >= recordLimit {
            return Self.error(503, "Service Unavailable", "Too many entries.")
        }
        api.save(record, in: domain)
        return .json(200, Self.json(record, domain))
    }

    /// Why Dynu refuses a record's fields, or nil.
    private func problem(_ domain: String, _ record: StoredRecord) -> String? {
        guard record.ttl > 0 else { return "TTL must be a positive number." }
        guard !record.node.hasSuffix("."), !record.node.contains(" "), record.node.allSatisfy(\.isASCII),
            !record.node.hasSuffix(domain)
        else { return "Node name is invalid." }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.value):
            return "IPv4 address is invalid."
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.value)) == nil:
            return "IPv6 address is invalid."
        case "CNAME", "NS", "PTR", "MX", "SRV":
            if record.value.contains(" ") || record.value.hasSuffix(".") { return "Host is invalid." }
            if record.type == "MX" && record.priority == nil { return "Priority is required." }
            if record.type == "SRV" && (record.priority == nil || record.port == nil) {
                return "Priority, weight and port are required."
            }
            return nil
        default:
            return nil
        }
    }

    static func json(_ record: StoredRecord, _ domain: String) -> JSONValue {
        let hostname = record.node.isEmpty ? domain : record.node + "." + domain
        var data = record.value
        var pairs: [(String, JSONValue)] = [
            ("id", .int(record.id)), ("domainName", .string(domain)), ("nodeName", .string(record.node)),
            ("hostname", .string(hostname)), ("recordType", .string(record.type)), ("ttl", .int(record.ttl)),
            ("state", .bool(true)),
        ]
        switch record.type {
        case "A": pairs.append(("ipv4Address", .string(record.value)))
        case "AAAA": pairs.append(("ipv6Address", .string(record.value)))
        case "TXT":
            pairs.append(("textData", .string(record.value)))
            data = "\"" + TXTPresentation.escape(Array(record.value.utf8)) + "\""
        default:
            pairs.append(("host", .string(record.value)))
            data = record.value + "."
            if let priority = record.priority {
                pairs.append(("priority", .int(priority)))
                data = "\(priority) " + data
            }
            if let weight = record.weight, let port = record.port {
                pairs += [("weight", .int(weight)), ("port", .int(port))]
                data = "\(record.priority ?? 0) \(weight) \(port) \(record.value)."
            }
        }
        pairs.append(("content", .string("\(hostname). \(record.ttl) IN \(record.type) \(data)")))
        return .object(pairs)
    }

    static func error(_ status: Int, _ type: String, _ message: String) -> FakeReply {
        .json(
            status,
            .object([("statusCode", .int(status)), ("type", .string(type)), ("message", .string(message))]))
    }
}
