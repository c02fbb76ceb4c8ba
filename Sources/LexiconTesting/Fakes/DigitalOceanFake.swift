import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of DigitalOcean's v2 domain records API on loopback, written from DigitalOcean's API reference:
/// Bearer auth, `domain_records` with `links.pages.next` (three records a page, so listings page), numeric ids,
/// relative names with `@`, SRV and CAA fields, and the error bodies (`{"id", "message"}`) for missing or wrong
/// tokens, unknown domains and records, non-JSON bodies and invalid records.
public final class DigitalOceanFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable {
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
    private var domains: [String: [StoredRecord]] = [:]
    private var nextID = 1000
    private let lock = NSLock()
    private var server: LoopbackHTTPServer!

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { server.url + "/v2" }
    /// Requests received.
    public var requests: [HTTPRequest] { server.requests }

    /// Starts the fake with domains (each with the NS records DigitalOcean creates).
    public init(domains names: [String]) throws {
        for name in names {
            domains[name] = (1...3).map {
                StoredRecord(
                    id: $0 + domains.count * 10, type: "NS", name: "@", data: "ns\($0).digitalocean.com", ttl: 1800)
            }
        }
        server = try LoopbackHTTPServer { [unowned self] request in lock.withLock { self.handle(request) } }
    }

    /// Stops the fake.
    public func stop() { server.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { lock.withLock { domains[domain] ?? [] } }

    private func handle(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply {
        guard let authorization = request.header("authorization"), authorization == "Bearer \(token)" else {
            return Self.error(401, "Unauthorized", "Unable to authenticate you")
        }
        let (path, query) = URLQuery.split(request.path)
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "v2", parts[1] == "domains", domains[parts[2]] != nil else {
            return Self.error(404, "not_found", "The resource you were accessing could not be found.")
        }
        let domain = parts[2]
        switch (request.method, parts.count) {
        case ("GET", 3):
            return Self.json(200, .object([("domain", .object([("name", .string(domain)), ("ttl", .int(1800))]))]))
        case ("GET", 4) where parts[3] == "records":
            return list(domain, query)
        case ("POST", 4) where parts[3] == "records", ("PUT", 5) where parts[3] == "records":
            guard request.header("content-type")?.hasPrefix("application/json") == true,
                let body = request.body, let json = try? JSONValue(parsing: body), json.object != nil
            else { return Self.error(400, "bad_request", "The request body must be JSON.") }
            let id = parts.count == 5 ? Int(parts[4]) : nil
            if parts.count == 5 && !(domains[domain] ?? []).contains(where: { $0.id == id }) {
                return Self.error(404, "not_found", "The resource you were accessing could not be found.")
            }
            return save(domain, json, id: id)
        case ("DELETE", 5) where parts[3] == "records":
            guard let id = Int(parts[4]), let index = domains[domain]?.firstIndex(where: { $0.id == id }) else {
                return Self.error(404, "not_found", "The resource you were accessing could not be found.")
            }
            domains[domain]!.remove(at: index)
            return .respond(HTTPResponse(status: 204))
        default:
            return Self.error(405, "method_not_allowed", "Method not allowed.")
        }
    }

    private func list(_ domain: String, _ query: [(String, String)]) -> LoopbackHTTPServer.Reply {
        let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
        let perPage = min(3, max(1, Int(filters["per_page"] ?? "20") ?? 20))
        let page = max(1, Int(filters["page"] ?? "1") ?? 1)
        let matching = (domains[domain] ?? []).filter { record in
            let full = record.name == "@" ? domain : record.name + "." + domain
            return (filters["name"].map { $0.lowercased() == full } ?? true)
                && (filters["type"].map { $0 == record.type } ?? true)
        }
        let slice = Array(matching.dropFirst((page - 1) * perPage).prefix(perPage))
        let last = max(1, (matching.count + perPage - 1) / perPage)
        var pages: [(String, JSONValue)] = []
        func link(_ number: Int) -> JSONValue {
            var pairs = query.filter { $0.0 != "page" }
            pairs.append(("page", String(number)))
            return .string("https://api.digitalocean.com/v2/domains/\(domain)/records?" + URLQuery.encode(pairs))
        }
        if page < last { pages += [("next", link(page + 1)), ("last", link(last))] }
        if page > 1 { pages += [("first", link(1)), ("prev", link(page - 1))] }
        return Self.json(
            200,
            .object([
                ("domain_records", .array(slice.map(Self.json))), ("links", .object([("pages", .object(pages))])),
                ("meta", .object([("total", .int(matching.count))])),
            ]))
    }

    private func save(_ domain: String, _ json: JSONValue, id: Int?) -> LoopbackHTTPServer.Reply {
        guard let type = json["type"]?.string,
            ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT"].contains(type)
        else { return Self.error(422, "unprocessable_entity", "Type is not included in the list") }
        guard let name = json["name"]?.string, !name.isEmpty, !name.hasSuffix(".") else {
            return Self.error(422, "unprocessable_entity", "Name must be a relative name or @")
        }
        guard let data = json["data"]?.string, !data.isEmpty else {
            return Self.error(422, "unprocessable_entity", "Data needs to be present")
        }
        let ttl = json["ttl"]?.int ?? 1800
        guard ttl >= 30 else { return Self.error(422, "unprocessable_entity", "TTL must be at least 30") }
        if type == "A", (try? RecordContent.normalize(type: .a, content: data)) == nil {
            return Self.error(422, "unprocessable_entity", "Data needs to be a valid IPv4 address")
        }
        if type == "MX" && json["priority"]?.int == nil {
            return Self.error(422, "unprocessable_entity", "Priority needs to be present for MX records")
        }
        if type == "SRV" && (json["port"]?.int == nil || json["weight"]?.int == nil || json["priority"]?.int == nil) {
            return Self.error(
                422, "unprocessable_entity", "Priority, port and weight need to be present for SRV records")
        }
        if type == "CAA" && (json["flags"]?.int == nil || json["tag"]?.string == nil) {
            return Self.error(422, "unprocessable_entity", "Flags and tag need to be present for CAA records")
        }
        let others = (domains[domain] ?? []).filter { $0.id != id && $0.name.lowercased() == name.lowercased() }
        if (type == "CNAME" && !others.isEmpty) || others.contains(where: { $0.type == "CNAME" }) {
            return Self.error(422, "unprocessable_entity", "CNAME records cannot share a name with other records.")
        }
        let record = StoredRecord(
            id: id
                ?? {
                    nextID += 1; return nextID
                }(), type: type, name: name.lowercased(), data: data, ttl: ttl,
            priority: json["priority"]?.int, port: json["port"]?.int, weight: json["weight"]?.int,
            flags: json["flags"]?.int, tag: json["tag"]?.string)
        if let id, let index = domains[domain]?.firstIndex(where: { $0.id == id }) {
            domains[domain]![index] = record
            return Self.json(200, .object([("domain_record", Self.json(record))]))
        }
        domains[domain, default: []].append(record)
        return Self.json(201, .object([("domain_record", Self.json(record))]))
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

    static func json(_ status: Int, _ value: JSONValue) -> LoopbackHTTPServer.Reply {
        .respond(HTTPResponse(status: status, headers: ["content-type": "application/json"], body: value.encoded()))
    }

    static func error(_ status: Int, _ id: String, _ message: String) -> LoopbackHTTPServer.Reply {
        json(status, .object([("id", .string(id)), ("message", .string(message))]))
    }
}
