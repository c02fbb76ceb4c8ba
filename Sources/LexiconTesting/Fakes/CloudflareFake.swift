import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Cloudflare's v4 DNS API on loopback, written from Cloudflare's API documentation: the same
/// paths, auth headers, envelopes (`success`, `errors`, `result`, `result_info`), error codes and pagination, with a
/// page size capped at 4 so every listing pages. It rejects what the real API rejects: missing or wrong
/// credentials, bodies that are not JSON, unknown zones and records, invalid content and TTLs, duplicates.
public final class CloudflareFake: @unchecked Sendable {
    /// One record as Cloudflare stores it.
    public struct StoredRecord: Sendable, Equatable {
        public var id: String
        public var type: String
        public var name: String
        public var content: String
        public var ttl: Int
        public var priority: Int?
    }

    /// The API token it accepts.
    public let token: String
    /// The e-mail and global key it accepts.
    public let email: String
    public let globalKey: String
    /// The zone id of each zone.
    public private(set) var zones: [String: String] = [:]
    private var records: [String: [StoredRecord]] = [:]
    private let lock = NSLock()
    private var server: LoopbackHTTPServer!
    private var nextID = 1
    private var rateLimited = 0
    private var listingHidden = false
    private var pagingIgnored = false

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { server.url + "/client/v4" }
    /// Requests received, for assertions.
    public var requests: [HTTPRequest] { server.requests }

    /// Starts the fake with zones.
    public init(
        zones names: [String], token: String = "cf-token-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    ) throws {
        self.token = token
        email = "owner@example.org"
        globalKey = "cf-global-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        for (index, name) in names.enumerated() {
            let id = String(repeating: "0", count: 31) + String(index + 1, radix: 16)
            zones[name] = id
            records[id] = []
        }
        server = try LoopbackHTTPServer { [unowned self] request in self.handle(request) }
    }

    /// Stops the fake.
    public func stop() { server.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { lock.withLock { records[zones[zone] ?? ""] ?? [] } }

    /// Lists no records while set: as if another client created them between a listing and a create.
    public func hideRecordsFromListings(_ hidden: Bool) { lock.withLock { listingHidden = hidden } }

    /// Makes listings answer the first page whatever page is asked for, as an API (or a proxy) that drops the
    /// paging parameters does.
    public func ignorePaging(_ ignored: Bool = true) { lock.withLock { pagingIgnored = ignored } }

    /// Answers the next `count` requests with 429 and `Retry-After: 1`.
    public func rateLimit(next count: Int) { lock.withLock { rateLimited = count } }

    // MARK: - Handling

    private func handle(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply {
        lock.withLock {
            if rateLimited > 0 {
                rateLimited -= 1
                return .respond(
                    HTTPResponse(
                        status: 429, headers: ["retry-after": "1", "content-type": "application/json"],
                        body: Self.failure([(971, "Please wait and consider throttling your request speed")])))
            }
            if let denied = authenticate(request) { return denied }
            let (path, query) = URLQuery.split(request.path)
            let parts = path.split(separator: "/").map(String.init)
            guard parts.count >= 3, parts[0] == "client", parts[1] == "v4", parts[2] == "zones" else {
                return Self.error(404, 7000, "No route for that URI")
            }
            let rest = Array(parts.dropFirst(3))
            switch (request.method, rest.count) {
            case ("GET", 0): return listZones(query)
            case ("GET", 1): return zone(rest[0])
            case (_, 2) where rest[1] == "dns_records", (_, 3) where rest[1] == "dns_records":
                guard let zoneName = zones.first(where: { $0.value == rest[0] })?.key else {
                    return Self.error(
                        404, 7003,
                        "Could not route to /zones/\(rest[0])/dns_records, perhaps your object identifier is invalid?")
                }
                return dnsRecords(
                    request, zoneID: rest[0], zone: zoneName, recordID: rest.count == 3 ? rest[2] : nil, query: query)
            default:
                return Self.error(405, 10405, "Method not allowed")
            }
        }
    }

    private func authenticate(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply? {
        if let authorization = request.header("authorization") {
            guard authorization.hasPrefix("Bearer ") else {
                return Self.error(
                    400, 6003, "Invalid request headers", chain: (6111, "Invalid format for Authorization header"))
            }
            return authorization == "Bearer \(token)" ? nil : Self.error(403, 9109, "Invalid access token")
        }
        if let key = request.header("x-auth-key") {
            guard let mail = request.header("x-auth-email") else {
                return Self.error(
                    400, 6003, "Invalid request headers", chain: (6102, "Invalid format for X-Auth-Email header"))
            }
            return key == globalKey && mail == email ? nil : Self.error(403, 9103, "Unknown X-Auth-Key or X-Auth-Email")
        }
        return Self.error(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
    }

    private func listZones(_ query: [(String, String)]) -> LoopbackHTTPServer.Reply {
        let name = query.first { $0.0 == "name" }?.1
        let matching = zones.filter { name == nil || $0.key == name }.sorted { $0.key < $1.key }
        let results = matching.map {
            JSONValue.object([("id", .string($0.value)), ("name", .string($0.key)), ("status", .string("active"))])
        }
        return page(results, query)
    }

    private func zone(_ id: String) -> LoopbackHTTPServer.Reply {
        guard let name = zones.first(where: { $0.value == id })?.key else {
            return Self.error(404, 7003, "Could not route to /zones/\(id), perhaps your object identifier is invalid?")
        }
        return Self.success(.object([("id", .string(id)), ("name", .string(name)), ("status", .string("active"))]))
    }

    private func dnsRecords(
        _ request: HTTPRequest, zoneID: String, zone: String, recordID: String?, query: [(String, String)]
    ) -> LoopbackHTTPServer.Reply {
        switch (request.method, recordID) {
        case ("GET", nil):
            let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
            let matching = (listingHidden ? [] : records[zoneID] ?? []).filter { record in
                (filters["type"].map { $0 == record.type } ?? true)
                    && (filters["name"].map { $0.lowercased() == record.name } ?? true)
                    && (filters["content"].map { $0 == record.content } ?? true)
            }
            return page(matching.map(Self.json), query)
        case ("POST", nil), ("PUT", .some), ("PATCH", .some):
            guard request.header("content-type")?.hasPrefix("application/json") == true else {
                return Self.error(
                    400, 6003, "Invalid request headers",
                    chain: (6105, "Invalid Content-Type header, valid values are application/json,multipart/form-data"))
            }
            guard let body = request.body, let json = try? JSONValue(parsing: body), json.object != nil else {
                return Self.error(400, 9207, "Request body is invalid.")
            }
            var existing: StoredRecord?
            if let recordID {
                existing = records[zoneID]?.first { $0.id == recordID }
                guard existing != nil else { return Self.error(404, 81044, "Record does not exist.") }
            }
            let merged = request.method == "PATCH" ? merge(existing!, json) : json
            switch validate(merged, zone: zone, id: recordID ?? nextRecordID(), zoneID: zoneID) {
            case .failure(let reply): return reply
            case .success(let record):
                if let recordID, let index = records[zoneID]?.firstIndex(where: { $0.id == recordID }) {
                    records[zoneID]![index] = record
                } else {
                    records[zoneID, default: []].append(record)
                }
                return Self.success(Self.json(record))
            }
        case ("DELETE", .some(let id)):
            guard let index = records[zoneID]?.firstIndex(where: { $0.id == id }) else {
                return Self.error(404, 81044, "Record does not exist.")
            }
            records[zoneID]!.remove(at: index)
            return Self.success(.object([("id", .string(id))]))
        default:
            return Self.error(405, 10405, "Method not allowed")
        }
    }

    private func nextRecordID() -> String {
        defer { nextID += 1 }
        return String(format: "%032x", nextID)
    }

    private func merge(_ record: StoredRecord, _ json: JSONValue) -> JSONValue {
        var pairs = Self.json(record).object ?? []
        for (key, value) in json.object ?? [] {
            if let index = pairs.firstIndex(where: { $0.0 == key }) {
                pairs[index].1 = value
            } else {
                pairs.append((key, value))
            }
        }
        return .object(pairs)
    }

    private enum Validation {
        case success(StoredRecord)
        case failure(LoopbackHTTPServer.Reply)
    }

    private func validate(_ json: JSONValue, zone: String, id: String, zoneID: String) -> Validation {
        guard let type = json["type"]?.string?.uppercased(),
            ["A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "CAA", "PTR", "LOC"].contains(type)
        else {
            return .failure(Self.error(400, 9004, "DNS record type is invalid"))
        }
        guard var name = json["name"]?.string?.lowercased(), !name.isEmpty else {
            return .failure(Self.error(400, 9007, "DNS record name is required"))
        }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "@" { name = zone }
        if name != zone && !name.hasSuffix("." + zone) { name += "." + zone }
        guard let content = json["content"]?.string, !content.isEmpty else {
            return .failure(Self.error(400, 9005, "Content for \(type) record is invalid."))
        }
        let ttl = json["ttl"]?.int ?? 1
        guard ttl == 1 || (60...86_400).contains(ttl) else {
            return .failure(
                Self.error(400, 9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic"))
        }
        switch type {
        case "A":
            guard (try? RecordContent.normalize(type: .a, content: content)) != nil else {
                return .failure(Self.error(400, 9005, "Content for A record is invalid. Must be a valid IPv4 address"))
            }
        case "AAAA":
            guard (try? RecordContent.normalize(type: .aaaa, content: content)) != nil else {
                return .failure(
                    Self.error(400, 9005, "Content for AAAA record is invalid. Must be a valid IPv6 address"))
            }
        case "TXT":
            guard content.utf8.count <= 2048 * 8 else {
                return .failure(Self.error(400, 9100, "Content for TXT record is too long"))
            }
        default: break
        }
        let priority = json["priority"]?.int
        if type == "MX" && priority == nil {
            return .failure(Self.error(400, 9101, "priority is a required field for MX records"))
        }
        let record = StoredRecord(
            id: id, type: type, name: name, content: content, ttl: ttl, priority: type == "MX" ? priority : nil)
        let others = (records[zoneID] ?? []).filter { $0.id != id && $0.name == name }
        if others.contains(where: { $0.type == type && $0.content == content && $0.priority == record.priority }) {
            return .failure(Self.error(400, 81058, "An identical record already exists."))
        }
        if (type == "CNAME" && !others.isEmpty) || others.contains(where: { $0.type == "CNAME" }) {
            return .failure(Self.error(400, 81053, "An A, AAAA, or CNAME record with that host already exists."))
        }
        return .success(record)
    }

    // MARK: - Envelopes

    private func page(_ results: [JSONValue], _ query: [(String, String)]) -> LoopbackHTTPServer.Reply {
        let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
        let perPage = min(4, max(1, Int(filters["per_page"] ?? "20") ?? 20))
        let page = pagingIgnored ? 1 : max(1, Int(filters["page"] ?? "1") ?? 1)
        let totalPages = max(1, (results.count + perPage - 1) / perPage)
        let slice = Array(results.dropFirst((page - 1) * perPage).prefix(perPage))
        let info = JSONValue.object([
            ("page", .int(page)), ("per_page", .int(perPage)), ("count", .int(slice.count)),
            ("total_count", .int(results.count)), ("total_pages", .int(totalPages)),
        ])
        return .respond(
            HTTPResponse(
                status: 200, headers: ["content-type": "application/json"],
                body: JSONValue.object([
                    ("success", .bool(true)), ("errors", .array([])), ("messages", .array([])),
                    ("result", .array(slice)),
                    ("result_info", info),
                ]).encoded()))
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(record.id)), ("type", .string(record.type)), ("name", .string(record.name)),
            ("content", .string(record.content)), ("proxiable", .bool(false)), ("proxied", .bool(false)),
            ("ttl", .int(record.ttl)), ("locked", .bool(false)),
        ]
        if let priority = record.priority { pairs.append(("priority", .int(priority))) }
        return .object(pairs)
    }

    static func success(_ result: JSONValue) -> LoopbackHTTPServer.Reply {
        .respond(
            HTTPResponse(
                status: 200, headers: ["content-type": "application/json"],
                body: JSONValue.object([
                    ("success", .bool(true)), ("errors", .array([])), ("messages", .array([])), ("result", result),
                ]).encoded()))
    }

    static func failure(_ errors: [(Int, String)], chain: (Int, String)? = nil) -> [UInt8] {
        let list = errors.map { code, message -> JSONValue in
            var pairs: [(String, JSONValue)] = [("code", .int(code)), ("message", .string(message))]
            if let chain {
                pairs.append(
                    ("error_chain", .array([.object([("code", .int(chain.0)), ("message", .string(chain.1))])])))
            }
            return .object(pairs)
        }
        return JSONValue.object([
            ("success", .bool(false)), ("errors", .array(list)), ("messages", .array([])), ("result", .null),
        ]).encoded()
    }

    static func error(_ status: Int, _ code: Int, _ message: String, chain: (Int, String)? = nil)
        -> LoopbackHTTPServer.Reply
    {
        .respond(
            HTTPResponse(
                status: status, headers: ["content-type": "application/json"],
                body: failure([(code, message)], chain: chain)))
    }
}
