import Lexicon
import LexiconHTTP

/// A stateful fake of DigitalOcean's v2 domain records API on loopback, written from DigitalOcean's API reference:
/// Bearer auth, `domain_records` with `links.pages.next` (three records a page, so listings page), numeric ids,
/// relative names with `@`, SRV and CAA fields, and the error bodies (`{"id", "message"}`) for missing or wrong
/// tokens, unknown domains and records, non-JSON bodies and invalid records.
public final class DigitalOceanFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        public var type: String
        public var name: String
        public var data: String
        public var ttl: Int
        public var priority: Int?
        public var port: Int?
        public var weight: Int?
        public var flags: Int?
        public var tag: String?
    }

    /// The token it accepts.
    public let token = "dop_v1_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v2" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (each with the NS records DigitalOcean creates).
    public init(domains names: [String]) throws {
        var zones: [String: [StoredRecord]] = [:]
        for (index, name) in names.enumerated() {
            zones[name] = (1...3).map {
                StoredRecord(id: $0 + index * 10, type: "NS", name: "@", data: "ns\($0).digitalocean.com", ttl: 1800)
            }
        }
        api = FakeAPI(zones: zones, firstID: 1001)
        try api.start(
            authorize: { [token] in
                $0.header("authorization") == "Bearer \(token)"
                    ? nil : Self.error(401, "Unauthorized", "Unable to authenticate you")
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    private static let notFound: FakeReply = error(
        404, "not_found", "The resource you were accessing could not be found.")

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts[0] == "v2", parts[1] == "domains", let records = api.records(parts[2]) else {
            return Self.notFound
        }
        let domain = parts[2]
        let id = parts.count == 5 ? Int(parts[4]) : nil
        switch (request.method, parts.count) {
        case ("GET", 3):
            return .json(200, .object([("domain", .object([("name", .string(domain)), ("ttl", .int(1800))]))]))
        case ("GET", 4) where parts[3] == "records":
            return list(domain, records, request)
        case ("POST", 4) where parts[3] == "records", ("PUT", 5) where parts[3] == "records":
            guard let json = request.jsonObject else {
                return Self.error(400, "bad_request", "The request body must be JSON.")
            }
            if parts.count == 5 && api.record(domain, id: id ?? -1) == nil { return Self.notFound }
            return save(domain, json, id: id)
        case ("DELETE", 5) where parts[3] == "records":
            return api.remove(domain, id: id ?? -1) == nil ? Self.notFound : .empty()
        default:
            return Self.error(405, "method_not_allowed", "Method not allowed.")
        }
    }

    private func list(_ domain: String, _ records: [StoredRecord], _ request: FakeRequest)
        -> FakeReply
    {
        let filters = request.parameters
        let matching = records.filter { record in
            let full = record.name == "@" ? domain : record.name + "." + domain
            return (filters["name"].map { $0.lowercased() == full } ?? true)
                && (filters["type"].map { $0 == record.type } ?? true)
        }
        let page = api.page(matching, number: request.int("page"), size: min(3, request.int("per_page") ?? 20))
        var pages: [(String, JSONValue)] = []
        func link(_ number: Int) -> JSONValue {
            let pairs = request.query.filter { $0.0 != "page" } + [("page", String(number))]
            return .string("https://api.digitalocean.com/v2/domains/\(domain)/records?" + URLQuery.encode(pairs))
        }
        if page.number < page.pages { pages += [("next", link(page.number + 1)), ("last", link(page.pages))] }
        if page.number > 1 { pages += [("first", link(1)), ("prev", link(page.number - 1))] }
        return .json(
            200,
            .object([
                ("domain_records", .array(page.items.map(Self.json))),
                ("links", .object([("pages", .object(pages))])), ("meta", .object([("total", .int(page.total))])),
            ]))
    }

    private func save(_ domain: String, _ json: JSONValue, id: Int?) -> FakeReply {
        func invalid(_ message: String) -> FakeReply {
            Self.error(422, "unprocessable_entity", message)
        }
        guard let type = json["type"]?.string,
            ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT"].contains(type)
        else { return invalid("Type is not included in the list") }
        guard let name = json["name"]?.string, !name.isEmpty, !name.hasSuffix(".") else {
            return invalid("Name must be a relative name or @")
        }
        guard let data = json["data"]?.string, !data.isEmpty else { return invalid("Data needs to be present") }
        let ttl = json["ttl"]?.int ?? 1800
        guard ttl >= 30 else { return invalid("TTL must be at least 30") }
        if type == "A", FakeRules.notIPv4(data) { return invalid("Data needs to be a valid IPv4 address") }
        if type == "MX" && json["priority"]?.int == nil {
            return invalid("Priority needs to be present for MX records")
        }
        if type == "SRV" && (json["port"]?.int == nil || json["weight"]?.int == nil || json["priority"]?.int == nil) {
            return invalid("Priority, port and weight need to be present for SRV records")
        }
        if type == "CAA" && (json["flags"]?.int == nil || json["tag"]?.string == nil) {
            return invalid("Flags and tag need to be present for CAA records")
        }
        let others = api.stored(domain).filter { $0.id != id && $0.name.lowercased() == name.lowercased() }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return invalid("CNAME records cannot share a name with other records.")
        }
        let record = StoredRecord(
            id: id ?? api.nextID(), type: type, name: name.lowercased(), data: data, ttl: ttl,
            priority: json["priority"]?.int, port: json["port"]?.int, weight: json["weight"]?.int,
            flags: json["flags"]?.int, tag: json["tag"]?.string)
        let replaced = api.save(record, in: domain)
        return .json(replaced ? 200 : 201, .object([("domain_record", Self.json(record))]))
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        func number(_ value: Int?) -> JSONValue { value.map { .int($0) } ?? .null }
        return .object([
            ("id", .int(record.id)), ("type", .string(record.type)), ("name", .string(record.name)),
            ("data", .string(record.data)), ("priority", number(record.priority)), ("port", number(record.port)),
            ("ttl", .int(record.ttl)), ("weight", number(record.weight)), ("flags", number(record.flags)),
            ("tag", record.tag.map { .string($0) } ?? .null),
        ])
    }

    static func error(_ status: Int, _ id: String, _ message: String) -> FakeReply {
        .json(status, .object([("id", .string(id)), ("message", .string(message))]))
    }
}
