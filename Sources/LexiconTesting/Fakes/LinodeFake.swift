import Lexicon
import LexiconHTTP

/// A stateful fake of Linode's v4 DNS Manager API on loopback, written from Linode's API reference: Bearer auth,
/// `data`/`page`/`pages`/`results` envelopes (three items a page, so listings page), numeric ids, relative names
/// (`""` for the apex), `ttl_sec` rounded up to Linode's steps, SRV as `service`/`protocol`, and
/// `{"errors": [{"field", "reason"}]}` for bad tokens, unknown ids, non-JSON bodies and invalid records.
public final class LinodeFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
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
    /// The domain of each domain id.
    private let domains: [Int: String]
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v4" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (plus a few others, so the domain list pages).
    public init(domains names: [String]) throws {
        let all = ["other-a.example", "other-b.example", "other-c.example"] + names
        domains = Dictionary(uniqueKeysWithValues: all.enumerated().map { (100 + $0.offset, $0.element) })
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: all.map { ($0, []) }), firstID: 5001)
        try api.start(
            authorize: { [token] in
                $0.header("authorization") == "Bearer \(token)" ? nil : Self.errors(401, [(nil, "Invalid Token")])
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// Makes listings answer the first page whatever page is asked for, as an API (or a proxy) that drops the
    /// paging parameters does.
    public func ignorePaging(_ ignored: Bool = true) { api.ignorePaging(ignored) }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    static let steps = [300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800, 1_209_600, 2_419_200]

    private static let notFound = errors(404, [(nil, "Not found")])

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 2, parts[0] == "v4", parts[1] == "domains" else { return Self.notFound }
        if parts.count == 2, request.method == "GET" {
            let list = domains.sorted { $0.key < $1.key }.map {
                JSONValue.object([
                    ("id", .int($0.key)), ("domain", .string($0.value)), ("type", .string("master")),
                    ("status", .string("active")),
                ])
            }
            return page(list, request)
        }
        guard parts.count >= 4, let domain = Int(parts[2]).flatMap({ domains[$0] }), parts[3] == "records" else {
            return Self.notFound
        }
        let recordID = parts.count == 5 ? Int(parts[4]) ?? -1 : nil
        switch (request.method, parts.count) {
        case ("GET", 4):
            return page(api.stored(domain).map(Self.json), request)
        case ("POST", 4), ("PUT", 5):
            guard let json = request.jsonObject else { return Self.errors(400, [(nil, "Invalid JSON")]) }
            if let recordID, api.record(domain, id: recordID) == nil { return Self.notFound }
            return save(domain, json, recordID: recordID)
        case ("DELETE", 5):
            return api.remove(domain, id: recordID ?? -1) == nil ? Self.notFound : .json(200, .object([]))
        default:
            return Self.errors(405, [(nil, "Method not allowed")])
        }
    }

    private func save(_ domain: String, _ json: JSONValue, recordID: Int?) -> FakeReply {
        guard let type = json["type"]?.string ?? recordID.flatMap({ api.record(domain, id: $0)?.type }),
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
        if type == "A", FakeRules.notIPv4(target) {
            return Self.errors(400, [("target", "Must be a valid IPv4 address")])
        }
        if type == "CAA" && json["tag"]?.string == nil {
            return Self.errors(400, [("tag", "tag is required for CAA records")])
        }
        let requested = json["ttl_sec"]?.int ?? 0
        let ttl = requested == 0 ? 0 : (Self.steps.first { $0 >= requested } ?? Self.steps.last!)
        let others = api.stored(domain).filter { $0.id != recordID && $0.name == name.lowercased() }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return Self.errors(400, [("name", "Record conflict - CNAMES must be unique")])
        }
        let record = StoredRecord(
            id: recordID ?? api.nextID(), type: type, name: name.lowercased(), target: target, ttl: ttl,
            priority: json["priority"]?.int ?? 0, weight: json["weight"]?.int ?? 0, port: json["port"]?.int ?? 0,
            service: type == "SRV" ? json["service"]?.string : nil,
            proto: type == "SRV" ? json["protocol"]?.string : nil, tag: json["tag"]?.string)
        api.save(record, in: domain)
        return .json(200, Self.json(record))
    }

    private func page(_ items: [JSONValue], _ request: FakeRequest) -> FakeReply {
        let page = api.page(items, number: request.int("page"), size: 3)
        return .json(
            200,
            .object([
                ("data", .array(page.items)), ("page", .int(page.number)), ("pages", .int(page.pages)),
                ("results", .int(page.total)),
            ]))
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

    static func errors(_ status: Int, _ list: [(String?, String)]) -> FakeReply {
        let errors = list.map { field, reason in
            JSONValue.object((field.map { [("field", JSONValue.string($0))] } ?? []) + [("reason", .string(reason))])
        }
        return .json(status, .object([("errors", .array(errors))]))
    }
}
