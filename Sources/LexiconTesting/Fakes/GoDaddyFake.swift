import Foundation
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
    private var domains: [String: [StoredRecord]] = [:]
    private var failListingPage: Int?
    private var pagingIgnored = false
    private let lock = NSLock()
    private var server: LoopbackHTTPServer!

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { server.url + "/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { server.requests }

    /// Starts the fake with domains, each with GoDaddy's default NS records and a record of a type lexicon does
    /// not otherwise handle (it must survive every change).
    public init(domains names: [String]) throws {
        for name in names {
            domains[name] = [
                StoredRecord(type: "NS", name: "@", data: "ns01.domaincontrol.com", ttl: 3600),
                StoredRecord(type: "NS", name: "@", data: "ns02.domaincontrol.com", ttl: 3600),
                StoredRecord(
                    type: "SOA", name: "@", data: "ns01.domaincontrol.com. dns.jomax.net. 2024 28800 7200 604800 600",
                    ttl: 3600),
            ]
        }
        server = try LoopbackHTTPServer { [unowned self] request in lock.withLock { self.handle(request) } }
    }

    /// Stops the fake.
    public func stop() { server.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { lock.withLock { domains[domain] ?? [] } }

    /// Makes listings answer the first page whatever page is asked for, as an API (or a proxy) that drops the
    /// paging parameters does.
    public func ignorePaging(_ ignored: Bool = true) { lock.withLock { pagingIgnored = ignored } }

    /// Makes the listing answer 500 from this page (counted from 0) on.
    public func failListing(fromPage page: Int?) { lock.withLock { failListingPage = page } }

    private func handle(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply {
        guard request.header("authorization") == "sso-key \(key):\(secret)" else {
            return Self.error(401, "UNABLE_TO_AUTHENTICATE", "Unable to authenticate")
        }
        let (path, query) = URLQuery.split(request.path)
        let parts = path.split(separator: "/").map { URLQuery.unescape($0) }
        guard parts.count >= 3, parts[0] == "v1", parts[1] == "domains", domains[parts[2]] != nil else {
            return Self.error(404, "NOT_FOUND", "Domain not found")
        }
        let domain = parts[2]
        switch (request.method, parts.count) {
        case ("GET", 3):
            return Self.json(200, .object([("domain", .string(domain)), ("status", .string("ACTIVE"))]))
        case ("GET", 4) where parts[3] == "records":
            let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
            let offset = pagingIgnored ? 0 : max(0, Int(filters["offset"] ?? "0") ?? 0)
            let limit = min(3, max(1, Int(filters["limit"] ?? "3") ?? 3))
            if let failing = failListingPage, offset / limit >= failing {
                return Self.error(500, "INTERNAL_SERVER_ERROR", "An unexpected error occurred")
            }
            let slice = domains[domain]!.dropFirst(offset).prefix(limit)
            return Self.json(200, .array(slice.map(Self.json)))
        case ("PUT", 6) where parts[3] == "records":
            guard request.header("content-type")?.hasPrefix("application/json") == true, let body = request.body,
                let list = (try? JSONValue(parsing: body))?.array
            else { return Self.error(400, "INVALID_BODY", "Request body must be a JSON array of records") }
            return put(domain, type: parts[4], name: parts[5], list)
        case ("DELETE", 6) where parts[3] == "records":
            let before = domains[domain]!.count
            domains[domain]!.removeAll { $0.type == parts[4] && $0.name == parts[5] }
            return before == domains[domain]!.count
                ? Self.error(404, "NOT_FOUND", "No records of that type and name") : .respond(HTTPResponse(status: 204))
        default:
            return Self.error(405, "METHOD_NOT_ALLOWED", "Method not allowed")
        }
    }

    private func put(_ domain: String, type: String, name: String, _ list: [JSONValue]) -> LoopbackHTTPServer.Reply {
        func invalid(_ index: Int, _ field: String, _ message: String) -> LoopbackHTTPServer.Reply {
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
            if type == "A", (try? RecordContent.normalize(type: .a, content: data)) == nil {
                return invalid(index, "data", "is not a valid IPv4 address")
            }
            if type == "MX" && item["priority"]?.int == nil { return invalid(index, "priority", "is required for MX") }
            if type == "SRV"
                && (item["port"]?.int == nil || item["weight"]?.int == nil || item["service"]?.string == nil)
            {
                return invalid(index, "port", "port, weight, service and protocol are required for SRV")
            }
            records.append(
                StoredRecord(
                    type: type, name: name, data: data, ttl: ttl, priority: item["priority"]?.int,
                    weight: item["weight"]?.int,
                    port: item["port"]?.int))
        }
        let others = domains[domain]!.filter { $0.name == name && $0.type != type }
        if (type == "CNAME" && !others.isEmpty) || others.contains(where: { $0.type == "CNAME" }) {
            return Self.error(422, "DUPLICATE_RECORD", "Another record with the same attributes already exists")
        }
        domains[domain]!.removeAll { $0.type == type && $0.name == name }
        domains[domain]! += records
        return .respond(HTTPResponse(status: 200))
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

    static func json(_ status: Int, _ value: JSONValue) -> LoopbackHTTPServer.Reply {
        .respond(HTTPResponse(status: status, headers: ["content-type": "application/json"], body: value.encoded()))
    }

    static func error(_ status: Int, _ code: String, _ message: String, fields: [(String, String)] = [])
        -> LoopbackHTTPServer.Reply
    {
        var pairs: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if !fields.isEmpty {
            pairs.append(
                (
                    "fields",
                    .array(
                        fields.map {
                            .object([("path", .string($0.0)), ("code", .string("INVALID")), ("message", .string($0.1))])
                        })
                ))
        }
        return json(status, .object(pairs))
    }
}
