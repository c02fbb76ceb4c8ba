import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Linode's v4 DNS Manager API on loopback, written from Linode's API reference: Bearer auth,
/// `data`/`page`/`pages`/`results` envelopes (three items a page, so listings page), numeric ids, relative names
/// (`""` for the apex), `ttl_sec` rounded up to Linode's steps, SRV as `service`/`protocol`, and
/// `{"errors": [{"field", "reason"}]}` for bad tokens, unknown ids, non-JSON bodies and invalid records.
public final class LinodeFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable {
        public var id: Int
        public var type: String
        public var name: String
        public var target: String
        public var ttl: Int
        public var priority: Int
        public var weight: Int
        public var port: Int
        public var service: String?
        public var proto: String?
        public var tag: String?
    }

    /// The token it accepts.
    public let token = "linode-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private var domains: [Int: (name: String, records: [StoredRecord])] = [:]
    private var nextID = 5000
    private var pagingIgnored = false
    private let lock = NSLock()
    private var server: LoopbackHTTPServer!

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { server.url + "/v4" }
    /// Requests received.
    public var requests: [HTTPRequest] { server.requests }

    /// Starts the fake with domains (plus a few others, so the domain list pages).
    public init(domains names: [String]) throws {
        for (index, name) in (["other-a.example", "other-b.example", "other-c.example"] + names).enumerated() {
            domains[100 + index] = (name, [])
        }
        server = try LoopbackHTTPServer { [unowned self] request in lock.withLock { self.handle(request) } }
    }

    /// Stops the fake.
    public func stop() { server.stop() }

    /// Makes listings answer the first page whatever page is asked for, as an API (or a proxy) that drops the
    /// paging parameters does.
    public func ignorePaging(_ ignored: Bool = true) { lock.withLock { pagingIgnored = ignored } }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] {
        lock.withLock { domains.values.first { $0.name == domain }?.records ?? [] }
    }

    static let steps = [300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800, 1_209_600, 2_419_200]

    private func handle(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply {
        guard request.header("authorization") == "Bearer \(token)" else {
            return Self.errors(401, [(nil, "Invalid Token")])
        }
        let (path, query) = URLQuery.split(request.path)
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "v4", parts[1] == "domains" else {
            return Self.errors(404, [(nil, "Not found")])
        }
        if parts.count == 2, request.method == "GET" {
            let list = domains.sorted { $0.key < $1.key }.map {
                JSONValue.object([
                    ("id", .int($0.key)), ("domain", .string($0.value.name)), ("type", .string("master")),
                    ("status", .string("active")),
                ])
            }
            return page(list, query)
        }
        guard parts.count >= 4, let id = Int(parts[2]), domains[id] != nil, parts[3] == "records" else {
            return Self.errors(404, [(nil, "Not found")])
        }
        switch (request.method, parts.count) {
        case ("GET", 4):
            return page(domains[id]!.records.map(Self.json), query)
        case ("POST", 4), ("PUT", 5):
            guard request.header("content-type")?.hasPrefix("application/json") == true, let body = request.body,
                let json = try? JSONValue(parsing: body), json.object != nil
            else { return Self.errors(400, [(nil, "Invalid JSON")]) }
            let recordID = parts.count == 5 ? Int(parts[4]) : nil
            if parts.count == 5 && !domains[id]!.records.contains(where: { $0.id == recordID }) {
                return Self.errors(404, [(nil, "Not found")])
            }
            return save(id, json, recordID: recordID)
        case ("DELETE", 5):
            guard let recordID = Int(parts[4]),
                let index = domains[id]!.records.firstIndex(where: { $0.id == recordID })
            else {
                return Self.errors(404, [(nil, "Not found")])
            }
            domains[id]!.records.remove(at: index)
            return .respond(
                HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: Array("{}".utf8)))
        default:
            return Self.errors(405, [(nil, "Method not allowed")])
        }
    }

    private func save(_ domainID: Int, _ json: JSONValue, recordID: Int?) -> LoopbackHTTPServer.Reply {
        guard let type = json["type"]?.string ?? domains[domainID]!.records.first(where: { $0.id == recordID })?.type,
            ["A", "AAAA", "NS", "MX", "CNAME", "TXT", "SRV", "PTR", "CAA"].contains(type)
        else { return Self.errors(400, [("type", "type is not valid")]) }
        guard let target = json["target"]?.string, !target.isEmpty else {
            return Self.errors(400, [("target", "target is required")])
        }
        var name = json["name"]?.string ?? ""
        if type == "SRV" {
            guard let service = json["service"]?.string, let proto = json["protocol"]?.string, json["port"]?.int != nil,
                json["priority"]?.int != nil
            else {
                return Self.errors(
                    400, [("service", "service, protocol, port and priority are required for SRV records")])
            }
            name = "_\(service)._\(proto)"
        }
        if name.hasSuffix(".") { return Self.errors(400, [("name", "name must be relative to the domain")]) }
        if type == "A", (try? RecordContent.normalize(type: .a, content: target)) == nil {
            return Self.errors(400, [("target", "Must be a valid IPv4 address")])
        }
        if type == "CAA" && json["tag"]?.string == nil {
            return Self.errors(400, [("tag", "tag is required for CAA records")])
        }
        let requested = json["ttl_sec"]?.int ?? 0
        let ttl = requested == 0 ? 0 : (Self.steps.first { $0 >= requested } ?? Self.steps.last!)
        let others = domains[domainID]!.records.filter { $0.id != recordID && $0.name == name.lowercased() }
        if (type == "CNAME" && !others.isEmpty) || others.contains(where: { $0.type == "CNAME" }) {
            return Self.errors(400, [("name", "Record conflict - CNAMES must be unique")])
        }
        let record = StoredRecord(
            id: recordID
                ?? {
                    nextID += 1; return nextID
                }(), type: type, name: name.lowercased(), target: target, ttl: ttl,
            priority: json["priority"]?.int ?? 0, weight: json["weight"]?.int ?? 0, port: json["port"]?.int ?? 0,
            service: type == "SRV" ? json["service"]?.string : nil,
            proto: type == "SRV" ? json["protocol"]?.string : nil,
            tag: json["tag"]?.string)
        if let recordID, let index = domains[domainID]!.records.firstIndex(where: { $0.id == recordID }) {
            domains[domainID]!.records[index] = record
        } else {
            domains[domainID]!.records.append(record)
        }
        return .respond(
            HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: Self.json(record).encoded()))
    }

    private func page(_ items: [JSONValue], _ query: [(String, String)]) -> LoopbackHTTPServer.Reply {
        let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
        let size = 3
        let page = pagingIgnored ? 1 : max(1, Int(filters["page"] ?? "1") ?? 1)
        let pages = max(1, (items.count + size - 1) / size)
        let slice = Array(items.dropFirst((page - 1) * size).prefix(size))
        let body = JSONValue.object([
            ("data", .array(slice)), ("page", .int(page)), ("pages", .int(pages)), ("results", .int(items.count)),
        ])
        return .respond(HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: body.encoded()))
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("id", .int(record.id)), ("type", .string(record.type)), ("name", .string(record.name)),
            ("target", .string(record.target)), ("ttl_sec", .int(record.ttl)), ("priority", .int(record.priority)),
            ("weight", .int(record.weight)), ("port", .int(record.port)),
            ("service", record.service.map { .string($0) } ?? .null),
            ("protocol", record.proto.map { .string($0) } ?? .null),
            ("tag", record.tag.map { .string($0) } ?? .null),
        ])
    }

    static func errors(_ status: Int, _ list: [(String?, String)]) -> LoopbackHTTPServer.Reply {
        let errors = list.map { field, reason in
            JSONValue.object((field.map { [("field", JSONValue.string($0))] } ?? []) + [("reason", .string(reason))])
        }
        return .respond(
            HTTPResponse(
                status: status, headers: ["content-type": "application/json"],
                body: JSONValue.object([("errors", .array(errors))]).encoded()))
    }
}
