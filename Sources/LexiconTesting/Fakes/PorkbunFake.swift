import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Porkbun's v3 JSON API on loopback, written from Porkbun's API documentation: every call a
/// `POST` whose JSON body carries `apikey` and `secretapikey`, `/ping`, `/dns/retrieve|create|edit|delete` by
/// domain and record id, names relative in requests (`""` for the apex) and full in answers, TTLs and priorities
/// answered as strings, a 600-second minimum TTL, `prio` required for MX and SRV, and `{"status": "ERROR",
/// "message"}` bodies with HTTP 400 for wrong keys, unknown domains, domains whose API access is off, unknown ids
/// and invalid records.
public final class PorkbunFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        public var type: String
        /// Relative to the domain; `""` for the apex.
        public var name: String
        public var content: String
        public var ttl: Int
        public var prio: Int
    }

    /// The API key it accepts.
    public let apiKey = "pk1_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// The secret API key it accepts.
    public let secretKey = "sk1_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private let api: FakeAPI<StoredRecord>
    /// Domains of the account whose API access is off.
    private let closed: Set<String>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/api/json/v3" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (Porkbun's listings leave out its own NS and SOA records, so they start empty).
    /// - Parameters:
    ///   - names: The account's domains with API access on.
    ///   - apiAccessOff: The account's domains whose API access is off.
    public init(domains names: [String], apiAccessOff: [String] = []) throws {
        closed = Set(apiAccessOff)
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: (names + apiAccessOff).map { ($0, []) }), firstID: 1000)
        try api.start(
            authorize: { [apiKey, secretKey] request in
                guard request.method == "POST" else { return Self.error("Only POST requests are accepted.") }
                let body = request.jsonObject
                guard body?["apikey"]?.string == apiKey, body?["secretapikey"]?.string == secretKey else {
                    return Self.error("Invalid API key. (002)")
                }
                return nil
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    private static let types = [
        "A", "MX", "CNAME", "ALIAS", "TXT", "NS", "AAAA", "SRV", "TLSA", "CAA", "HTTPS", "SVCB",
    ]

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 4, parts[0] == "api", parts[1] == "json", parts[2] == "v3" else {
            return Self.error("Invalid command.", status: 404)
        }
        if parts.count == 4 && parts[3] == "ping" {
            return .json(200, .object([("status", .string("SUCCESS")), ("yourIp", .string("127.0.0.1"))]))
        }
        guard parts.count >= 6, parts.count <= 7, parts[3] == "dns" else {
            return Self.error("Invalid command.", status: 404)
        }
        let domain = parts[5]
        guard api.records(domain) != nil else { return Self.error("Invalid domain.") }
        guard !closed.contains(domain) else { return Self.error("Domain is not opted in to API access.") }
        let id = parts.count == 7 ? parts[6] : nil
        let existing = id.flatMap { api.record(domain, id: $0) }
        if id != nil && existing == nil { return Self.error("Invalid record ID.") }
        switch (parts[4], id) {
        case ("retrieve", _):
            let records = existing.map { [$0] } ?? api.stored(domain)
            return .json(
                200,
                .object([
                    ("status", .string("SUCCESS")), ("cloudflare", .string("enabled")),
                    ("records", .array(records.map { Self.json($0, domain: domain) })),
                ]))
        case ("create", nil), ("edit", .some):
            return save(domain, request, existing: existing)
        case ("delete", .some(let id)):
            api.remove(domain, id: id)
            return .json(200, .object([("status", .string("SUCCESS"))]))
        default:
            return Self.error("Invalid command.", status: 404)
        }
    }

    private func save(_ domain: String, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.jsonObject, let type = json["type"]?.string, let content = json["content"]?.string
        else { return Self.error("Type and content are required.") }
        let name = (json["name"]?.string ?? "").lowercased()
        let ttl = Self.number(json["ttl"]) ?? 600
        let prio = Self.number(json["prio"])
        if let problem = problem(
            domain, type: type, name: name, content: content, ttl: ttl, prio: prio, id: existing?.id)
        {
            return Self.error(problem)
        }
        let id = existing?.id ?? String(api.nextID())
        api.save(
            StoredRecord(id: id, type: type, name: name, content: content, ttl: ttl, prio: prio ?? 0), in: domain)
        var answer: [(String, JSONValue)] = [("status", .string("SUCCESS"))]
        if existing == nil { answer.append(("id", .int(Int(id)!))) }
        return .json(200, .object(answer))
    }

    /// Why Porkbun refuses a record, or nil.
    private func problem(
        _ domain: String, type: String, name: String, content: String, ttl: Int, prio: Int?, id: String?
    ) -> String? {
        guard Self.types.contains(type) else { return "Invalid type passed." }
        guard name != "@", !name.hasSuffix("."), name.allSatisfy(\.isASCII), !name.contains(" ") else {
            return "Invalid subdomain."
        }
        guard !content.isEmpty else { return "Content is required." }
        guard ttl >= 600 else { return "TTL must be at least 600 seconds." }
        switch type {
        case "A" where FakeRules.notIPv4(content):
            return "Invalid IPv4 address."
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: content)) == nil:
            return "Invalid IPv6 address."
        case "CNAME", "NS", "MX":
            if content.contains(" ") { return "Invalid hostname." }
        case "SRV":
            let fields = content.split(separator: " ")
            guard fields.count == 3, Int(fields[0]) != nil, Int(fields[1]) != nil else {
                return "SRV content must be WEIGHT PORT TARGET."
            }
        default:
            break
        }
        if (type == "MX" || type == "SRV") && prio == nil { return "A priority is required for MX and SRV records." }
        let others = api.stored(domain).filter { $0.id != id && $0.name == name }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "A CNAME record cannot share its name with other records."
        }
        return nil
    }

    /// A number sent as a JSON number or a string of digits.
    private static func number(_ value: JSONValue?) -> Int? {
        value?.int ?? value?.string.flatMap { Int($0) }
    }

    static func json(_ record: StoredRecord, domain: String) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("name", .string(record.name.isEmpty ? domain : record.name + "." + domain)),
            ("type", .string(record.type)), ("content", .string(record.content)), ("ttl", .string(String(record.ttl))),
            ("prio", record.type == "MX" || record.type == "SRV" ? .string(String(record.prio)) : .null),
            ("notes", .string("")),
        ])
    }

    static func error(_ message: String, status: Int = 400) -> FakeReply {
        .json(status, .object([("status", .string("ERROR")), ("message", .string(message))]))
    }
}
