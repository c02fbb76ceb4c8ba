import Lexicon
import LexiconHTTP

/// A stateful fake of deSEC's v1 API on loopback, written from deSEC's documentation: `Authorization: Token`
/// (tokens given or from `POST /auth/login/`), domains under `/domains/{name}/` with their `minimum_ttl`, record sets
/// under `/domains/{name}/rrsets/` (listed with cursor paging in the `Link` header, a small page so tests page;
/// created with `POST`; created, replaced or deleted in bulk with `PUT`/`PATCH`) and under
/// `…/rrsets/{subname}/{type}/` (`@` for the apex; `GET`, `PUT`, `PATCH`, `DELETE`), and deSEC's error bodies
/// (`{"detail": …}`, field errors, one error object per set for bulk requests).
public final class DeSECFake: @unchecked Sendable {
    /// One stored set.
    public struct StoredSet: Sendable, Equatable {
        public var subname: String
        public var type: String
        public var ttl: Int
        public var records: [String]

        public init(subname: String, type: String, ttl: Int, records: [String]) {
            self.subname = subname
            self.type = type
            self.ttl = ttl
            self.records = records
        }
    }

    /// An API token, and the account's e-mail and password for logging in.
    public let token = DeSECFake.secret()
    public let email = "owner@example.org"
    public let password = DeSECFake.secret()
    /// The domains' minimum TTL.
    public let minimumTTL: Int
    /// The sets on a page of a listing (deSEC's is 500).
    public let pageSize: Int
    private let api: FakeAPI<StoredSet>
    private var loginTokens: Set<String> = []
    private var throttledWrites = 0

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/api/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, each with the apex NS set deSEC creates.
    public init(domains names: [String], minimumTTL: Int = 3600, pageSize: Int = 3) throws {
        self.minimumTTL = minimumTTL
        self.pageSize = pageSize
        let apex = StoredSet(subname: "", type: "NS", ttl: 3600, records: ["ns1.desec.io.", "ns2.desec.org."])
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, [apex]) }))
        try api.start(
            authorize: { [unowned self] request in
                if request.parts == ["api", "v1", "auth", "login"] { return nil }
                guard let authorization = request.header("authorization") else {
                    return Self.detail(401, "Authentication credentials were not provided.")
                }
                let given = authorization.hasPrefix("Token ") ? String(authorization.dropFirst(6)) : ""
                guard given == token || loginTokens.contains(given) else { return Self.detail(401, "Invalid token.") }
                guard request.method != "GET", throttledWrites > 0 else { return nil }
                throttledWrites -= 1
                return Self.detail(
                    429, "Request was throttled. Expected available in 1 second.", headers: ["retry-after": "1"])
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The sets of a domain.
    public func stored(_ domain: String) -> [StoredSet] { api.stored(domain) }

    /// Stores a set directly (to fill a domain past a page).
    public func seed(_ domain: String, _ set: StoredSet) { api.edit(domain) { $0.append(set) } }

    /// Answers the next `count` writes with 429 and `Retry-After: 1`, as deSEC's per-domain write limit does.
    public func throttleWrites(next count: Int) { api.locked { throttledWrites = count } }

    /// Makes listings answer the first page whatever cursor is asked for.
    public func ignorePaging() { api.ignorePaging() }

    private static func secret() -> String {
        String(
            (0..<28).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".randomElement()! })
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v1",
            URLQuery.split(request.http.path).path.hasSuffix("/")
        else { return Self.detail(404, "Not found.") }
        if parts.count == 4, parts[2] == "auth", parts[3] == "login", request.method == "POST" {
            guard request.jsonObject?["email"]?.string == email, request.jsonObject?["password"]?.string == password
            else { return Self.detail(403, "Invalid username/password.") }
            let issued = Self.secret()
            loginTokens.insert(issued)
            return .json(200, .object([("owner", .string(email)), ("name", .string("")), ("token", .string(issued))]))
        }
        guard parts.count >= 4, parts[2] == "domains", api.records(parts[3]) != nil else {
            return Self.detail(404, "Not found.")
        }
        let domain = parts[3]
        switch (request.method, parts.count) {
        case ("GET", 4):
            return .json(200, .object([("name", .string(domain)), ("minimum_ttl", .int(minimumTTL))]))
        case ("GET", 5) where parts[4] == "rrsets":
            return list(domain, request)
        case ("POST", 5) where parts[4] == "rrsets":
            let bulk = request.json?.array
            guard let items = bulk ?? request.jsonObject.map({ [$0] }) else {
                return Self.detail(400, "JSON parse error.")
            }
            return write(domain, items, method: "POST", bulk: bulk != nil)
        case ("PUT", 5) where parts[4] == "rrsets", ("PATCH", 5) where parts[4] == "rrsets":
            guard let items = request.json?.array else {
                return .json(400, .object([("non_field_errors", .array([.string("Expected a list of items.")]))]))
            }
            return write(domain, items, method: request.method, bulk: true)
        case (_, 7) where parts[4] == "rrsets":
            return detail(domain, subname: parts[5] == "@" ? "" : parts[5], type: parts[6], request)
        default:
            return Self.detail(405, "Method \"\(request.method)\" not allowed.")
        }
    }

    private func list(_ domain: String, _ request: FakeRequest) -> FakeReply {
        let sorted = api.stored(domain).sorted { ($0.subname, $0.type) < ($1.subname, $1.type) }
        let base = "\(endpoint)/domains/\(domain)/rrsets/?cursor="
        guard let cursor = request.parameters["cursor"] else {
            guard sorted.count <= pageSize else {
                return Self.detail(
                    400,
                    "Pagination required. You can query up to \(pageSize) items at a time (\(sorted.count) total). "
                        + "Please use the `first` page link (see Link header).",
                    headers: ["link": "<\(base)>; rel=\"first\""])
            }
            return .json(200, .array(sorted.map { Self.json($0, domain) }))
        }
        let key = cursor.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard cursor.isEmpty || key.count == 2 else { return Self.detail(404, "Invalid cursor") }
        let start = cursor.isEmpty ? nil : { (set: StoredSet) in (set.subname, set.type) >= (key[0], key[1]) }
        let (page, next) = api.page(sorted, from: start, limit: pageSize)
        func link(_ set: StoredSet?) -> String {
            base + (set.map { URLQuery.escape($0.subname + "/" + $0.type) } ?? "")
        }
        var links = ["<\(base)>; rel=\"first\""]
        if let first = page.first, let index = sorted.firstIndex(of: first), index > 0 {
            links.append("<\(link(index > pageSize ? sorted[index - pageSize] : nil))>; rel=\"prev\"")
        }
        if let next { links.append("<\(link(next))>; rel=\"next\"") }
        return .json(200, .array(page.map { Self.json($0, domain) }), headers: ["link": links.joined(separator: ", ")])
    }

    private func detail(_ domain: String, subname: String, type: String, _ request: FakeRequest) -> FakeReply {
        let current = api.stored(domain).first { $0.subname == subname && $0.type == type }
        switch request.method {
        case "GET":
            return current.map { .json(200, Self.json($0, domain)) } ?? Self.detail(404, "Not found.")
        case "DELETE":
            api.edit(domain) { $0.removeAll { $0.subname == subname && $0.type == type } }
            return .empty()
        case "PUT", "PATCH":
            guard current != nil else { return Self.detail(404, "Not found.") }
            guard var item = request.jsonObject else { return Self.detail(400, "JSON parse error.") }
            if request.method == "PATCH" || item["subname"] == nil { item = Self.with(item, subname: subname) }
            guard item["subname"]?.string == subname, item["type"]?.string ?? type == type else {
                return .json(400, .object([("subname", .array([.string("Can only be written on create.")]))]))
            }
            return write(domain, [Self.with(item, type: type)], method: request.method, bulk: false)
        default:
            return Self.detail(405, "Method \"\(request.method)\" not allowed.")
        }
    }

    /// Creates, replaces or deletes sets all at once, or none when any is invalid.
    private func write(_ domain: String, _ items: [JSONValue], method: String, bulk: Bool) -> FakeReply {
        var sets = api.stored(domain)
        var errors: [[(String, String)]] = []
        var written: [StoredSet?] = []
        for item in items {
            let subname = item["subname"]?.string ?? ""
            let type = item["type"]?.string ?? ""
            let index = sets.firstIndex { $0.subname == subname && $0.type == type }
            let records = item["records"]?.array?.compactMap(\.string) ?? index.map { sets[$0].records }
            let ttl = item["ttl"]?.int ?? (method == "PATCH" ? index.map { sets[$0].ttl } : nil)
            var problems = validate(subname: subname, type: type, ttl: ttl, records: records, method: method)
            if problems.isEmpty, method == "POST", index != nil {
                problems.append(
                    (
                        "non_field_errors",
                        "Another RRset with the same subdomain and type exists for this domain. (Try modifying it.)"
                    ))
            }
            let others = sets.filter { $0.subname == subname && $0.type != type }.map(\.type)
            if problems.isEmpty, records?.isEmpty == false, FakeRules.cnameConflict(type, with: others) {
                problems.append(
                    (
                        "non_field_errors",
                        "RRset with conflicting type present: database (\(others.joined(separator: ", "))). "
                            + "(No other RRsets are allowed alongside CNAME.)"
                    ))
            }
            errors.append(problems)
            guard problems.isEmpty, let records, let ttl = ttl ?? index.map({ sets[$0].ttl }) else {
                written.append(nil)
                continue
            }
            let set = StoredSet(subname: subname, type: type, ttl: ttl, records: records)
            if let index, records.isEmpty {
                sets.remove(at: index)
            } else if let index {
                sets[index] = set
            } else if !records.isEmpty {
                sets.append(set)
            }
            written.append(records.isEmpty ? nil : set)
        }
        if errors.contains(where: { !$0.isEmpty }) {
            let objects = errors.map { problems in
                JSONValue.object(problems.map { ($0.0, .array([.string($0.1)])) })
            }
            return .json(400, bulk ? .array(objects) : objects[0])
        }
        api.edit(domain) { $0 = sets }
        let answers = written.compactMap { $0.map { Self.json($0, domain) } }
        let status = method == "POST" ? 201 : 200
        if bulk { return .json(status, .array(answers)) }
        return answers.first.map { .json(status, $0) } ?? .empty()
    }

    /// What deSEC refuses in one set, as field and message.
    private func validate(subname: String, type: String, ttl: Int?, records: [String]?, method: String)
        -> [(String, String)]
    {
        var problems: [(String, String)] = []
        if subname != subname.lowercased() || subname.hasSuffix(".") || subname.hasPrefix(".") || subname == "@" {
            problems.append(
                ("subname", "Subname can only use (lowercase) a-z, 0-9, ., -, and _, and may not end with a dot."))
        }
        let managed = ["SOA", "DNSKEY", "RRSIG", "NSEC3PARAM", "CDS", "CDNSKEY"]
        if managed.contains(type) {
            problems.append(("type", "You cannot tinker with the \(type) RR set. It is managed automatically."))
        } else if type.isEmpty || type != type.uppercased() || ["ALIAS", "DNAME"].contains(type) {
            problems.append(("type", "The \(type) RR set type is currently unsupported."))
        }
        guard let ttl else {
            problems.append(("ttl", "This field is required."))
            return problems
        }
        if ttl < minimumTTL {
            problems.append(("ttl", "Ensure this value is greater than or equal to \(minimumTTL)."))
        } else if ttl > 604_800 {
            problems.append(("ttl", "Ensure this value is less than or equal to 604800."))
        }
        guard let records else {
            problems.append(("records", "This field is required."))
            return problems
        }
        if method == "POST", records.isEmpty {
            problems.append(("records", "This field must not be empty when using POST."))
        }
        if type == "CNAME", subname.isEmpty || records.count > 1 {
            problems.append(("records", "CNAME RRset cannot have multiple records or be at the zone apex."))
        }
        for value in records {
            if type == "A", FakeRules.notIPv4(value) {
                problems.append(("records", "Record content for type A malformed: \(value)"))
            }
            if type == "TXT", value.count < 2 || !value.hasPrefix("\"") || !value.hasSuffix("\"") {
                problems.append(("records", "Record content for type TXT malformed: \(value) (must be quoted)"))
            }
            if ["CNAME", "NS", "PTR", "MX", "SRV"].contains(type), !value.hasSuffix(".") {
                problems.append(("records", "Record content for type \(type) malformed: \(value) (needs a final dot)"))
            }
        }
        return problems
    }

    private static func with(_ item: JSONValue, subname: String? = nil, type: String? = nil) -> JSONValue {
        guard case .object(var pairs) = item else { return item }
        for (key, value) in [("subname", subname), ("type", type)] {
            guard let value else { continue }
            pairs.removeAll { $0.0 == key }
            pairs.append((key, .string(value)))
        }
        return .object(pairs)
    }

    static func json(_ set: StoredSet, _ domain: String) -> JSONValue {
        .object([
            ("domain", .string(domain)), ("subname", .string(set.subname)),
            ("name", .string((set.subname.isEmpty ? "" : set.subname + ".") + domain + ".")),
            ("type", .string(set.type)), ("records", .array(set.records.map { .string($0) })), ("ttl", .int(set.ttl)),
        ])
    }

    static func detail(_ status: Int, _ text: String, headers: [String: String] = [:]) -> FakeReply {
        .json(status, .object([("detail", .string(text))]), headers: headers)
    }
}
