import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Cloudflare's v4 DNS API on loopback, written from Cloudflare's API documentation: the same
/// paths, auth headers, envelopes (`success`, `errors`, `result`, `result_info`), error codes and pagination, with a
/// page size capped at 4 so every listing pages. It rejects what the real API rejects: missing or wrong
/// credentials, bodies that are not JSON, unknown zones and records, invalid content and TTLs, duplicates. Batches
/// (`POST …/dns_records/batch`) are applied all or none.
public final class CloudflareFake: @unchecked Sendable {
    /// One record as Cloudflare stores it.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
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
    private let api = FakeAPI<StoredRecord>()
    private var rateLimited = 0
    private var listingHidden = false
    /// The records a batch request may hold (the Free plan's 200 by default).
    public var batchLimit = 200

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/client/v4" }
    /// Requests received, for assertions.
    public var requests: [HTTPRequest] { api.requests }

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
            api.edit(name) { _ in }
        }
        try api.start(authorize: { [unowned self] in gate($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// Lists no records while set: as if another client created them between a listing and a create.
    public func hideRecordsFromListings(_ hidden: Bool) { api.locked { listingHidden = hidden } }

    /// Makes listings answer the first page whatever page is asked for, as an API (or a proxy) that drops the
    /// paging parameters does.
    public func ignorePaging(_ ignored: Bool = true) { api.ignorePaging(ignored) }

    /// Answers the next `count` requests with 429 and `Retry-After: 1`.
    public func rateLimit(next count: Int) { api.locked { rateLimited = count } }

    // MARK: - Handling

    /// Rate limits, then credentials.
    private func gate(_ request: FakeRequest) -> FakeReply? {
        if rateLimited > 0 {
            rateLimited -= 1
            return .respond(
                HTTPResponse(
                    status: 429, headers: ["retry-after": "1", "content-type": "application/json"],
                    body: Self.failure([(971, "Please wait and consider throttling your request speed")])))
        }
        return authenticate(request)
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts[0] == "client", parts[1] == "v4", parts[2] == "zones" else {
            return Self.error(404, 7000, "No route for that URI")
        }
        let rest = Array(parts.dropFirst(3))
        switch (request.method, rest.count) {
        case ("GET", 0): return listZones(request)
        case ("GET", 1): return zone(rest[0])
        case ("POST", 3) where rest[1] == "dns_records" && rest[2] == "batch":
            guard let zoneName = zones.first(where: { $0.value == rest[0] })?.key else {
                return Self.error(
                    404, 7003,
                    "Could not route to /zones/\(rest[0])/dns_records/batch, perhaps your object identifier is invalid?"
                )
            }
            return batch(request, zone: zoneName)
        case (_, 2) where rest[1] == "dns_records", (_, 3) where rest[1] == "dns_records":
            guard let zoneName = zones.first(where: { $0.value == rest[0] })?.key else {
                return Self.error(
                    404, 7003,
                    "Could not route to /zones/\(rest[0])/dns_records, perhaps your object identifier is invalid?")
            }
            return dnsRecords(request, zone: zoneName, recordID: rest.count == 3 ? rest[2] : nil)
        default:
            return Self.error(405, 10405, "Method not allowed")
        }
    }

    private func authenticate(_ request: FakeRequest) -> FakeReply? {
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

    private func listZones(_ request: FakeRequest) -> FakeReply {
        let name = request.query.first { $0.0 == "name" }?.1
        let matching = zones.filter { name == nil || $0.key == name }.sorted { $0.key < $1.key }
        let results = matching.map {
            JSONValue.object([("id", .string($0.value)), ("name", .string($0.key)), ("status", .string("active"))])
        }
        return page(results, request)
    }

    private func zone(_ id: String) -> FakeReply {
        guard let name = zones.first(where: { $0.value == id })?.key else {
            return Self.error(404, 7003, "Could not route to /zones/\(id), perhaps your object identifier is invalid?")
        }
        return Self.success(.object([("id", .string(id)), ("name", .string(name)), ("status", .string("active"))]))
    }

    private func dnsRecords(_ request: FakeRequest, zone: String, recordID: String?) -> FakeReply {
        switch (request.method, recordID) {
        case ("GET", nil):
            let filters = request.parameters
            let matching = (listingHidden ? [] : api.stored(zone)).filter { record in
                (filters["type"].map { $0 == record.type } ?? true)
                    && (filters["name"].map { $0.lowercased() == record.name } ?? true)
                    && (filters["content"].map { $0 == record.content } ?? true)
            }
            return page(matching.map(Self.json), request)
        case ("POST", nil), ("PUT", .some), ("PATCH", .some):
            guard request.header("content-type")?.hasPrefix("application/json") == true else {
                return Self.error(
                    400, 6003, "Invalid request headers",
                    chain: (6105, "Invalid Content-Type header, valid values are application/json,multipart/form-data"))
            }
            guard let json = request.jsonObject else { return Self.error(400, 9207, "Request body is invalid.") }
            var existing: StoredRecord?
            if let recordID {
                existing = api.record(zone, id: recordID)
                guard existing != nil else { return Self.error(404, 81044, "Record does not exist.") }
            }
            let merged = request.method == "PATCH" ? merge(existing!, json) : json
            switch validate(merged, zone: zone, id: recordID ?? String(format: "%032x", api.nextID())) {
            case .failure(let reply): return reply
            case .success(let record):
                api.save(record, in: zone)
                return Self.success(Self.json(record))
            }
        case ("DELETE", .some(let id)):
            guard api.remove(zone, id: id) != nil else { return Self.error(404, 81044, "Record does not exist.") }
            return Self.success(.object([("id", .string(id))]))
        default:
            return Self.error(405, 10405, "Method not allowed")
        }
    }

    /// `POST …/dns_records/batch`: deletes, patches, puts and posts, in that order, all or none (Cloudflare runs
    /// them in one database transaction); the first refusal is the answer and nothing is kept. At most
    /// ``batchLimit`` records a request.
    private func batch(_ request: FakeRequest, zone: String) -> FakeReply {
        guard let json = request.jsonObject else { return Self.error(400, 9207, "Request body is invalid.") }
        let kinds = ["deletes", "patches", "puts", "posts"]
        let count = kinds.reduce(0) { $0 + (json[$1]?.array?.count ?? 0) }
        guard count <= batchLimit else {
            return Self.error(400, 81_000, "The batch exceeds the limit of \(batchLimit) records for this zone's plan.")
        }
        var records = api.stored(zone)
        var results: [(String, JSONValue)] = []
        for kind in kinds {
            var done: [JSONValue] = []
            for item in json[kind]?.array ?? [] {
                let index = item["id"]?.string.flatMap { id in records.firstIndex { $0.id == id } }
                guard kind == "posts" || index != nil else { return Self.error(404, 81044, "Record does not exist.") }
                if kind == "deletes", let index {
                    done.append(.object([("id", .string(records.remove(at: index).id))]))
                    continue
                }
                let merged = kind == "patches" ? merge(records[index!], item) : item
                let id = index.map { records[$0].id } ?? String(format: "%032x", api.nextID())
                switch validate(merged, zone: zone, id: id, among: records) {
                case .failure(let reply): return reply
                case .success(let record):
                    if let index { records[index] = record } else { records.append(record) }
                    done.append(Self.json(record))
                }
            }
            results.append((kind, .array(done)))
        }
        api.edit(zone) { $0 = records }
        return Self.success(.object(results))
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
        case failure(FakeReply)
    }

    private func validate(_ json: JSONValue, zone: String, id: String, among records: [StoredRecord]? = nil)
        -> Validation
    {
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
            guard !FakeRules.notIPv4(content) else {
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
        let others = (records ?? api.stored(zone)).filter { $0.id != id && $0.name == name }
        if others.contains(where: { $0.type == type && $0.content == content && $0.priority == record.priority }) {
            return .failure(Self.error(400, 81058, "An identical record already exists."))
        }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return .failure(Self.error(400, 81053, "An A, AAAA, or CNAME record with that host already exists."))
        }
        return .success(record)
    }

    // MARK: - Envelopes

    private func page(_ results: [JSONValue], _ request: FakeRequest) -> FakeReply {
        let page = api.page(results, number: request.int("page"), size: min(4, request.int("per_page") ?? 20))
        let info = JSONValue.object([
            ("page", .int(page.number)), ("per_page", .int(page.size)), ("count", .int(page.items.count)),
            ("total_count", .int(page.total)), ("total_pages", .int(page.pages)),
        ])
        return .json(
            200,
            .object([
                ("success", .bool(true)), ("errors", .array([])), ("messages", .array([])),
                ("result", .array(page.items)), ("result_info", info),
            ]))
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

    static func success(_ result: JSONValue) -> FakeReply {
        .json(
            200,
            .object([("success", .bool(true)), ("errors", .array([])), ("messages", .array([])), ("result", result)]))
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

    static func error(_ status: Int, _ code: Int, _ message: String, chain: (Int, String)? = nil) -> FakeReply {
        .respond(
            HTTPResponse(
                status: status, headers: ["content-type": "application/json"],
                body: failure([(code, message)], chain: chain)))
    }
}
