import Lexicon
import LexiconHTTP

/// A stateful fake of GoDaddy's v1 domains API on loopback, written from GoDaddy's API reference:
/// `Authorization: sso-key KEY:SECRET`, the zone's records listed with `offset`/`limit` (three a page), replaced per
/// type and name with `PUT /domains/{d}/records/{type}/{name}`, deleted with `DELETE` on the same path, and
/// GoDaddy's error bodies (`code`, `message`, `fields`) for bad keys, unknown domains and invalid records.
public final class GoDaddyFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable {
        public var type: String
        public var name: String
        public var data: String
        public var ttl: Int
        public var priority: Int?
        public var weight: Int?
        public var port: Int?
    }

    /// The key and secret it accepts.
    public let key = "gd-key-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    public let secret = "gd-secret-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    private var failListingPage: Int?
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, each with GoDaddy's default NS records and a record of a type lexicon does
    /// not otherwise handle (it must survive every change).
    public init(domains names: [String]) throws {
        let defaults = [
            StoredRecord(type: "NS", name: "@", data: "ns01.domaincontrol.com", ttl: 3600),
            StoredRecord(type: "NS", name: "@", data: "ns02.domaincontrol.com", ttl: 3600),
            StoredRecord(
                type: "SOA", name: "@", data: "ns01.domaincontrol.com. dns.jomax.net. 2024 28800 7200 604800 600",
                ttl: 3600),
        ]
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, defaults) }))
        try api.start(
            authorize: { [key, secret] in
                $0.header("authorization") == "sso-key \(key):\(secret)"
                    ? nil : Self.error(401, "UNABLE_TO_AUTHENTICATE", "Unable to authenticate")
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Makes listings answer the first page whatever page is asked for, as an API (or a proxy) that drops the
    /// paging parameters does.
    public func ignorePaging(_ ignored: Bool = true) { api.ignorePaging(ignored) }

    /// Makes the listing answer 500 from this page (counted from 0) on.
    public func failListing(fromPage page: Int?) { api.locked { failListingPage = page } }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts[0] == "v1", parts[1] == "domains", let records = api.records(parts[2]) else {
            return Self.error(404, "NOT_FOUND", "Domain not found")
        }
        let domain = parts[2]
        switch (request.method, parts.count) {
        case ("GET", 3):
            return .json(200, .object([("domain", .string(domain)), ("status", .string("ACTIVE"))]))
        case ("GET", 4) where parts[3] == "records":
            let limit = min(3, max(1, request.int("limit") ?? 3))
            let offset = api.pagingIgnored ? 0 : max(0, request.int("offset") ?? 0)
            if let failing = failListingPage, offset / limit >= failing {
                return Self.error(500, "INTERNAL_SERVER_ERROR", "An unexpected error occurred")
            }
            return .json(200, .array(api.page(records, offset: offset, limit: limit).map(Self.json)))
        case ("PUT", 6) where parts[3] == "records":
            guard let list = request.json?.array else {
                return Self.error(400, "INVALID_BODY", "Request body must be a JSON array of records")
            }
            return put(domain, type: parts[4], name: parts[5], list)
        case ("DELETE", 6) where parts[3] == "records":
            let removed = api.edit(domain) { records in
                let before = records.count
                records.removeAll { $0.type == parts[4] && $0.name == parts[5] }
                return before != records.count
            }
            return removed ? .empty() : Self.error(404, "NOT_FOUND", "No records of that type and name")
        default:
            return Self.error(405, "METHOD_NOT_ALLOWED", "Method not allowed")
        }
    }

    private func put(_ domain: String, type: String, name: String, _ list: [JSONValue]) -> FakeReply {
        func invalid(_ index: Int, _ field: String, _ message: String) -> FakeReply {
            Self.error(
                422, "INVALID_BODY", "Request body doesn't fulfill schema, see details in `fields`",
                fields: [("records[\(index)].\(field)", message)])
        }
        guard ["A", "AAAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT", "CAA"].contains(type) else {
            return Self.error(422, "INVALID_BODY", "type is not a valid record type")
        }
        guard !list.isEmpty else { return invalid(0, "data", "at least one record is required") }
        if name.hasSuffix(".") || (name != "@" && name.hasSuffix(domain)) {
            return invalid(0, "name", "must be relative to the domain")
        }
        var records: [StoredRecord] = []
        for (index, item) in list.enumerated() {
            guard let data = item["data"]?.string, !data.isEmpty else { return invalid(index, "data", "is required") }
            let ttl = item["ttl"]?.int ?? 3600
            guard ttl >= 600 else { return invalid(index, "ttl", "must be at least 600") }
            if type == "A", FakeRules.notIPv4(data) { return invalid(index, "data", "is not a valid IPv4 address") }
            if type == "MX" && item["priority"]?.int == nil { return invalid(index, "priority", "is required for MX") }
            if type == "SRV"
                && (item["port"]?.int == nil || item["weight"]?.int == nil || item["service"]?.string == nil)
            {
                return invalid(index, "port", "port, weight, service and protocol are required for SRV")
            }
            records.append(
                StoredRecord(
                    type: type, name: name, data: data, ttl: ttl, priority: item["priority"]?.int,
                    weight: item["weight"]?.int, port: item["port"]?.int))
        }
        let others = api.stored(domain).filter { $0.name == name && $0.type != type }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return Self.error(422, "DUPLICATE_RECORD", "Another record with the same attributes already exists")
        }
        api.edit(domain) { stored in
            stored.removeAll { $0.type == type && $0.name == name }
            stored += records
        }
        return .empty(200)
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("data", .string(record.data)), ("name", .string(record.name)), ("ttl", .int(record.ttl)),
            ("type", .string(record.type)),
        ]
        if let priority = record.priority { pairs.append(("priority", .int(priority))) }
        if let weight = record.weight { pairs.append(("weight", .int(weight))) }
        if let port = record.port { pairs.append(("port", .int(port))) }
        return .object(pairs)
    }

    static func error(_ status: Int, _ code: String, _ message: String, fields: [(String, String)] = []) -> FakeReply {
        var pairs: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if !fields.isEmpty {
            let list = fields.map { path, message -> JSONValue in
                .object([("path", .string(path)), ("code", .string("INVALID")), ("message", .string(message))])
            }
            pairs.append(("fields", .array(list)))
        }
        return .json(status, .object(pairs))
    }
}
