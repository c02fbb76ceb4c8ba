import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Njalla's JSON-RPC API on loopback, written from Njalla's API documentation
/// (`https://njal.la/api/`): one URL (`/api/1/`), every call a `POST` of `{"method", "params"}` with
/// `Authorization: Njalla <token>`, answers `{"jsonrpc": "2.0", "result"}` or `{"jsonrpc": "2.0", "error": {code,
/// message}}` with HTTP 200, `get-domain`, `list-records`, `add-record`, `edit-record` and `remove-record`; duplicate
/// values are kept (Njalla has no record sets), TTLs must come from Njalla's list, relative names with `@` for the
/// apex, the MX/SRV `prio` (from Njalla's list of priorities) and the SRV `weight`, `port` and `target` in their own
/// fields.
public final class NjallaFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// Relative to the zone; `@` for the apex.
        public var name: String
        public var type: String
        public var content: String
        public var ttl: Int
        public var prio: Int?
        public var weight: Int?
        public var port: Int?
    }

    /// The API token it accepts.
    public let token = String(UInt64.random(in: 0...UInt64.max), radix: 16) + "njalla"
    private let api: FakeAPI<StoredRecord>

    /// The URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/api/1/" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (empty).
    public init(domains names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 1000)
        try api.start(route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Adds a record as another client (the web panel) would, duplicates included.
    public func seed(_ domain: String, name: String, type: String, content: String, ttl: Int = 3600) {
        api.edit(domain) {
            $0.append(
                StoredRecord(
                    id: String(api.nextID()), name: name, type: type, content: content, ttl: ttl, prio: nil,
                    weight: nil, port: nil))
        }
    }

    static let ttls = [60, 300, 900, 3600, 10800, 21600, 86400]
    static let priorities = [0, 1, 5, 10, 20, 30, 40, 50, 60]
    private static let types = ["A", "AAAA", "ANAME", "CAA", "CNAME", "MX", "NS", "PTR", "SRV", "SSHFP", "TLSA", "TXT"]

    private func route(_ request: FakeRequest) -> FakeReply {
        guard request.method == "POST", request.parts == ["api", "1"] else {
            return .text(404, "Not Found", contentType: "text/html")
        }
        guard request.header("authorization") == "Njalla \(token)" else { return Self.error(403, "Invalid token.") }
        guard let body = request.jsonObject, let method = body["method"]?.string else {
            return Self.error(400, "Invalid request.")
        }
        let params = body["params"] ?? .object([])
        guard let domain = params["domain"]?.string?.lowercased() else { return Self.error(400, "missing domain") }
        guard api.records(domain) != nil else { return Self.error(404, "Domain not found.") }
        switch method {
        case "get-domain":
            return Self.result(
                .object([
                    ("name", .string(domain)), ("status", .string("active")),
                    ("expiry", .string("2027-12-01T00:00:00Z")),
                ]))
        case "list-records":
            return Self.result(.object([("records", .array(api.stored(domain).map(Self.json)))]))
        case "add-record":
            var record = StoredRecord(
                id: "", name: (params["name"]?.string ?? "").lowercased(),
                type: (params["type"]?.string ?? "").uppercased(),
                content: params["content"]?.string ?? params["target"]?.string ?? "",
                ttl: params["ttl"]?.int ?? 10800, prio: params["prio"]?.int, weight: params["weight"]?.int,
                port: params["port"]?.int)
            if let problem = problem(record, among: api.stored(domain)) { return Self.error(400, problem) }
            record.id = String(api.nextID())
            api.edit(domain) { $0.append(record) }
            return Self.result(Self.json(record))
        case "edit-record":
            guard let id = Self.id(params["id"]), var record = api.record(domain, id: id) else {
                return Self.error(404, "Record not found.")
            }
            if let name = params["name"]?.string { record.name = name.lowercased() }
            if let content = params["content"]?.string ?? params["target"]?.string { record.content = content }
            if let ttl = params["ttl"]?.int { record.ttl = ttl }
            if let prio = params["prio"]?.int { record.prio = prio }
            if let weight = params["weight"]?.int { record.weight = weight }
            if let port = params["port"]?.int { record.port = port }
            if let problem = problem(record, among: api.stored(domain).filter { $0.id != id }) {
                return Self.error(400, problem)
            }
            api.save(record, in: domain)
            return Self.result(Self.json(record))
        case "remove-record":
            guard let id = Self.id(params["id"]), api.remove(domain, id: id) != nil else {
                return Self.error(404, "Record not found.")
            }
            return Self.result(.object([]))
        default:
            return Self.error(400, "Unknown method \(method).")
        }
    }

    /// Why Njalla refuses a record, or nil; duplicates are allowed.
    private func problem(_ record: StoredRecord, among others: [StoredRecord]) -> String? {
        guard !record.name.isEmpty, !record.name.contains(" "), !record.name.hasSuffix(".") else {
            return "Invalid name."
        }
        guard Self.types.contains(record.type) else { return "Invalid type." }
        guard Self.ttls.contains(record.ttl) else {
            return "Invalid ttl, must be one of \(Self.ttls.map(String.init).joined(separator: ", "))."
        }
        guard !record.content.isEmpty else { return "Invalid content." }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.content):
            return "Invalid IPv4 address."
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.content)) == nil:
            return "Invalid IPv6 address."
        case "MX" where record.prio == nil, "SRV" where record.prio == nil:
            return "Missing prio."
        case "MX" where !Self.priorities.contains(record.prio ?? -1),
            "SRV" where !Self.priorities.contains(record.prio ?? -1):
            return "Invalid prio, must be one of \(Self.priorities.map(String.init).joined(separator: ", "))."
        case "SRV" where record.weight == nil || record.port == nil:
            return "Missing weight or port."
        case "CNAME", "NS", "MX", "SRV", "ANAME", "PTR":
            if record.content.contains(" ") { return "Invalid content." }
        default:
            break
        }
        let sameName = others.filter { $0.name == record.name }.map(\.type)
        if FakeRules.cnameConflict(record.type, with: sameName) { return "CNAME conflicts with other records." }
        return nil
    }

    private static func id(_ value: JSONValue?) -> String? { value?.string ?? value?.int.map(String.init) }

    static func json(_ record: StoredRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .int(Int(record.id) ?? 0)), ("name", .string(record.name)), ("type", .string(record.type)),
            ("content", .string(record.content)), ("ttl", .int(record.ttl)),
        ]
        if let prio = record.prio { fields.append(("prio", .int(prio))) }
        if let weight = record.weight { fields.append(("weight", .int(weight))) }
        if let port = record.port { fields.append(("port", .int(port))) }
        if record.type == "SRV" { fields.append(("target", .string(record.content))) }
        return .object(fields)
    }

    static func result(_ value: JSONValue) -> FakeReply {
        .json(200, .object([("jsonrpc", .string("2.0")), ("result", value)]))
    }

    static func error(_ code: Int, _ message: String) -> FakeReply {
        .json(
            200,
            .object([
                ("jsonrpc", .string("2.0")),
                ("error", .object([("code", .int(code)), ("message", .string(message))])),
            ]))
    }
}
