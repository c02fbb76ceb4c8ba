import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Exoscale's API v2 DNS calls on loopback, written from Exoscale's OpenAPI description and the
/// request signature its SDKs make: every request signed with EXO2-HMAC-SHA256 (wrong key, wrong signature, wrong
/// `signed-query-args` or a passed `expires` refused with 403), `dns-domain` listings by uuid, records with names
/// relative to the domain (`""` for the apex) and the system SOA and NS records, and writes that answer an
/// asynchronous operation which is `pending` at its first poll and applies the change (or fails it, on a CNAME
/// conflict) at the next; invalid records are refused with 400 and Exoscale's `{"message"}` body.
public final class ExoscaleFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        public var type: String
        public var name: String
        public var content: String
        public var priority: Int
        public var ttl: Int
        public var system: Bool
    }

    private struct Operation {
        var polls = 0
        var state = "pending"
        var message: String?
        var reference: String
        var apply: () -> String?
    }

    /// The API key it accepts.
    public let key = "EXO" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// The secret of the key.
    public let secret = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private var domains: [(id: String, name: String)] = []
    private var operations: [String: Operation] = [:]
    private let api = FakeAPI<StoredRecord>()

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v2" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (each with Exoscale's SOA and NS records) and one other domain.
    public init(domains names: [String]) throws {
        for name in ["other-account.example"] + names {
            let id = UUID().uuidString.lowercased()
            domains.append((id, name))
            let ns = ["ns1.exoscale.ch", "ns1.exoscale.com", "ns1.exoscale.io", "ns1.exoscale.net"]
            api.edit(id) {
                $0 =
                    [
                        StoredRecord(
                            id: UUID().uuidString.lowercased(), type: "SOA", name: "",
                            content: "ns1.exoscale.ch admin.dnsimple.com 1 86400 7200 604800 300", priority: 0,
                            ttl: 3600,
                            system: true)
                    ]
                    + ns.map {
                        StoredRecord(
                            id: UUID().uuidString.lowercased(), type: "NS", name: "", content: $0, priority: 0,
                            ttl: 3600, system: true)
                    }
            }
        }
        try api.start(authorize: { [unowned self] in verify($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] {
        api.locked { domains.first { $0.name == domain }.map { api.stored($0.id) } ?? [] }
    }

    /// The signature check: `credential`, `expires` in the future, `signed-query-args` naming the query's
    /// single-valued parameters, and the HMAC of the request under the key's secret.
    private func verify(_ request: FakeRequest) -> FakeReply? {
        guard let header = request.header("authorization"), header.hasPrefix("EXO2-HMAC-SHA256 ") else {
            return Self.error(401, "Missing or unsupported Authorization header")
        }
        var fields: [String: String] = [:]
        for part in header.dropFirst("EXO2-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard fields["credential"] == key else { return Self.error(403, "Invalid API key") }
        guard let expires = fields["expires"].flatMap({ Int($0) }), expires > Int(Date().timeIntervalSince1970)
        else { return Self.error(403, "Request expired") }
        let (path, query) = URLQuery.split(request.http.path)
        let (names, message) = ExoscaleSignature.message(
            method: request.method, path: path, query: query, body: request.http.body ?? [], expires: expires)
        let expected = Base64.encode(Digest.hmac(.sha256, key: Array(secret.utf8), message))
        guard (fields["signed-query-args"] ?? "") == names.joined(separator: ";"), fields["signature"] == expected
        else { return Self.error(403, "Invalid request signature") }
        return nil
    }

    private static let types = [
        "A", "AAAA", "ALIAS", "CAA", "CNAME", "HINFO", "MX", "NAPTR", "NS", "POOL", "SPF",
        "SRV", "SSHFP", "TXT", "URL",
    ]

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.first == "v2", parts.count >= 2 else { return Self.error(404, "Not found") }
        if parts[1] == "operation", parts.count == 3, request.method == "GET" { return poll(parts[2]) }
        guard parts[1] == "dns-domain" else { return Self.error(404, "Not found") }
        if parts.count == 2 {
            guard request.method == "GET" else { return Self.error(405, "Method not allowed") }
            return .json(200, .object([("dns-domains", .array(domains.map(Self.json(domain:))))]))
        }
        guard let domain = domains.first(where: { $0.id == parts[2] }) else {
            return Self.error(404, "DNS domain not found")
        }
        if parts.count == 3 && request.method == "GET" { return .json(200, Self.json(domain: domain)) }
        guard parts.count <= 5, parts.count >= 4, parts[3] == "record" else { return Self.error(404, "Not found") }
        let existing = parts.count == 5 ? api.record(domain.id, id: parts[4]) : nil
        if parts.count == 5 && existing == nil { return Self.error(404, "DNS domain record not found") }
        switch (request.method, parts.count) {
        case ("GET", 4):
            return .json(200, .object([("dns-domain-records", .array(api.stored(domain.id).map(Self.json)))]))
        case ("GET", 5):
            return .json(200, Self.json(existing!))
        case ("POST", 4), ("PUT", 5):
            return save(domain.id, request, existing: existing)
        case ("DELETE", 5):
            if existing!.system { return Self.error(400, "System records cannot be deleted") }
            return start(reference: existing!.id) { [api] in
                api.remove(domain.id, id: existing!.id)
                return nil
            }
        default:
            return Self.error(405, "Method not allowed")
        }
    }

    /// An operation answered `pending`, its change made at a later poll.
    private func start(reference: String, apply: @escaping () -> String?) -> FakeReply {
        let id = UUID().uuidString.lowercased()
        operations[id] = Operation(reference: reference, apply: apply)
        return .json(200, json(operation: id))
    }

    private func poll(_ id: String) -> FakeReply {
        guard var operation = operations[id] else { return Self.error(404, "Operation not found") }
        operation.polls += 1
        if operation.polls >= 2 && operation.state == "pending" {
            operation.message = operation.apply()
            operation.state = operation.message == nil ? "success" : "failure"
        }
        operations[id] = operation
        return .json(200, json(operation: id, operation))
    }

    private func json(operation id: String, _ operation: Operation? = nil) -> JSONValue {
        let operation = operation ?? operations[id]!
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("state", .string(operation.state)),
            ("reference", .object([("id", .string(operation.reference))])),
        ]
        if let message = operation.message {
            pairs += [("reason", .string("conflict")), ("message", .string(message))]
        }
        return .object(pairs)
    }

    private func save(_ domain: String, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.jsonObject else { return Self.error(400, "Invalid JSON body") }
        if existing != nil && json["type"] != nil { return Self.error(400, "type: unknown field") }
        if existing?.system == true { return Self.error(400, "System records cannot be updated") }
        let type = existing?.type ?? json["type"]?.string ?? ""
        guard let name = (json["name"]?.string ?? existing?.name)?.lowercased(),
            let content = json["content"]?.string ?? existing?.content
        else { return Self.error(400, "name and content are required") }
        let priority = json["priority"]?.int ?? existing?.priority
        let ttl = json["ttl"]?.int ?? existing?.ttl ?? 3600
        if let problem = problem(type: type, name: name, content: content, priority: priority, ttl: ttl) {
            return Self.error(400, problem)
        }
        let record = StoredRecord(
            id: existing?.id ?? UUID().uuidString.lowercased(), type: type, name: name, content: content,
            priority: priority ?? 0, ttl: ttl, system: false)
        return start(reference: record.id) { [api] in
            let others = api.stored(domain).filter { $0.id != record.id && $0.name == record.name }
            if FakeRules.cnameConflict(record.type, with: others.map(\.type)) {
                return "A CNAME record cannot coexist with other records"
            }
            api.save(record, in: domain)
            return nil
        }
    }

    /// Why Exoscale refuses a record, or nil.
    private func problem(type: String, name: String, content: String, priority: Int?, ttl: Int) -> String? {
        guard Self.types.contains(type) else { return "type: invalid value" }
        guard name != "@", !name.hasSuffix("."), name.allSatisfy(\.isASCII), !name.contains(" ") else {
            return "name: invalid record name"
        }
        guard !content.isEmpty else { return "content: must not be empty" }
        guard ttl >= 0 else { return "ttl: must be a positive integer" }
        switch type {
        case "A" where FakeRules.notIPv4(content):
            return "content: invalid IPv4 address"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: content)) == nil:
            return "content: invalid IPv6 address"
        case "CNAME", "NS", "MX":
            if content.hasSuffix(".") || content.contains(" ") { return "content: invalid hostname" }
        case "SRV":
            let fields = content.split(separator: " ")
            guard fields.count == 3, Int(fields[0]) != nil, Int(fields[1]) != nil, !fields[2].hasSuffix(".") else {
                return "content: SRV content must be WEIGHT PORT TARGET"
            }
        default:
            break
        }
        if (type == "MX" || type == "SRV") && priority == nil { return "priority: required for MX and SRV records" }
        return nil
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("type", .string(record.type)), ("name", .string(record.name)),
            ("content", .string(record.content)), ("priority", .int(record.priority)), ("ttl", .int(record.ttl)),
            ("system-record", .bool(record.system)), ("created-at", .string("2024-01-01T00:00:00Z")),
        ])
    }

    static func json(domain: (id: String, name: String)) -> JSONValue {
        .object([
            ("id", .string(domain.id)), ("unicode-name", .string(domain.name)),
            ("created-at", .string("2024-01-01T00:00:00Z")),
        ])
    }

    static func error(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("message", .string(message))]))
    }
}
