import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of the unofficial JSON API behind Hover's control panel on loopback. Hover documents no API;
/// this follows the calls dns-lexicon makes and what they answer: `GET /signin` setting `hover_session`,
/// `POST /signin/auth.json` with the username and password, `POST /signin/auth2.json` with a TOTP code (RFC 6238,
/// the current or the previous step) for accounts with two-factor login, setting `hoverauth`; `GET /api/domains`,
/// `GET /api/control_panel/dns/{domain}`, `POST /api/control_panel/dns` with one `dns_record` and
/// `DELETE /api/control_panel/dns` with ids; 401 without a valid `hoverauth` (sessions can be ended with
/// ``expireSessions()``), and 400 for a request whose body is empty, as Hover refuses those.
public final class HoverFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// Relative to the zone; `@` for the apex.
        public var name: String
        public var type: String
        /// MX as `PRIORITY TARGET`, SRV as `PRIORITY WEIGHT PORT TARGET`.
        public var content: String
        public var ttl: Int
    }

    /// The username it accepts.
    public let username = "user" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    /// The password it accepts.
    public let password = "pw" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    /// The base32 TOTP secret of the account's authenticator app.
    public let totpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    private let twoFactor: Bool
    private let secondFactor: String
    private let api: FakeAPI<StoredRecord>
    /// `hover_session` ids, and whether the password was given in that session.
    private var sessions: [String: Bool] = [:]
    private var authTokens: Set<String> = []
    private var signIns = 0

    /// The URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/api" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }
    /// How many sign-ins completed.
    public var signInCount: Int { api.locked { signIns } }

    /// Starts the fake with domains (empty).
    /// - Parameters:
    ///   - names: The account's domains.
    ///   - twoFactor: Whether the account has two-factor login.
    ///   - secondFactor: How the code comes: `app` (an authenticator app), or `email`.
    public init(domains names: [String], twoFactor: Bool = true, secondFactor: String = "app") throws {
        self.twoFactor = twoFactor
        self.secondFactor = secondFactor
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 100)
        try api.start(route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Ends every signed-in session, as Hover does after a while.
    public func expireSessions() { api.locked { authTokens.removeAll() } }

    private static let types = ["A", "AAAA", "CNAME", "MX", "SRV", "TXT"]

    private func route(_ request: FakeRequest) -> FakeReply {
        if let body = request.http.body, body.isEmpty || body == Array("{}".utf8) {
            return Self.failure(400, "Request body must not be empty")
        }
        let cookies = Self.cookies(request.header("cookie") ?? "")
        switch (request.method, request.parts) {
        case ("GET", ["signin"]):
            let id = "hs" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            sessions[id] = false
            return .respond(
                HTTPResponse(
                    status: 200,
                    headers: ["content-type": "text/html", "set-cookie": "hover_session=\(id); path=/; HttpOnly"],
                    body: Array("<html>Sign in</html>".utf8)))
        case ("POST", ["signin", "auth.json"]):
            guard let session = cookies["hover_session"], sessions[session] != nil else {
                return Self.failure(401, "Session expired, reload the page")
            }
            guard request.jsonObject?["username"]?.string == username,
                request.jsonObject?["password"]?.string == password
            else { return Self.failure(401, "Invalid username or password") }
            sessions[session] = true
            guard twoFactor else { return signedIn() }
            return .json(
                200,
                .object([
                    ("succeeded", .bool(true)), ("status", .string("need_2fa")), ("type", .string(secondFactor)),
                ]))
        case ("POST", ["signin", "auth2.json"]):
            guard let session = cookies["hover_session"], sessions[session] == true else {
                return Self.failure(401, "Sign in with your password first")
            }
            let totp = TOTP(secret: Base32.decode(totpSecret) ?? [])
            let now = Int(Date().timeIntervalSince1970)
            guard let code = request.jsonObject?["code"]?.string, [now, now - 30].map(totp.code(at:)).contains(code)
            else { return Self.failure(401, "Invalid verification code") }
            return signedIn()
        default:
            break
        }
        guard request.parts.first == "api" else { return Self.failure(404, "Not found") }
        guard let auth = cookies["hoverauth"], authTokens.contains(auth) else {
            return Self.failure(401, "You must be logged in")
        }
        return apiRoute(request, Array(request.parts.dropFirst()))
    }

    private func signedIn() -> FakeReply {
        let token = "ha" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        authTokens.insert(token)
        signIns += 1
        return .json(
            200, .object([("succeeded", .bool(true)), ("status", .string("completed"))]),
            headers: ["set-cookie": "hoverauth=\(token); path=/; secure; HttpOnly"])
    }

    private func apiRoute(_ request: FakeRequest, _ parts: [String]) -> FakeReply {
        switch (request.method, parts) {
        case ("GET", ["domains"]):
            let domains = api.zoneKeys.enumerated().map { index, name in
                JSONValue.object([
                    ("id", .string("dom\(1000 + index)")), ("domain_name", .string(name)),
                    ("status", .string("active")),
                ])
            }
            return .json(200, .object([("succeeded", .bool(true)), ("domains", .array(domains))]))
        case ("GET", let path) where path.count == 3 && path[0] == "control_panel" && path[1] == "dns":
            let domain = path[2].lowercased()
            guard let records = api.records(domain) else { return Self.failure(404, "Domain not found") }
            return .json(
                200,
                .object([
                    ("succeeded", .bool(true)),
                    (
                        "domain",
                        .object([
                            ("id", .string("domain-" + domain)), ("domain_name", .string(domain)),
                            ("dns", .array(records.map(Self.json))),
                        ])
                    ),
                ]))
        case ("POST", ["control_panel", "dns"]):
            return create(request.jsonObject)
        case ("DELETE", ["control_panel", "dns"]):
            for entry in request.jsonObject?["domains"]?.array ?? [] {
                let domain = String((entry["id"]?.string ?? "").dropFirst("domain-".count))
                guard api.records(domain) != nil else { return Self.failure(404, "Domain not found") }
                let ids = Set((entry["dns_records"]?.array ?? []).compactMap(\.string))
                api.edit(domain) { $0.removeAll { ids.contains($0.id) } }
            }
            return .json(200, .object([("succeeded", .bool(true))]))
        default:
            return Self.failure(404, "Not found")
        }
    }

    private func create(_ body: JSONValue?) -> FakeReply {
        let domain = String((body?["id"]?.string ?? "").dropFirst("domain-".count))
        guard api.records(domain) != nil else { return Self.failure(404, "Domain not found") }
        guard let sent = body?["dns_record"] else { return Self.failure(400, "Missing dns_record") }
        let ttl = sent["ttl"]?.string.flatMap { Int($0) } ?? sent["ttl"]?.int ?? 900
        let record = StoredRecord(
            id: "dns\(api.nextID())", name: (sent["name"]?.string ?? "").lowercased(),
            type: (sent["type"]?.string ?? "").uppercased(), content: sent["content"]?.string ?? "", ttl: ttl)
        if let problem = problem(record, among: api.stored(domain)) { return Self.failure(422, problem) }
        api.edit(domain) { $0.append(record) }
        return .json(200, .object([("succeeded", .bool(true))]))
    }

    /// Why the panel refuses a record, or nil.
    private func problem(_ record: StoredRecord, among others: [StoredRecord]) -> String? {
        guard !record.name.isEmpty, !record.name.contains(" "), !record.name.hasSuffix(".") else {
            return "Hostname is invalid"
        }
        guard Self.types.contains(record.type) else { return "Type is not supported" }
        guard (300...604_800).contains(record.ttl) || record.ttl == 60 || record.ttl == 120 else {
            return "TTL is invalid"
        }
        guard !record.content.isEmpty else { return "Content can't be blank" }
        let words = record.content.split(separator: " ")
        switch record.type {
        case "A" where FakeRules.notIPv4(record.content):
            return "Content is not a valid IPv4 address"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.content)) == nil:
            return "Content is not a valid IPv6 address"
        case "MX" where words.count != 2 || Int(words[0]) == nil:
            return "MX content must be PRIORITY HOSTNAME"
        case "SRV" where words.count != 4 || words.prefix(3).contains { Int($0) == nil }:
            return "SRV content must be PRIORITY WEIGHT PORT TARGET"
        case "CNAME" where words.count != 1:
            return "Content is not a valid hostname"
        default:
            break
        }
        let sameName = others.filter { $0.name == record.name }
        if sameName.contains(where: { $0.type == record.type && $0.content == record.content }) {
            return "Record already exists"
        }
        if FakeRules.cnameConflict(record.type, with: sameName.map(\.type)) {
            return "CNAME record conflicts with another record"
        }
        return nil
    }

    private static func cookies(_ header: String) -> [String: String] {
        var cookies: [String: String] = [:]
        for pair in header.split(separator: ";") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2 { cookies[String(parts[0])] = String(parts[1]) }
        }
        return cookies
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("name", .string(record.name)), ("type", .string(record.type)),
            ("content", .string(record.content)), ("ttl", .int(record.ttl)), ("is_default", .bool(false)),
            ("can_revert", .bool(false)),
        ])
    }

    static func failure(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("succeeded", .bool(false)), ("error", .string(message))]))
    }
}
