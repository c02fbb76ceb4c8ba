import Lexicon
import LexiconHTTP

/// A stateful fake of DNSimple's v2 API on loopback, written from DNSimple's API reference: Bearer tokens (an
/// account token, whose `/whoami` names the account, or a user token, which needs `/accounts`) and basic auth with
/// `X-Dnsimple-OTP`; zones under `/{account}/zones/{zone}`; `data` with `pagination` (three records a page); SRV
/// content without the priority; `{"message", "errors"}` bodies for failed auth, unknown zones and invalid records.
public final class DNSimpleFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
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
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v2" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with zones, each with its SOA and NS system records.
    public init(zones names: [String]) throws {
        api = FakeAPI(firstID: 60_000)
        for name in names {
            let soa = "ns1.dnsimple.com admin.dnsimple.com 1 86400 7200 604800 300"
            api.edit(name) { records in
                records = [
                    StoredRecord(id: api.nextID(), type: "SOA", name: "", content: soa, ttl: 3600, system: true),
                    StoredRecord(
                        id: api.nextID(), type: "NS", name: "", content: "ns1.dnsimple.com", ttl: 3600, system: true),
                ]
            }
        }
        try api.start(route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    private enum Identity { case account, user }

    private func identify(_ request: FakeRequest) -> Identity? {
        switch request.header("authorization") {
        case "Bearer \(accountToken)": return .account
        case "Bearer \(userToken)": return .user
        case "Basic " + Base64.encode(Array("\(user):\(password)".utf8)):
            return request.header("x-dnsimple-otp") == otp ? .user : nil
        default: return nil
        }
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        guard let identity = identify(request) else { return Self.message(401, "Authentication failed") }
        let parts = request.parts
        guard parts.first == "v2" else { return Self.notFound("Route") }
        if parts == ["v2", "whoami"] {
            let accountJSON: JSONValue =
                identity == .account ? .object([("id", .int(account)), ("email", .string(user))]) : .null
            let userJSON: JSONValue = identity == .user ? .object([("id", .int(7)), ("email", .string(user))]) : .null
            return .json(200, .object([("data", .object([("user", userJSON), ("account", accountJSON)]))]))
        }
        if parts == ["v2", "accounts"] {
            let list: [JSONValue] = (identity == .user ? [9, account] : [account]).map { .object([("id", .int($0))]) }
            return .json(200, .object([("data", .array(list))]))
        }
        guard parts.count >= 4, parts[2] == "zones", let accountID = Int(parts[1]) else {
            return Self.notFound("Route")
        }
        guard accountID == account, let records = api.records(parts[3]) else {
            return Self.notFound("Zone `\(parts[3])`")
        }
        let zone = parts[3]
        let id = parts.count == 6 ? Int(parts[5]) ?? -1 : nil
        switch (request.method, parts.count) {
        case ("GET", 4):
            return .json(200, .object([("data", .object([("id", .int(1)), ("name", .string(zone))]))]))
        case ("GET", 5) where parts[4] == "records":
            let filters = request.parameters
            let matching = records.filter { record in
                (filters["type"].map { $0 == record.type } ?? true)
                    && (filters["name"].map { $0 == record.name } ?? true)
            }
            let page = api.page(matching, number: request.int("page"), size: 3)
            let pagination = JSONValue.object([
                ("current_page", .int(page.number)), ("per_page", .int(page.size)),
                ("total_entries", .int(page.total)), ("total_pages", .int(page.pages)),
            ])
            return .json(200, .object([("data", .array(page.items.map(Self.json))), ("pagination", pagination)]))
        case ("POST", 5) where parts[4] == "records", ("PATCH", 6) where parts[4] == "records":
            guard let json = request.jsonObject else { return Self.message(400, "Invalid JSON") }
            var existing: StoredRecord?
            if let id {
                existing = api.record(zone, id: id)
                guard existing != nil else { return Self.notFound("Record `\(parts[5])`") }
                if json["type"] != nil { return Self.invalid(["type": "cannot be changed"]) }
            }
            return save(zone, json, existing: existing)
        case ("DELETE", 6) where parts[4] == "records":
            guard let record = api.record(zone, id: id ?? -1) else { return Self.notFound("Record `\(parts[5])`") }
            if record.system { return Self.invalid(["record": "system records cannot be deleted"]) }
            api.remove(zone, id: record.id)
            return .empty()
        default:
            return Self.message(405, "Method not allowed")
        }
    }

    private func save(_ zone: String, _ json: JSONValue, existing: StoredRecord?) -> FakeReply {
        let type = existing?.type ?? json["type"]?.string ?? ""
        guard
            ["A", "AAAA", "ALIAS", "CAA", "CNAME", "MX", "NS", "PTR", "SRV", "TXT", "SPF", "SSHFP", "NAPTR", "URL"]
                .contains(type)
        else { return Self.invalid(["type": "is not a supported record type"]) }
        let name = json["name"]?.string ?? existing?.name ?? ""
        if name.hasSuffix(".") || name.hasSuffix(zone) { return Self.invalid(["name": "must be relative to the zone"]) }
        guard let content = json["content"]?.string ?? existing?.content, !content.isEmpty else {
            return Self.invalid(["content": "can't be blank"])
        }
        if type == "A", FakeRules.notIPv4(content) { return Self.invalid(["content": "is not a valid IPv4 address"]) }
        if type == "SRV" && content.split(separator: " ").count != 3 {
            return Self.invalid(["content": "must be weight port target"])
        }
        let ttl = json["ttl"]?.int ?? existing?.ttl ?? 3600
        let others = api.stored(zone).filter { $0.id != existing?.id && $0.name == name.lowercased() }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return Self.invalid(["name": "a CNAME record cannot coexist with other records"])
        }
        let record = StoredRecord(
            id: existing?.id ?? api.nextID(), type: type, name: name.lowercased(), content: content, ttl: ttl,
            priority: (type == "MX" || type == "SRV") ? (json["priority"]?.int ?? existing?.priority ?? 0) : nil,
            system: false)
        let replaced = api.save(record, in: zone)
        return .json(replaced ? 200 : 201, .object([("data", Self.json(record))]))
    }

    private static func invalid(_ errors: [String: String]) -> FakeReply {
        .json(
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

    static func notFound(_ what: String) -> FakeReply { message(404, "\(what) not found") }

    static func message(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("message", .string(message))]))
    }
}
