import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of easyDNS's REST API on loopback, written from easyDNS's API reference and what clients report
/// of the real answers: HTTP Basic auth with token and key, XML unless `format=json`, `/domain/{domain}` with
/// `exists`, `/zones/records/all/{domain}` paged by `start`/`max` (two items a page, so listings page) with
/// `count`/`total`/`start`/`max`, ids and numbers as strings, `PUT` to add, `POST` to modify by id, `DELETE` by
/// domain and id, the apex as `@`, and `{"error": {"code", "message"}}` bodies; when told, the "420 Enhance Your
/// Calm" rate limit.
public final class EasyDNSFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        public var host: String
        public var type: String
        public var rdata: String
        public var ttl: Int
        public var prio: Int
    }

    /// The API token (Basic user) it accepts.
    public let token = "tok" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    /// The API key (Basic password) it accepts.
    public let key = "key" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// The most items a listing page holds, whatever `max` asks.
    public let pageSize = 2
    private let api: FakeAPI<StoredRecord>
    private var rateLimited = 0

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (each with easyDNS's NS records).
    public init(domains names: [String]) throws {
        var zones: [String: [StoredRecord]] = [:]
        var id = 60_898_900
        for name in names {
            zones[name] = ["dns1.easydns.com", "dns2.easydns.net"].map { server in
                id += 1
                return StoredRecord(id: id, host: "@", type: "NS", rdata: server + ".", ttl: 3600, prio: 0)
            }
        }
        api = FakeAPI(zones: zones, firstID: id + 1)
        try api.start(authorize: { [unowned self] in gate($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Makes listings answer the first page whatever `start` is given.
    public func ignorePaging() { api.ignorePaging() }

    /// Answers the next `count` requests with easyDNS's 420 "Enhance Your Calm".
    public func rateLimit(next count: Int) { api.locked { rateLimited = count } }

    static let types = [
        "A", "AAAA", "AFSDB", "ANAME", "CAA", "CNAME", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP",
        "TLSA", "TXT", "URL",
    ]
    static let calm =
        "Enhance Your Calm. Rate limit exceeded (too many requests) OR you did NOT provide any credentials with your "
        + "request!"

    /// The rate limit, then the format (XML without `format=json`), then the credentials.
    private func gate(_ request: FakeRequest) -> FakeReply? {
        if rateLimited > 0 {
            rateLimited -= 1
            return Self.error(403, 420, Self.calm)
        }
        guard request.parameters["format"] == "json" else {
            return .text(200, "<?xml version=\"1.0\"?><response><status>200</status></response>")
        }
        guard let authorization = request.header("authorization") else { return Self.error(403, 420, Self.calm) }
        let expected = HTTPHeader.basicAuthorization(user: token, password: key).value
        return authorization == expected ? nil : Self.error(401, 401, "Unauthorized: invalid token or key")
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        switch (request.method, parts.count) {
        case ("GET", 2) where parts[0] == "domain":
            let exists = api.records(parts[1]) != nil
            return Self.answer(
                200,
                .object(
                    [("exists", .string(exists ? "Y" : "N"))]
                        + (exists
                            ? [("id", .string("\(abs(parts[1].hashValue) % 100_000)")), ("domain", .string(parts[1]))]
                            : [])))
        case ("GET", 4) where parts[0] == "zones" && parts[1] == "records" && parts[2] == "all":
            return list(parts[3], request)
        case ("PUT", 5) where parts[0] == "zones" && parts[1] == "records" && parts[2] == "add":
            guard api.records(parts[3]) != nil else { return Self.error(404, 404, "No such domain") }
            return save(parts[3], request, type: parts[4], existing: nil)
        case ("POST", 3) where parts[0] == "zones" && parts[1] == "records":
            guard let id = Int(parts[2]), let domain = api.zoneKeys.first(where: { api.record($0, id: id) != nil })
            else { return Self.error(404, 404, "No such record") }
            return save(domain, request, type: nil, existing: api.record(domain, id: id))
        case ("DELETE", 4) where parts[0] == "zones" && parts[1] == "records":
            guard let id = Int(parts[3]), api.remove(parts[2], id: id) != nil else {
                return Self.error(404, 404, "No such record")
            }
            return Self.answer(200, .object([("domain", .string(parts[2])), ("id", .string(parts[3]))]))
        default:
            return Self.error(404, 404, "Unknown endpoint")
        }
    }

    private func list(_ domain: String, _ request: FakeRequest) -> FakeReply {
        guard let records = api.records(domain) else { return Self.error(404, 404, "No such domain") }
        let start = request.int("start") ?? 0
        let max = min(request.int("max") ?? 1000, pageSize)
        let page = api.page(records, offset: start, limit: max)
        return .json(
            200,
            .object([
                ("tm", .int(Int(Date().timeIntervalSince1970))),
                ("data", .array(page.map { Self.json($0, domain) })), ("count", .int(page.count)),
                ("total", .int(records.count)), ("start", .int(start)), ("max", .int(max)), ("status", .int(200)),
            ]))
    }

    /// An add (`type` from the path) or a modify (`existing`).
    private func save(_ domain: String, _ request: FakeRequest, type pathType: String?, existing: StoredRecord?)
        -> FakeReply
    {
        guard let json = request.jsonObject else { return Self.error(400, 400, "Invalid JSON body") }
        guard json["domain"]?.string == domain else { return Self.error(400, 400, "domain does not match") }
        guard let host = json["host"]?.string?.lowercased(), let rdata = json["rdata"]?.string,
            let type = json["type"]?.string
        else { return Self.error(400, 400, "host, type and rdata are required") }
        if let pathType, pathType != type { return Self.error(400, 400, "type does not match the URL") }
        let ttl = Self.number(json["ttl"]) ?? existing?.ttl ?? 300
        let prio = Self.number(json["prio"]) ?? 0
        if let problem = problem(domain, type: type, host: host, rdata: rdata, ttl: ttl, id: existing?.id) {
            return Self.error(400, 400, problem)
        }
        let record = StoredRecord(
            id: existing?.id ?? api.nextID(), host: host, type: type, rdata: rdata, ttl: ttl, prio: prio)
        api.save(record, in: domain)
        return Self.answer(existing == nil ? 201 : 200, Self.json(record, domain))
    }

    /// Why easyDNS refuses a record, or nil.
    private func problem(_ domain: String, type: String, host: String, rdata: String, ttl: Int, id: Int?) -> String? {
        guard Self.types.contains(type) else { return "Invalid record type" }
        guard !host.isEmpty, !host.hasSuffix("."), !host.hasSuffix(domain), !host.contains(" ") else {
            return "Invalid host: give it relative to the domain, @ for the domain itself"
        }
        guard ttl >= 0 else { return "Invalid TTL" }
        guard !rdata.isEmpty else { return "rdata is required" }
        switch type {
        case "A" where FakeRules.notIPv4(rdata):
            return "Invalid IPv4 address"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: rdata)) == nil:
            return "Invalid IPv6 address"
        case "CNAME" where rdata.contains(" "), "NS" where rdata.contains(" "), "MX" where rdata.contains(" "):
            return "Invalid host name in rdata"
        default:
            break
        }
        let others = api.stored(domain).filter { $0.id != id && $0.host == host }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "CNAME records cannot coexist with other records of the same host"
        }
        return nil
    }

    static func number(_ json: JSONValue?) -> Int? { json?.int ?? json?.string.flatMap { Int($0) } }

    /// A record as easyDNS lists it: every number a string.
    static func json(_ record: StoredRecord, _ domain: String) -> JSONValue {
        .object([
            ("id", .string("\(record.id)")), ("domain", .string(domain)), ("host", .string(record.host)),
            ("ttl", .string("\(record.ttl)")), ("prio", .string("\(record.prio)")), ("geozone_id", .string("0")),
            ("type", .string(record.type)), ("rdata", .string(record.rdata)),
            ("last_mod", .string("2026-01-01 00:00:00")),
        ])
    }

    static func answer(_ status: Int, _ data: JSONValue) -> FakeReply {
        .json(
            status,
            .object([
                ("msg", .string("OK")), ("tm", .int(Int(Date().timeIntervalSince1970))), ("data", data),
                ("status", .int(status)),
            ]))
    }

    static func error(_ status: Int, _ code: Int, _ message: String) -> FakeReply {
        .json(status, .object([("error", .object([("code", .int(code)), ("message", .string(message))]))]))
    }
}
