import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of DNSPod's legacy API (dnsapi.cn) on loopback, written from DNSPod's API documentation: every
/// action a form `POST /ACTION` with `login_token=ID,TOKEN` and `format=json`, from a client that names itself in
/// `User-Agent` (`Program/Version …`); answers are HTTP 200 with `{"status": {"code", "message", "created_at"}, …}`,
/// code `"1"` for success, `"-1"` for a refused login, `"-2"` over the request limit, `"6"` for a domain the account
/// does not hold, `"8"` for an unknown record id, `"10"` for an empty listing, `"104"` for a record that already
/// exists, and the documented codes for records DNSPod refuses (``DNSPodFakeRules``: 22, 26, 27, 29/32, 30, 31, 34). Ids, TTLs and priorities are strings; an update keeps the id;
/// `Record.List` pages by `offset` and `length`, at most five records a page here (so listings page).
public final class DNSPodFake: @unchecked Sendable {
    /// The token's ID it accepts.
    public let tokenID = String(Int.random(in: 100_000...999_999))
    /// The token it accepts.
    public let token = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private let api: FakeAPI<DNSPodStoredRecord>
    private var throttled = 0

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, which hold no records.
    public init(domains names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 420_000_001)
        try api.start(authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain, oldest first.
    public func stored(_ domain: String) -> [DNSPodStoredRecord] { api.stored(domain) }

    /// Makes listings answer the first page whatever `offset` is asked for.
    public func ignorePaging(_ ignored: Bool = true) { api.ignorePaging(ignored) }

    /// Answers the next `count` requests with code -2 (over the API's request limit).
    public func throttle(next count: Int) { api.locked { throttled = count } }

    /// The most records a page holds here (DNSPod allows 3000; small pages exercise paging).
    public static let pageLimit = 5

    /// The form of a request.
    public static func form(_ request: HTTPRequest) -> [String: String] {
        Dictionary(
            URLQuery.split("?" + String(decoding: request.body ?? [], as: UTF8.self)).query,
            uniquingKeysWith: { _, last in last })
    }

    // MARK: - Checks

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        if throttled > 0 {
            throttled -= 1
            return Self.status("-2", "API usage is limited")
        }
        guard request.method == "POST", request.parts.count == 1,
            request.header("content-type")?.hasPrefix("application/x-www-form-urlencoded") == true
        else { return Self.status("-3", "Invalid request: a form POST to /ACTION is required") }
        // DNSPod bans the API for clients that do not name themselves as `Program/Version (contact)`; this fake
        // refuses them with -7 (no right to use the API) instead.
        guard let agent = request.header("user-agent"), agent.contains("/"), !agent.hasPrefix("curl/"),
            !agent.hasPrefix("Mozilla/")
        else { return Self.status("-7", "Invalid User-Agent: name your program as Program/Version (contact)") }
        let form = Self.form(request.http)
        guard form["format"] == "json" else { return Self.status("-5", "This fake answers format=json only") }
        guard form["login_token"] == "\(tokenID),\(token)" else { return Self.status("-1", "Login fail") }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let form = Self.form(request.http)
        guard let domain = form["domain"]?.lowercased(), let records = api.records(domain) else {
            return Self.status("6", "Domain id invalid")
        }
        switch request.parts[0] {
        case "Domain.Info":
            return Self.ok([
                (
                    "domain",
                    .object([
                        ("id", .string("\(domain.count)")), ("name", .string(domain)),
                        ("grade", .string("DP_Free")), ("status", .string("enable")),
                    ])
                )
            ])
        case "Record.List":
            return list(domain, records, form)
        case "Record.Create":
            return save(domain, form, existing: nil, ttlCode: "32")
        case "Record.Modify", "Record.Remove":
            guard let id = form["record_id"].flatMap({ Int($0) }), let existing = api.record(domain, id: id) else {
                return Self.status("8", "Record id invalid")
            }
            if request.parts[0] == "Record.Modify" { return save(domain, form, existing: existing, ttlCode: "29") }
            api.remove(domain, id: id)
            return Self.ok([])
        default:
            return Self.status("-3", "Unknown API")
        }
    }

    private func list(_ domain: String, _ records: [DNSPodStoredRecord], _ form: [String: String]) -> FakeReply {
        var matching = records
        if let host = form["sub_domain"]?.lowercased(), !host.isEmpty { matching = matching.filter { $0.name == host } }
        if let type = form["record_type"], !type.isEmpty { matching = matching.filter { $0.type == type } }
        let limit = min(form["length"].flatMap { Int($0) } ?? 100, 3000, Self.pageLimit)
        let page = api.page(matching, offset: form["offset"].flatMap { Int($0) }, limit: limit)
        guard !page.isEmpty else { return Self.status("10", "No records") }
        return Self.ok([
            ("domain", .object([("name", .string(domain))])),
            (
                "info",
                .object([
                    ("sub_domains", .string(String(matching.count))), ("record_total", .string(String(matching.count))),
                ])
            ),
            ("records", .array(page.map(Self.json))),
        ])
    }

    /// A create or a modify; DNSPod tells a TTL under the grade's minimum with 32 on a create and 29 on a modify.
    private func save(_ domain: String, _ form: [String: String], existing: DNSPodStoredRecord?, ttlCode: String)
        -> FakeReply
    {
        guard let type = form["record_type"], let value = form["value"] else {
            return Self.status("-3", "record_type and value are required")
        }
        let record = DNSPodStoredRecord(
            id: existing?.id ?? api.nextID(), name: (form["sub_domain"] ?? "@").lowercased(), type: type,
            value: value, ttl: form["ttl"].map { Int($0) ?? -1 } ?? 600,
            mx: type == "MX" ? form["mx"].flatMap { Int($0) } ?? 0 : 0,
            line: form["record_line"] ?? DNSPodFakeRules.defaultLine)
        if let problem = DNSPodFakeRules.problem(record, others: api.stored(domain)) {
            switch problem {
            case .badType: return Self.status("27", "Record type invalid")
            case .badName: return Self.status("22", "Subdomain invalid")
            case .badValue: return Self.status("34", "Record value invalid")
            case .badTTL: return Self.status(ttlCode, "TTL is out of range for this domain's grade")
            case .badMX: return Self.status("30", "MX value invalid, between 1-20")
            case .badLine: return Self.status("26", "Record line invalid")
            case .duplicate: return Self.status("104", "Record already exists")
            case .cnameConflict: return Self.status("31", "Conflicting records (A, CNAME and URL cannot coexist)")
            }
        }
        api.save(record, in: domain)
        return Self.ok([
            (
                "record",
                .object([
                    ("id", .string(String(record.id))), ("name", .string(record.name)),
                    ("status", .string("enabled")),
                ])
            )
        ])
    }

    static func json(_ record: DNSPodStoredRecord) -> JSONValue {
        .object([
            ("id", .string(String(record.id))), ("name", .string(record.name)), ("line", .string(record.line)),
            ("line_id", .string("0")), ("type", .string(record.type)), ("ttl", .string(String(record.ttl))),
            ("value", .string(record.value)), ("weight", .null), ("mx", .string(String(record.mx))),
            ("enabled", .string("1")), ("status", .string("enabled")), ("monitor_status", .string("")),
            ("remark", .string("")), ("updated_on", .string("2026-12-01 12:00:00")),
        ])
    }

    static func ok(_ fields: [(String, JSONValue)]) -> FakeReply {
        .json(200, .object([("status", statusObject("1", "Action completed successful"))] + fields))
    }

    static func status(_ code: String, _ message: String) -> FakeReply {
        .json(200, .object([("status", statusObject(code, message))]))
    }

    static func statusObject(_ code: String, _ message: String) -> JSONValue {
        .object([
            ("code", .string(code)), ("message", .string(message)), ("created_at", .string("2026-12-01 12:00:00")),
        ])
    }
}
