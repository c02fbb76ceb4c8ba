import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Name.com's v4 API on loopback, written from Name.com's API reference: HTTP Basic auth with
/// the user name and token, `domains` and `records` listings paged by `page`/`perPage` (two items a page, so
/// listings page) with `nextPage` and `lastPage` only while another page follows, numeric ids, hosts relative to
/// the zone (`""` or `@` for the apex) and `fqdn` with its final dot, fields at their default value left out of
/// answers, the priority of MX and SRV in its own field, a minimum TTL of 300, 403 for a write without a JSON
/// content type, and `{"message", "details"}` bodies for wrong credentials, unknown domains and records, and
/// invalid or duplicate records.
public final class NamecomFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        /// Relative to the zone; `""` for the apex.
        public var host: String
        public var type: String
        public var answer: String
        public var ttl: Int
        public var priority: Int
    }

    /// The user name it accepts.
    public let username = "lexicon-test"
    /// The API token it accepts.
    public let token = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// The most items a listing page holds, whatever `perPage` asks (Name.com's default is 1,000).
    public let pageSize = 2
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v4" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, which hold no records.
    public init(domains names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 10_001)
        let expected = "Basic " + Base64.encode(Array("\(username):\(token)".utf8))
        try api.start(
            authorize: { $0.header("authorization") == expected ? nil : Self.error(401, "Unauthenticated") },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Makes listings answer the first page whatever page is asked for.
    public func ignorePaging() { api.ignorePaging() }

    private static let types = ["A", "AAAA", "ANAME", "CNAME", "MX", "NS", "SRV", "TXT"]
    private static let notFound = error(404, "Not Found")

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 2, parts.count <= 5, parts[0] == "v4", parts[1] == "domains" else { return Self.notFound }
        if ["POST", "PUT"].contains(request.method),
            request.header("content-type")?.hasPrefix("application/json") != true
        {
            return Self.error(403, "Forbidden", "Content-Type must be application/json")
        }
        if parts.count == 2 {
            guard request.method == "GET" else { return Self.error(405, "Method Not Allowed") }
            return list("domains", api.zoneKeys.map(Self.json(domain:)), request)
        }
        let domain = parts[2]
        guard let records = api.records(domain) else { return Self.notFound }
        guard parts.count == 3 || parts[3] == "records" else { return Self.notFound }
        var existing: StoredRecord?
        if parts.count == 5 {
            guard let id = Int(parts[4]), let record = api.record(domain, id: id) else { return Self.notFound }
            existing = record
        }
        switch (request.method, parts.count) {
        case ("GET", 3):
            return .json(200, Self.json(domain: domain))
        case ("GET", 4):
            return list("records", records.map { Self.json($0, domain: domain) }, request)
        case ("GET", 5):
            return .json(200, Self.json(existing!, domain: domain))
        case ("POST", 4), ("PUT", 5):
            return save(domain, request, existing: existing)
        case ("DELETE", 5):
            api.remove(domain, id: existing!.id)
            return .json(200, .object([]))
        default:
            return Self.error(405, "Method Not Allowed")
        }
    }

    /// A listing page; `nextPage` and `lastPage` only while another page follows, and no key for an empty list.
    private func list(_ key: String, _ items: [JSONValue], _ request: FakeRequest) -> FakeReply {
        let perPage = request.int("perPage") ?? 1000
        guard perPage >= 1 else { return Self.error(400, "Invalid Argument", "perPage must be positive") }
        let page = api.page(items, number: request.int("page"), size: min(pageSize, perPage))
        var pairs: [(String, JSONValue)] = page.items.isEmpty ? [] : [(key, .array(page.items))]
        if page.number < page.pages {
            pairs += [("nextPage", .int(page.number + 1)), ("lastPage", .int(page.pages))]
        }
        return .json(200, .object(pairs))
    }

    private func save(_ domain: String, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.jsonObject else { return Self.error(400, "Invalid Argument", "Invalid JSON") }
        if let existing, let id = json["id"]?.int, id != existing.id {
            return Self.error(400, "Invalid Argument", "The id must match the URI")
        }
        let type = (json["type"]?.string ?? existing?.type ?? "").uppercased()
        var host = (json["host"]?.string ?? existing?.host ?? "").lowercased()
        if host == "@" { host = "" }
        let answer = json["answer"]?.string ?? existing?.answer ?? ""
        let ttl = json["ttl"]?.int ?? existing?.ttl ?? 300
        let priority = json["priority"]?.int ?? existing?.priority ?? 0
        if let problem = problem(domain, type: type, host: host, answer: answer, ttl: ttl, id: existing?.id) {
            return Self.error(400, "Invalid Argument", problem)
        }
        let record = StoredRecord(
            id: existing?.id ?? api.nextID(), host: host, type: type, answer: answer, ttl: ttl,
            priority: ["MX", "SRV"].contains(type) ? priority : 0)
        api.save(record, in: domain)
        return .json(200, Self.json(record, domain: domain))
    }

    /// Why Name.com refuses a record, or nil.
    private func problem(_ domain: String, type: String, host: String, answer: String, ttl: Int, id: Int?)
        -> String?
    {
        guard Self.types.contains(type) else { return "Parameter Value Error - Invalid Type" }
        guard !host.hasSuffix("."), !host.contains(" "), host.allSatisfy(\.isASCII) else {
            return "Parameter Value Error - Invalid Host"
        }
        guard !answer.isEmpty else { return "Parameter Value Error - Answer is required" }
        guard ttl >= 300 else { return "Parameter Value Error - TTL must be at least 300" }
        switch type {
        case "A" where FakeRules.notIPv4(answer):
            return "Parameter Value Error - Invalid IPv4 Address"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: answer)) == nil:
            return "Parameter Value Error - Invalid IPv6 Address"
        case "CNAME", "NS", "MX", "ANAME":
            if answer.contains(" ") { return "Parameter Value Error - Invalid Answer" }
        case "SRV":
            let fields = answer.split(separator: " ")
            guard fields.count == 3, Int(fields[0]) != nil, Int(fields[1]) != nil else {
                return "Parameter Value Error - SRV answer must be WEIGHT PORT TARGET"
            }
        default:
            break
        }
        let others = api.stored(domain).filter { $0.id != id && $0.host == host }
        if others.contains(where: { $0.type == type && $0.answer == answer }) {
            return "Parameter Value Error - Duplicate Record"
        }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "Parameter Value Error - CNAME records cannot share a host with other records"
        }
        return nil
    }

    /// A record as Name.com answers it: no `host` for the apex, no `priority` of 0.
    static func json(_ record: StoredRecord, domain: String) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("id", .int(record.id)), ("domainName", .string(domain))]
        if !record.host.isEmpty { pairs.append(("host", .string(record.host))) }
        pairs += [
            ("fqdn", .string((record.host.isEmpty ? "" : record.host + ".") + domain + ".")),
            ("type", .string(record.type)), ("answer", .string(record.answer)), ("ttl", .int(record.ttl)),
        ]
        if record.priority != 0 { pairs.append(("priority", .int(record.priority))) }
        return .object(pairs)
    }

    static func json(domain: String) -> JSONValue {
        .object([
            ("domainName", .string(domain)),
            (
                "nameservers",
                .array(["ns1.name.com", "ns2.name.com", "ns3.name.com", "ns4.name.com"].map { .string($0) })
            ),
            ("locked", .bool(true)), ("autorenewEnabled", .bool(true)),
            ("expireDate", .string("2030-01-01T00:00:00Z")), ("createDate", .string("2024-01-01T00:00:00Z")),
        ])
    }

    static func error(_ status: Int, _ message: String, _ details: String? = nil) -> FakeReply {
        .json(status, .object([("message", .string(message))] + (details.map { [("details", .string($0))] } ?? [])))
    }
}
