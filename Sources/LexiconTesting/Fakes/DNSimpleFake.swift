import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of DNSimple's v2 API on loopback, written from DNSimple's API reference: Bearer tokens (an
/// account token, whose `/whoami` names the account, or a user token, which needs `/accounts`) and basic auth with
/// `X-Dnsimple-OTP`; zones under `/{account}/zones/{zone}`; `data` with `pagination` (three records a page); SRV
/// content without the priority; `{"message", "errors"}` bodies for failed auth, unknown zones and invalid records.
public final class DNSimpleFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable {
        public var id: Int
        public var type: String
        public var name: String
        public var content: String
        public var ttl: Int
        public var priority: Int?
        public var system: Bool
    }

    /// The account token (its `/whoami` names the account).
    public let accountToken = "dnsimple-account-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    /// A user token (its `/whoami` has no account; `/accounts` lists two).
    public let userToken = "dnsimple-user-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    /// Basic-auth credentials; the OTP is required.
    public let user = "owner@example.org"
    public let password = "pw-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    public let otp = "123456"
    /// The account that holds the zones (a second, empty account exists too).
    public let account = 1385
    private var zones: [String: [StoredRecord]] = [:]
    private var nextID = 60_000
    private let lock = NSLock()
    private var server: LoopbackHTTPServer!

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { server.url + "/v2" }
    /// Requests received.
    public var requests: [HTTPRequest] { server.requests }

    /// Starts the fake with zones, each with its SOA and NS system records.
    public init(zones names: [String]) throws {
        for name in names {
            zones[name] = [
                StoredRecord(
                    id: nextID, type: "SOA", name: "",
                    content: "ns1.dnsimple.com admin.dnsimple.com 1 86400 7200 604800 300", ttl: 3600, priority: nil,
                    system: true),
                StoredRecord(
                    id: nextID + 1, type: "NS", name: "", content: "ns1.dnsimple.com", ttl: 3600, priority: nil,
                    system: true),
            ]
            nextID += 2
        }
        server = try LoopbackHTTPServer { [unowned self] request in lock.withLock { self.handle(request) } }
    }

    /// Stops the fake.
    public func stop() { server.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { lock.withLock { zones[zone] ?? [] } }

    private enum Identity { case account, user }

    private func identify(_ request: HTTPRequest) -> Identity? {
        switch request.header("authorization") {
        case "Bearer \(accountToken)": return .account
        case "Bearer \(userToken)": return .user
        case "Basic " + Base64.encode(Array("\(user):\(password)".utf8)):
            return request.header("x-dnsimple-otp") == otp ? .user : nil
        default: return nil
        }
    }

    private func handle(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply {
        guard let identity = identify(request) else {
            return Self.reply(401, .object([("message", .string("Authentication failed"))]))
        }
        let (path, query) = URLQuery.split(request.path)
        let parts = path.split(separator: "/").map(String.init)
        guard parts.first == "v2" else { return Self.notFound("Route") }
        if parts == ["v2", "whoami"] {
            let accountJSON: JSONValue =
                identity == .account ? .object([("id", .int(account)), ("email", .string(user))]) : .null
            let userJSON: JSONValue = identity == .user ? .object([("id", .int(7)), ("email", .string(user))]) : .null
            return Self.reply(200, .object([("data", .object([("user", userJSON), ("account", accountJSON)]))]))
        }
        if parts == ["v2", "accounts"] {
            let list: [JSONValue] = (identity == .user ? [9, account] : [account]).map { .object([("id", .int($0))]) }
            return Self.reply(200, .object([("data", .array(list))]))
        }
        guard parts.count >= 4, parts[2] == "zones", let accountID = Int(parts[1]) else {
            return Self.notFound("Route")
        }
        guard accountID == account, zones[parts[3]] != nil else { return Self.notFound("Zone `\(parts[3])`") }
        let zone = parts[3]
        switch (request.method, parts.count) {
        case ("GET", 4):
            return Self.reply(200, .object([("data", .object([("id", .int(1)), ("name", .string(zone))]))]))
        case ("GET", 5) where parts[4] == "records":
            let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
            let matching = (zones[zone] ?? []).filter { record in
                (filters["type"].map { $0 == record.type } ?? true)
                    && (filters["name"].map { $0 == record.name } ?? true)
            }
            let size = 3
            let page = max(1, Int(filters["page"] ?? "1") ?? 1)
            let pages = max(1, (matching.count + size - 1) / size)
            let slice = matching.dropFirst((page - 1) * size).prefix(size)
            return Self.reply(
                200,
                .object([
                    ("data", .array(slice.map(Self.json))),
                    (
                        "pagination",
                        .object([
                            ("current_page", .int(page)), ("per_page", .int(size)),
                            ("total_entries", .int(matching.count)), ("total_pages", .int(pages)),
                        ])
                    ),
                ]))
        case ("POST", 5) where parts[4] == "records", ("PATCH", 6) where parts[4] == "records":
            guard request.header("content-type")?.hasPrefix("application/json") == true, let body = request.body,
                let json = try? JSONValue(parsing: body), json.object != nil
            else { return Self.reply(400, .object([("message", .string("Invalid JSON"))])) }
            let id = parts.count == 6 ? Int(parts[5]) : nil
            var existing: StoredRecord?
            if parts.count == 6 {
                existing = zones[zone]?.first { $0.id == id }
                guard existing != nil else { return Self.notFound("Record `\(parts[5])`") }
                if json["type"] != nil { return invalid(["type": "cannot be changed"]) }
            }
            return save(zone, json, existing: existing)
        case ("DELETE", 6) where parts[4] == "records":
            guard let id = Int(parts[5]), let index = zones[zone]?.firstIndex(where: { $0.id == id }) else {
                return Self.notFound("Record `\(parts[5])`")
            }
            if zones[zone]![index].system { return invalid(["record": "system records cannot be deleted"]) }
            zones[zone]!.remove(at: index)
            return .respond(HTTPResponse(status: 204))
        default:
            return Self.reply(405, .object([("message", .string("Method not allowed"))]))
        }
    }

    private func save(_ zone: String, _ json: JSONValue, existing: StoredRecord?) -> LoopbackHTTPServer.Reply {
        let type = existing?.type ?? json["type"]?.string ?? ""
        guard
            ["A", "AAAA", "ALIAS", "CAA", "CNAME", "MX", "NS", "PTR", "SRV", "TXT", "SPF", "SSHFP", "NAPTR", "URL"]
                .contains(type)
        else { return invalid(["type": "is not a supported record type"]) }
        let name = json["name"]?.string ?? existing?.name ?? ""
        if name.hasSuffix(".") || name.hasSuffix(zone) { return invalid(["name": "must be relative to the zone"]) }
        guard let content = json["content"]?.string ?? existing?.content, !content.isEmpty else {
            return invalid(["content": "can't be blank"])
        }
        if type == "A", (try? RecordContent.normalize(type: .a, content: content)) == nil {
            return invalid(["content": "is not a valid IPv4 address"])
        }
        if type == "SRV" && content.split(separator: " ").count != 3 {
            return invalid(["content": "must be weight port target"])
        }
        let ttl = json["ttl"]?.int ?? existing?.ttl ?? 3600
        let others = (zones[zone] ?? []).filter { $0.id != existing?.id && $0.name == name.lowercased() }
        if (type == "CNAME" && !others.isEmpty) || others.contains(where: { $0.type == "CNAME" }) {
            return invalid(["name": "a CNAME record cannot coexist with other records"])
        }
        let record = StoredRecord(
            id: existing?.id
                ?? {
                    nextID += 1; return nextID
                }(), type: type, name: name.lowercased(), content: content,
            ttl: ttl,
            priority: (type == "MX" || type == "SRV") ? (json["priority"]?.int ?? existing?.priority ?? 0) : nil,
            system: false)
        if let existing, let index = zones[zone]?.firstIndex(where: { $0.id == existing.id }) {
            zones[zone]![index] = record
            return Self.reply(200, .object([("data", Self.json(record))]))
        }
        zones[zone, default: []].append(record)
        return Self.reply(201, .object([("data", Self.json(record))]))
    }

    private func invalid(_ errors: [String: String]) -> LoopbackHTTPServer.Reply {
        Self.reply(
            400,
            .object([
                ("message", .string("Validation failed")),
                ("errors", .object(errors.sorted { $0.key < $1.key }.map { ($0.key, .array([.string($0.value)])) })),
            ]))
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("id", .int(record.id)), ("type", .string(record.type)), ("name", .string(record.name)),
            ("content", .string(record.content)), ("ttl", .int(record.ttl)),
            ("priority", record.priority.map { .int($0) } ?? .null), ("system_record", .bool(record.system)),
        ])
    }

    static func notFound(_ what: String) -> LoopbackHTTPServer.Reply {
        reply(404, .object([("message", .string("\(what) not found"))]))
    }

    static func reply(_ status: Int, _ json: JSONValue) -> LoopbackHTTPServer.Reply {
        .respond(HTTPResponse(status: status, headers: ["content-type": "application/json"], body: json.encoded()))
    }
}
