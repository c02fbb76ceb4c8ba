import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of netcup's CCP JSON API on loopback, written from netcup's API documentation: one URL
/// (`/run/webservice/servers/endpoint.php?JSON`), every call a `POST` of `{"action", "param"}`, `login` handing out
/// an `apisessionid` that every other call carries with the customer number and API key, sessions that expire
/// (``expireSessions()``) and `logout`, `infoDnsZone`, `infoDnsRecords` and `updateDnsRecords` (no id creates, an id
/// updates, `deleterecord` deletes; all records checked before any is written), one TTL per zone, and the envelope
/// `{serverrequestid, clientrequestid, action, status, statuscode, shortmessage, longmessage, responsedata}` with
/// HTTP 200 for errors too.
public final class NetcupFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// Relative to the zone; `@` for the apex.
        public var hostname: String
        public var type: String
        public var priority: String
        public var destination: String
    }

    /// The customer number it accepts.
    public let customerNumber = String(Int.random(in: 10000...999_999))
    /// The API key it accepts.
    public let apiKey = "key" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    /// The API password it accepts.
    public let apiPassword = "pw" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private let api: FakeAPI<StoredRecord>
    private var ttls: [String: Int]
    private var sessions: Set<String> = []
    private var logins = 0
    /// When the requests of the last minute arrived, for netcup's limit.
    private var recent: [Date] = []
    private let requestsPerMinute: Int

    /// The URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/run/webservice/servers/endpoint.php?JSON" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }
    /// How many logins succeeded.
    public var loginCount: Int { api.locked { logins } }
    /// The sessions open now.
    public var openSessions: Int { api.locked { sessions.count } }

    /// Starts the fake with zones (empty; netcup's own NS records are not in its listings).
    /// - Parameters:
    ///   - names: The account's zones.
    ///   - ttl: The TTL of every zone (netcup's default is 86400).
    ///   - requestsPerMinute: The requests netcup answers a minute; more are refused.
    public init(domains names: [String], ttl: Int = 86400, requestsPerMinute: Int = 180) throws {
        self.requestsPerMinute = requestsPerMinute
        ttls = Dictionary(uniqueKeysWithValues: names.map { ($0, ttl) })
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 4000)
        try api.start(route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Ends every session, as netcup does after 15 minutes without a call.
    public func expireSessions() { api.locked { sessions.removeAll() } }

    private static let types = [
        "A", "AAAA", "MX", "CNAME", "CAA", "SRV", "TXT", "TLSA", "NS", "DS", "OPENPGPKEY", "SMIMEA", "SSHFP",
    ]

    private func route(_ request: FakeRequest) -> FakeReply {
        guard request.method == "POST", request.parts == ["run", "webservice", "servers", "endpoint.php"],
            request.query.contains(where: { $0.0 == "JSON" })
        else { return .text(404, "Not Found", contentType: "text/html") }
        guard let body = request.http.body.flatMap({ try? JSONValue(parsing: $0) }), let action = body["action"]?.string
        else { return Self.error("", 4013, "Validation Error.", "Message is empty.") }
        let param = body["param"] ?? .object([])
        let now = Date()
        recent = recent.filter { now.timeIntervalSince($0) < 60 } + [now]
        if recent.count > requestsPerMinute {
            return Self.error(
                action, 4013, "Validation Error.",
                "More than \(requestsPerMinute) requests per minute. Please wait and retry later.")
        }
        if action == "login" {
            guard param["customernumber"]?.string == customerNumber, param["apikey"]?.string == apiKey,
                param["apipassword"]?.string == apiPassword
            else { return Self.error(action, 4013, "Validation Error.", "The login was not successful.") }
            let id = "sess" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            sessions.insert(id)
            logins += 1
            return Self.success(
                action, "Login successful", "Session has been created successful.",
                .object([("apisessionid", .string(id))]))
        }
        guard param["customernumber"]?.string == customerNumber, param["apikey"]?.string == apiKey else {
            return Self.error(action, 4013, "Validation Error.", "Api key or customer number invalid.")
        }
        guard let session = param["apisessionid"]?.string, sessions.contains(session) else {
            return Self.error(
                action, 4001, "Api session id in invalid format", "The session id is not in a valid format.")
        }
        if action == "logout" {
            sessions.remove(session)
            return Self.success(action, "Logout successful", "Session has been terminated successful.", .string(""))
        }
        let domain = (param["domainname"]?.string ?? "").lowercased()
        guard let ttl = ttls[domain] else {
            return Self.error(
                action, 5029, "Can not get DNS records for zone", "The zone \(domain) could not be found.")
        }
        switch action {
        case "infoDnsZone":
            return Self.success(
                action, "DNS zone found", "DNS zone was found.",
                .object([
                    ("name", .string(domain)), ("ttl", .string(String(ttl))), ("serial", .string("2026120101")),
                    ("refresh", .string("28800")), ("retry", .string("7200")), ("expire", .string("1209600")),
                    ("dnssecstatus", .bool(false)),
                ]))
        case "infoDnsRecords":
            return Self.success(
                action, "DNS records found", "DNS Records for this zone were found.",
                .object([("dnsrecords", .array(api.stored(domain).map(Self.json)))]))
        case "updateDnsRecords":
            return update(domain, param["dnsrecordset"]?["dnsrecords"]?.array)
        default:
            return Self.error(action, 4013, "Validation Error.", "The action \(action) is not known.")
        }
    }

    /// Checks every record, then writes them all; answers the zone's records.
    private func update(_ domain: String, _ sent: [JSONValue]?) -> FakeReply {
        let action = "updateDnsRecords"
        guard let sent, !sent.isEmpty else {
            return Self.error(action, 4013, "Validation Error.", "Value in field dnsrecords is missing.")
        }
        var records = api.stored(domain)
        for entry in sent {
            let id = entry["id"]?.string
            let index = id.flatMap { id in records.firstIndex { $0.id == id } }
            if id != nil && index == nil {
                return Self.error(action, 5028, "Update of DNS records failed", "The DNS record \(id!) was not found.")
            }
            if entry["deleterecord"]?.bool == true {
                if let index { records.remove(at: index) }
                continue
            }
            let record = StoredRecord(
                id: id ?? String(api.nextID()), hostname: (entry["hostname"]?.string ?? "").lowercased(),
                type: (entry["type"]?.string ?? "").uppercased(), priority: entry["priority"]?.string ?? "0",
                destination: entry["destination"]?.string ?? "")
            if let problem = problem(record, among: records.filter { $0.id != record.id }) {
                return Self.error(action, 4013, "Validation Error.", problem)
            }
            if let index { records[index] = record } else { records.append(record) }
        }
        api.edit(domain) { $0 = records }
        return Self.success(
            action, "DNS records successful updated", "The given DNS records for this zone were updated.",
            .object([("dnsrecords", .array(records.map(Self.json)))]))
    }

    /// Why netcup refuses a record, or nil.
    private func problem(_ record: StoredRecord, among others: [StoredRecord]) -> String? {
        let host = record.hostname
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let hostOK =
            host == "@"
            || (!host.isEmpty
                && labels.allSatisfy { label in
                    !label.isEmpty && label.count <= 63
                        && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_*".contains($0)) }
                })
        guard hostOK else { return "The host must not be empty or contain special characters." }
        guard Self.types.contains(record.type) else { return "The record type \(record.type) is not supported." }
        guard !record.destination.isEmpty else { return "The destination must not be empty." }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.destination):
            return "The destination is not a valid IPv4 address."
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.destination)) == nil:
            return "The destination is not a valid IPv6 address."
        case "MX":
            guard let priority = Int(record.priority), (0...65535).contains(priority) else {
                return "A priority is required for MX records."
            }
            if record.destination.contains(" ") { return "The destination is not a valid hostname." }
        case "CNAME", "NS":
            if record.destination.contains(" ") { return "The destination is not a valid hostname." }
        case "SRV":
            let fields = record.destination.split(separator: " ")
            guard fields.count == 4, fields.prefix(3).allSatisfy({ Int($0) != nil }) else {
                return "The destination of an SRV record must be PRIORITY WEIGHT PORT TARGET."
            }
        default:
            break
        }
        let sameName = others.filter { $0.hostname == record.hostname }.map(\.type)
        if FakeRules.cnameConflict(record.type, with: sameName) {
            return "A CNAME record cannot share its host with other records."
        }
        return nil
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("hostname", .string(record.hostname)), ("type", .string(record.type)),
            ("priority", .string(record.priority)), ("destination", .string(record.destination)),
            ("deleterecord", .bool(false)), ("state", .string("yes")),
        ])
    }

    private static func envelope(
        _ action: String, _ status: String, _ code: Int, _ short: String, _ long: String, _ data: JSONValue
    ) -> FakeReply {
        .json(
            200,
            .object([
                ("serverrequestid", .string(String(UInt64.random(in: 0...UInt64.max), radix: 36))),
                ("clientrequestid", .string("")), ("action", .string(action)), ("status", .string(status)),
                ("statuscode", .int(code)), ("shortmessage", .string(short)), ("longmessage", .string(long)),
                ("responsedata", data),
            ]))
    }

    static func success(_ action: String, _ short: String, _ long: String, _ data: JSONValue) -> FakeReply {
        envelope(action, "success", 2000, short, long, data)
    }

    static func error(_ action: String, _ code: Int, _ short: String, _ long: String) -> FakeReply {
        envelope(action, "error", code, short, long, .string(""))
    }
}
