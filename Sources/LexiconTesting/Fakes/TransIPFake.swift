import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of TransIP's REST API v6 on loopback, written from TransIP's API documentation: `POST /auth` with
/// the body's RSA-SHA512 signature in `Signature` (checked against the account's key), nonces used once, labels
/// unique, JWT bearer tokens that expire; `domains/{name}` and its `dns` entries without ids (relative names, `@` for
/// the apex, `expire` one of TransIP's values), added by `POST`, removed by `DELETE` of the exact entry, changed by
/// `PATCH` when name, type and expire match one entry; `{"error": "…"}` bodies; and, when told, 429 answers with the
/// `X-Rate-Limit-*` headers.
public final class TransIPFake: @unchecked Sendable {
    /// One stored entry, in TransIP's own form.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        public var name: String
        public var expire: Int
        public var type: String
        public var content: String
    }

    /// The account name it knows.
    public let login: String
    /// How many tokens `POST /auth` has issued.
    public var tokensIssued: Int { api.locked { tokens.count } }
    private let signer: RSASigner
    private let api: FakeAPI<StoredRecord>
    /// Issued tokens and when they expire (seconds since 1970).
    private var tokens: [String: Int] = [:]
    private var nonces: Set<String> = []
    private var labels: Set<String> = []
    /// The `POST /auth` bodies received, exactly as sent.
    private var authBodies: [[UInt8]] = []
    /// Requests still allowed before answers are 429; nil without a limit.
    private var remaining: Int?

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v6" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }
    /// The `POST /auth` bodies received.
    public var authRequests: [JSONValue] { api.locked { authBodies.compactMap { try? JSONValue(parsing: $0) } } }

    /// Starts the fake.
    /// - Parameters:
    ///   - domains: The account's domains (each with TransIP's three NS entries).
    ///   - login: The account name.
    ///   - privateKey: The account's key pair (PEM); signatures are checked against it.
    public init(domains: [String], login: String = "alice", privateKey: String) throws {
        self.login = login
        signer = try RSASigner(pem: privateKey, option: "privateKey")
        var zones: [String: [StoredRecord]] = [:]
        var id = 0
        for domain in domains {
            zones[domain] = ["ns0.transip.net.", "ns1.transip.nl.", "ns2.transip.eu."].map { server in
                id += 1
                return StoredRecord(id: id, name: "@", expire: 86400, type: "NS", content: server)
            }
        }
        api = FakeAPI(zones: zones, firstID: id + 1)
        try api.start(
            authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The entries of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Makes every issued token expired.
    public func expireTokens() { api.locked { tokens = tokens.mapValues { _ in 0 } } }

    /// Answers 429 once `count` more requests have been served.
    public func limitRequests(to count: Int) { api.locked { remaining = count } }

    static let types = ["A", "AAAA", "CAA", "CNAME", "DS", "MX", "NS", "SRV", "SSHFP", "TLSA", "TXT"]
    static let expires = [60, 300, 3600, 86400]
    static let rateLimit = 1000

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        if let left = remaining {
            guard left > 0 else {
                return .json(
                    429, .object([("error", .string("Rate limit exceeded, try again later"))]),
                    headers: [
                        "x-rate-limit-limit": "\(Self.rateLimit)", "x-rate-limit-remaining": "0",
                        "x-rate-limit-reset": "\(Int(Date().timeIntervalSince1970) + 900)",
                    ])
            }
            remaining = left - 1
        }
        if request.parts == ["v6", "auth"] { return nil }
        guard let header = request.header("authorization"), header.hasPrefix("Bearer ") else {
            return Self.error(401, "No access token provided")
        }
        guard let expiry = tokens[String(header.dropFirst(7))] else {
            return Self.error(401, "Your access token has been revoked.")
        }
        guard Int(Date().timeIntervalSince1970) < expiry else {
            return Self.error(401, "Your access token has expired.")
        }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        if parts == ["v6", "auth"] {
            return request.method == "POST" ? issue(request) : Self.error(405, "Method not allowed")
        }
        guard parts.count >= 3, parts.count <= 4, parts[0] == "v6", parts[1] == "domains" else {
            return Self.error(404, "Resource not found")
        }
        let domain = parts[2]
        guard let entries = api.records(domain) else {
            return Self.error(404, "Domain with name '\(domain)' not found")
        }
        if parts.count == 3 {
            guard request.method == "GET" else { return Self.error(405, "Method not allowed") }
            return .json(200, .object([("domain", .object([("name", .string(domain)), ("isDnsOnly", .bool(false))]))]))
        }
        guard parts[3] == "dns" else { return Self.error(404, "Resource not found") }
        if request.method == "GET" { return .json(200, .object([("dnsEntries", .array(entries.map(Self.json)))])) }
        guard let json = request.jsonObject?["dnsEntry"], let name = json["name"]?.string,
            let type = json["type"]?.string, let content = json["content"]?.string, let expire = json["expire"]?.int
        else { return Self.error(406, "A dnsEntry with name, expire, type and content is required") }
        let wanted = StoredRecord(id: 0, name: name.lowercased(), expire: expire, type: type, content: content)
        switch request.method {
        case "POST":
            if let problem = problem(domain, wanted, replacing: nil) { return Self.error(406, problem) }
            if entries.contains(where: { Self.same($0, wanted) }) {
                return Self.error(406, "This DNS entry already exists")
            }
            var added = wanted
            added.id = api.nextID()
            api.edit(domain) { $0.append(added) }
            return .empty(201)
        case "DELETE":
            guard let found = entries.first(where: { Self.same($0, wanted) }) else {
                return Self.error(404, "DNS entry '\(name) \(expire) \(type) \(content)' not found")
            }
            api.remove(domain, id: found.id)
            return .empty()
        case "PATCH":
            let matches = entries.filter { $0.name == wanted.name && $0.type == type && $0.expire == expire }
            guard matches.count == 1, var found = matches.first else {
                return Self.error(
                    matches.isEmpty ? 404 : 406,
                    matches.isEmpty
                        ? "DNS entry '\(name) \(expire) \(type)' not found"
                        : "Multiple matches found for DNS entry '\(name) \(expire) \(type)'")
            }
            if let problem = problem(domain, wanted, replacing: found.id) { return Self.error(406, problem) }
            found.content = content
            api.save(found, in: domain)
            return .empty()
        default:
            return Self.error(405, "Method not allowed")
        }
    }

    /// `POST /auth`: a known login, a fresh nonce of at most 32 characters, a new label, and the signature of the
    /// exact body made with the account's key.
    private func issue(_ request: FakeRequest) -> FakeReply {
        let body = request.http.body ?? []
        authBodies.append(body)
        guard let json = request.jsonObject, let login = json["login"]?.string, let nonce = json["nonce"]?.string
        else { return Self.error(400, "Request body must contain login and nonce") }
        guard login == self.login else { return Self.error(401, "Unknown login '\(login)'") }
        guard !nonce.isEmpty, nonce.count <= 32 else { return Self.error(400, "Nonce must be 1 to 32 characters") }
        guard !nonces.contains(nonce) else { return Self.error(401, "Nonce '\(nonce)' has already been used") }
        nonces.insert(nonce)
        guard let signature = request.header("signature").flatMap(Base64.decode),
            let expected = try? signer.sign(body, digest: .sha512), signature == expected
        else { return Self.error(401, "Signature could not be verified") }
        let label = json["label"]?.string ?? "api-\(nonce)"
        guard !labels.contains(label) else { return Self.error(409, "Label '\(label)' is already in use") }
        labels.insert(label)
        let lifetime = Self.seconds(json["expiration_time"]?.string ?? "30 minutes")
        guard let lifetime, lifetime <= 86400 * 30 else { return Self.error(400, "Invalid expiration_time") }
        let expiry = Int(Date().timeIntervalSince1970) + lifetime
        let header = Base64.encode(
            JSONValue.object([("typ", .string("JWT")), ("alg", .string("RS512"))]).encoded(), urlSafe: true)
        let claims = JSONValue.object([
            ("iss", .string("api.transip.nl")), ("jti", .string(nonce)), ("exp", .int(expiry)),
            ("ro", .bool(json["read_only"]?.bool ?? false)), ("gk", .bool(json["global_key"]?.bool ?? false)),
        ])
        let token = header + "." + Base64.encode(claims.encoded(), urlSafe: true) + "." + String(api.nextID())
        tokens[token] = expiry
        return .json(201, .object([("token", .string(token))]))
    }

    /// `30 minutes`, `1 hour`, `3600 seconds`, `1 day` in seconds.
    private static func seconds(_ text: String) -> Int? {
        let words = text.split(separator: " ")
        guard words.count == 2, let count = Int(words[0]), count > 0 else { return nil }
        let unit = words[1].hasSuffix("s") ? words[1].dropLast() : words[1]
        let scale = ["second": 1, "minute": 60, "hour": 3600, "day": 86400][String(unit)]
        return scale.map { $0 * count }
    }

    /// Why TransIP refuses an entry, or nil.
    private func problem(_ domain: String, _ entry: StoredRecord, replacing id: Int?) -> String? {
        guard Self.types.contains(entry.type) else { return "Invalid DNS entry type '\(entry.type)'" }
        guard Self.expires.contains(entry.expire) else {
            return
                "Invalid expire '\(entry.expire)', allowed are \(Self.expires.map(String.init).joined(separator: ", "))"
        }
        let name = entry.name
        guard !name.isEmpty, !name.hasSuffix("."), !name.contains(" ") else {
            return "Invalid DNS entry name '\(name)'"
        }
        let fields = entry.content.split(separator: " ")
        guard !entry.content.isEmpty else { return "DNS entry content is required" }
        switch entry.type {
        case "A" where FakeRules.notIPv4(entry.content):
            return "Invalid IPv4 address '\(entry.content)'"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: entry.content)) == nil:
            return "Invalid IPv6 address '\(entry.content)'"
        case "MX" where fields.count != 2 || Int(fields[0]) == nil:
            return "MX content must be 'priority host'"
        case "SRV" where fields.count != 4 || fields.prefix(3).contains { Int($0) == nil }:
            return "SRV content must be 'priority weight port target'"
        case "CNAME" where name == "@":
            return "A CNAME is not allowed on the domain itself"
        default:
            break
        }
        let others = api.stored(domain).filter { $0.id != id && $0.name == name }
        if FakeRules.cnameConflict(entry.type, with: others.map(\.type)) {
            return "A CNAME cannot share its name '\(name)' with other DNS entries"
        }
        return nil
    }

    private static func same(_ a: StoredRecord, _ b: StoredRecord) -> Bool {
        a.name == b.name && a.expire == b.expire && a.type == b.type && a.content == b.content
    }

    static func json(_ entry: StoredRecord) -> JSONValue {
        .object([
            ("name", .string(entry.name)), ("expire", .int(entry.expire)), ("type", .string(entry.type)),
            ("content", .string(entry.content)),
        ])
    }

    static func error(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("error", .string(message))]))
    }
}
