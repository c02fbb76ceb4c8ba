import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Mythic Beasts' Primary DNS API v2 and its auth service on loopback, written from Mythic
/// Beasts' documentation (`https://www.mythic-beasts.com/support/api/dnsv2` and its tutorial): `POST /login` with
/// the key id and secret as HTTP Basic and `grant_type=client_credentials` handing out bearer tokens (which can be
/// expired with ``expireTokens()``); the DNS API taking a bearer token or the key as Basic; `GET /dns/v2/zones`;
/// records selected by `/zones/{zone}/records[/{host}[/{type}]]` plus `host`, `type` and `data` query filters;
/// `POST` adding, `PUT` replacing the selected records and `DELETE` removing them, answering
/// `records_added`/`records_removed` and a `message` (CAA as `caa_flags`, `caa_property` and the value in `data`); `{"error"}` for auth and unknown zones and `{"errors": […]}`
/// (400) for refused records, duplicates and CNAME conflicts.
public final class MythicBeastsFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable {
        /// Relative to the zone; `@` for the apex.
        public var host: String
        public var type: String
        public var data: String
        public var ttl: Int
        /// `mx_priority`, `srv_priority`, `srv_weight`, `srv_port`, `caa_flags` as given.
        public var numbers: [String: Int]
        public var caaProperty: String?
    }

    /// The API key id it accepts.
    public let keyID = "key" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    /// The API key secret it accepts.
    public let secret = "sec" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private let api: FakeAPI<StoredRecord>
    private var tokens: Set<String> = []
    private var logins = 0

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/dns/v2" }
    /// The URL to give as `token_endpoint`.
    public var tokenEndpoint: String { api.url + "/login" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }
    /// How many tokens were handed out.
    public var loginCount: Int { api.locked { logins } }

    /// Starts the fake with zones (empty).
    public init(zones names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }))
        try api.start(route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// Makes every token handed out so far invalid, as after its lifetime.
    public func expireTokens() { api.locked { tokens.removeAll() } }

    /// A token the DNS API accepts, as a user might copy one into `--auth-token`.
    public func issueToken() -> String {
        api.locked {
            let token = "tok" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            tokens.insert(token)
            return token
        }
    }

    private static let types = [
        "A", "AAAA", "ANAME", "CAA", "CNAME", "DNAME", "MX", "NS", "PTR", "SRV", "SSHFP", "TLSA", "TXT",
    ]

    private func route(_ request: FakeRequest) -> FakeReply {
        let basic = HTTPHeader.basicAuthorization(user: keyID, password: secret).value
        if request.parts == ["login"] {
            let form = URLQuery.split("?" + String(decoding: request.http.body ?? [], as: UTF8.self)).1
            guard request.method == "POST", form.contains(where: { $0 == ("grant_type", "client_credentials") }) else {
                return .json(400, .object([("error", .string("unsupported_grant_type"))]))
            }
            guard request.header("authorization") == basic else {
                return .json(
                    401,
                    .object([
                        ("error", .string("invalid_client")),
                        ("error_description", .string("Invalid client credentials")),
                    ]))
            }
            logins += 1
            return .json(
                200,
                .object([
                    ("access_token", .string(issueToken())), ("expires_in", .int(300)),
                    ("token_type", .string("bearer")),
                ]))
        }
        let authorization = request.header("authorization") ?? ""
        let bearer = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : nil
        guard authorization == basic || bearer.map(tokens.contains) == true else {
            return Self.error(401, "Authentication failed")
        }
        let parts = request.parts
        guard parts.count >= 3, parts[0] == "dns", parts[1] == "v2", parts[2] == "zones" else {
            return Self.error(404, "Not found")
        }
        if parts.count == 3 {
            return .json(200, .object([("zones", .array(api.zoneKeys.map { .string($0) }))]))
        }
        let zone = parts[3].lowercased()
        guard parts.count >= 5, parts.count <= 7, parts[4] == "records" else { return Self.error(404, "Not found") }
        guard api.records(zone) != nil else { return Self.error(403, "Zone \(zone) not permitted for this key") }
        let filter = request.parameters
        let host = parts.count > 5 ? parts[5].lowercased() : filter["host"]?.lowercased()
        let type = parts.count > 6 ? parts[6].uppercased() : filter["type"]?.uppercased()
        let selected: (StoredRecord) -> Bool = { record in
            host.map { record.host == $0 } ?? true && type.map { record.type == $0 } ?? true
                && filter["data"].map { record.data == $0 } ?? true
        }
        switch request.method {
        case "GET":
            return .json(200, .object([("records", .array(api.stored(zone).filter(selected).map(Self.json)))]))
        case "DELETE":
            let removed = api.edit(zone) { records in
                let before = records.count
                records.removeAll(where: selected)
                return before - records.count
            }
            return .json(
                200, .object([("records_removed", .int(removed)), ("message", .string("\(removed) records removed"))]))
        case "POST", "PUT":
            guard let sent = request.jsonObject?["records"]?.array else {
                return .json(400, .object([("errors", .array([.string("Missing records")]))]))
            }
            return write(zone, sent, host: host, type: type, replacing: request.method == "PUT" ? selected : nil)
        default:
            return Self.error(405, "Method not allowed")
        }
    }

    /// Checks every record, then removes the selection (for `PUT`) and adds them all.
    private func write(
        _ zone: String, _ sent: [JSONValue], host: String?, type: String?, replacing: ((StoredRecord) -> Bool)?
    ) -> FakeReply {
        var records = api.stored(zone)
        let before = records.count
        if let replacing { records.removeAll(where: replacing) }
        let removed = before - records.count
        var errors: [String] = []
        for json in sent {
            var numbers: [String: Int] = [:]
            for key in ["mx_priority", "srv_priority", "srv_weight", "srv_port", "caa_flags"] {
                if let value = json[key]?.int { numbers[key] = value }
            }
            let record = StoredRecord(
                host: (json["host"]?.string ?? host ?? "").lowercased(),
                type: (json["type"]?.string ?? type ?? "").uppercased(), data: json["data"]?.string ?? "",
                ttl: json["ttl"]?.int ?? 300, numbers: numbers, caaProperty: json["caa_property"]?.string)
            if let problem = problem(record, host: host, type: type, among: records) {
                errors.append(problem)
            } else {
                records.append(record)
            }
        }
        guard errors.isEmpty else { return .json(400, .object([("errors", .array(errors.map { .string($0) }))])) }
        api.edit(zone) { $0 = records }
        return .json(
            200,
            .object([
                ("records_added", .int(sent.count)), ("records_removed", .int(removed)),
                ("message", .string("\(sent.count) records added")),
            ]))
    }

    /// Why a record is refused, or nil.
    private func problem(_ record: StoredRecord, host: String?, type: String?, among others: [StoredRecord])
        -> String?
    {
        if let host, host != record.host { return "Record host \(record.host) does not match URL host \(host)" }
        if let type, type != record.type { return "Record type \(record.type) does not match URL type \(type)" }
        guard !record.host.isEmpty, !record.host.contains(" ") else { return "Invalid host: \(record.host)" }
        guard Self.types.contains(record.type) else { return "Unsupported record type: \(record.type)" }
        guard (1...604_800).contains(record.ttl) else { return "Invalid TTL: \(record.ttl)" }
        guard !record.data.isEmpty else { return "Missing data for \(record.host) \(record.type)" }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.data):
            return "Invalid IPv4 address: \(record.data)"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.data)) == nil:
            return "Invalid IPv6 address: \(record.data)"
        case "MX" where record.numbers["mx_priority"] == nil:
            return "Missing mx_priority for MX record"
        case "SRV" where ["srv_priority", "srv_weight", "srv_port"].contains { record.numbers[$0] == nil }:
            return "Missing srv_priority, srv_weight or srv_port for SRV record"
        case "CAA" where record.numbers["caa_flags"] == nil || record.caaProperty == nil:
            return "Missing caa_flags or caa_property for CAA record"
        case "CNAME", "NS", "MX", "SRV":
            if record.data.contains(" ") { return "Invalid hostname: \(record.data)" }
        default:
            break
        }
        let sameHost = others.filter { $0.host == record.host }
        if sameHost.contains(where: { $0.type == record.type && $0.data == record.data }) {
            return "Duplicate record: \(record.host) \(record.type) \(record.data)"
        }
        if FakeRules.cnameConflict(record.type, with: sameHost.map(\.type)) {
            return "CNAME record for \(record.host) conflicts with other records"
        }
        return nil
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("host", .string(record.host)), ("type", .string(record.type)), ("data", .string(record.data)),
            ("ttl", .int(record.ttl)),
        ]
        for key in record.numbers.keys.sorted() { fields.append((key, .int(record.numbers[key] ?? 0))) }
        if let property = record.caaProperty {
            fields.append(("caa_property", .string(property)))
        }
        return .object(fields)
    }

    static func error(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("error", .string(message))]))
    }
}
