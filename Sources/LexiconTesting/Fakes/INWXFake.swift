import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of INWX's DomRobot XML-RPC API on loopback, written from INWX's API documentation: `POST`s of a
/// `<methodCall>` with one struct, answered by a `<methodResponse>` struct `{code, msg, resData}` (1000 done, the
/// EPP-style 2xxx codes for errors) or a `<fault>` for a body that is not a call. `account.login` sets a `domrobot`
/// session cookie that expires; with two-factor login the session stays locked until `account.unlock` gets the
/// current TOTP code (each code once). `nameserver.info` lists records with FQDN names (narrowed by type, name and
/// content); `createRecord` takes a relative name or an FQDN, the priority in `prio`, TTLs of at least 300 seconds,
/// refuses duplicates (2302) and CNAME conflicts (2308); `updateRecord` and `deleteRecord` go by id.
public final class INWXFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        /// The FQDN, lower-case, without a final dot.
        public var name: String
        public var type: String
        public var content: String
        public var ttl: Int
        public var prio: Int
    }

    private struct Session {
        var expires: Date
        var unlocked: Bool
    }

    /// The username it accepts.
    public let username = "lexicon-user"
    /// The password it accepts.
    public let password = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// The TOTP secret (base32) of the account's two-factor login; nil when the account has none.
    public let sharedSecret: String?
    /// How long a session lasts after the login.
    public let sessionLifetime: TimeInterval
    private var sessions: [String: Session] = [:]
    private var usedTANs: Set<String> = []
    private let api: FakeAPI<StoredRecord>

    /// The URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/xmlrpc/" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (each with INWX's NS records).
    /// - Parameters:
    ///   - domains: The account's domains.
    ///   - twoFactor: Whether the account has two-factor login.
    ///   - sessionLifetime: How long a session lasts.
    public init(domains names: [String], twoFactor: Bool = false, sessionLifetime: TimeInterval = 1800) throws {
        sharedSecret = twoFactor ? "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" : nil
        self.sessionLifetime = sessionLifetime
        var zones: [String: [StoredRecord]] = [:]
        var id = 1000
        for name in names {
            zones[name] = ["ns.inwx.de", "ns2.inwx.de", "ns3.inwx.eu"].map { server in
                id += 1
                return StoredRecord(id: id, name: name, type: "NS", content: server, ttl: 86400, prio: 0)
            }
        }
        api = FakeAPI(zones: zones, firstID: id + 1)
        try api.start { [unowned self] in route($0) }
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Ends every session, as their expiry does.
    public func expireSessions() { api.locked { sessions.removeAll() } }

    static let types = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "SSHFP", "TLSA", "TXT"]

    private func route(_ request: FakeRequest) -> FakeReply {
        guard request.parts == ["xmlrpc"] else { return .text(404, "Not Found", contentType: "text/plain") }
        guard request.method == "POST" else { return .text(405, "Method Not Allowed", contentType: "text/plain") }
        guard let (method, params) = XMLRPC.call(request.http.body ?? []) else {
            return Self.fault(-32700, "parse error. not well formed")
        }
        let input = params.first ?? .structure([])
        guard params.count <= 1, input.members != nil else {
            return Self.fault(-32602, "server error. invalid method parameters")
        }
        switch method {
        case "account.login": return login(input)
        case "account.unlock": return unlock(input, session: sessionID(request))
        case "account.logout":
            if let id = sessionID(request) { sessions[id] = nil }
            return Self.answer(1500, "Command completed successfully; ending session")
        default: break
        }
        guard let id = sessionID(request), let session = sessions[id], session.expires > Date(), session.unlocked else {
            return Self.answer(2002, "Command use error")
        }
        switch method {
        case "nameserver.info": return info(input)
        case "nameserver.createRecord": return create(input)
        case "nameserver.updateRecord": return update(input)
        case "nameserver.deleteRecord": return delete(input)
        default: return Self.answer(2000, "Unknown command")
        }
    }

    private func sessionID(_ request: FakeRequest) -> String? {
        request.header("cookie")?.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("domrobot=") }.map { String($0.dropFirst("domrobot=".count)) }
    }

    // MARK: - Account

    private func login(_ input: XMLRPCValue) -> FakeReply {
        guard let user = input["user"]?.string, let pass = input["pass"]?.string else {
            return Self.answer(2003, "Required parameter missing")
        }
        guard user == username && pass == password else { return Self.answer(2200, "Authentication error") }
        let id =
            String(UInt64.random(in: 0...UInt64.max), radix: 16) + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        sessions[id] = Session(expires: Date().addingTimeInterval(sessionLifetime), unlocked: sharedSecret == nil)
        let data: XMLRPCValue = .structure([
            ("customerId", .int(1234)), ("accountId", .int(5678)),
            ("tfa", .string(sharedSecret == nil ? "0" : "GOOGLE-AUTH")), ("builddate", .string("2025-01-01")),
            ("version", .string("1.0")),
        ])
        return Self.answer(
            1000, "Command completed successfully", data,
            headers: ["set-cookie": "domrobot=\(id); path=/; secure; HttpOnly"])
    }

    private func unlock(_ input: XMLRPCValue, session id: String?) -> FakeReply {
        guard let id, let session = sessions[id], session.expires > Date() else {
            return Self.answer(2002, "Command use error")
        }
        guard let tan = input["tan"]?.string else { return Self.answer(2003, "Required parameter missing") }
        guard let sharedSecret, let totp = try? TOTP(base32: sharedSecret, option: "secret") else {
            return Self.answer(2002, "Command use error")
        }
        let now = Int(Date().timeIntervalSince1970)
        // The current code and the one before it count, each once.
        guard [now, now - 30].map(totp.code(at:)).contains(tan), !usedTANs.contains(tan) else {
            return Self.answer(2200, "Authentication error")
        }
        usedTANs.insert(tan)
        sessions[id]?.unlocked = true
        return Self.answer(1000, "Command completed successfully")
    }

    // MARK: - Nameserver

    private func info(_ input: XMLRPCValue) -> FakeReply {
        guard let domain = input["domain"]?.string?.lowercased() else {
            return Self.answer(2003, "Required parameter missing")
        }
        guard var records = api.records(domain) else { return Self.answer(2303, "Object does not exist") }
        if let type = input["type"]?.string { records = records.filter { $0.type == type.uppercased() } }
        if let name = input["name"]?.string { records = records.filter { $0.name == Self.fqdn(name, in: domain) } }
        if let content = input["content"]?.string { records = records.filter { $0.content == content } }
        var data: [(String, XMLRPCValue)] = [
            ("roId", .int(1)), ("domain", .string(domain)), ("type", .string("MASTER")), ("count", .int(records.count)),
        ]
        // INWX leaves `record` out when nothing matches.
        if !records.isEmpty { data.append(("record", .array(records.map(Self.value)))) }
        return Self.answer(1000, "Command completed successfully", .structure(data))
    }

    private func create(_ input: XMLRPCValue) -> FakeReply {
        guard let domain = input["domain"]?.string?.lowercased(), let type = input["type"]?.string?.uppercased(),
            let content = input["content"]?.string
        else { return Self.answer(2003, "Required parameter missing") }
        guard api.records(domain) != nil else { return Self.answer(2303, "Object does not exist") }
        let record = StoredRecord(
            id: 0, name: Self.fqdn(input["name"]?.string ?? "", in: domain), type: type, content: content,
            ttl: input["ttl"]?.int ?? 3600, prio: input["prio"]?.int ?? 0)
        if let refusal = refusal(record, in: domain) { return refusal }
        var saved = record
        saved.id = api.nextID()
        api.save(saved, in: domain)
        return Self.answer(1000, "Command completed successfully", .structure([("id", .int(saved.id))]))
    }

    private func update(_ input: XMLRPCValue) -> FakeReply {
        guard let id = input["id"]?.int ?? input["id"]?.array?.first?.int else {
            return Self.answer(2003, "Required parameter missing")
        }
        guard let (domain, existing) = find(id) else { return Self.answer(2303, "Object does not exist") }
        var record = existing
        if let name = input["name"]?.string { record.name = Self.fqdn(name, in: domain) }
        if let type = input["type"]?.string { record.type = type.uppercased() }
        if let content = input["content"]?.string { record.content = content }
        if let ttl = input["ttl"]?.int { record.ttl = ttl }
        if let prio = input["prio"]?.int { record.prio = prio }
        if let refusal = refusal(record, in: domain) { return refusal }
        api.save(record, in: domain)
        return Self.answer(1000, "Command completed successfully")
    }

    private func delete(_ input: XMLRPCValue) -> FakeReply {
        guard let id = input["id"]?.int else { return Self.answer(2003, "Required parameter missing") }
        guard let (domain, _) = find(id) else { return Self.answer(2303, "Object does not exist") }
        api.remove(domain, id: id)
        return Self.answer(1000, "Command completed successfully")
    }

    private func find(_ id: Int) -> (String, StoredRecord)? {
        for domain in api.zoneKeys {
            if let record = api.record(domain, id: id) { return (domain, record) }
        }
        return nil
    }

    /// Why INWX refuses a record, as its answer; nil when it takes it.
    private func refusal(_ record: StoredRecord, in domain: String) -> FakeReply? {
        guard Self.types.contains(record.type) else { return Self.answer(2005, "Parameter value syntax error") }
        guard record.name == domain || record.name.hasSuffix("." + domain), !record.name.contains(" ") else {
            return Self.answer(2005, "Parameter value syntax error")
        }
        guard record.ttl >= 300 && record.ttl <= 864_000 else {
            return Self.answer(2004, "Parameter value range error")
        }
        guard !record.content.isEmpty else { return Self.answer(2005, "Parameter value syntax error") }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.content):
            return Self.answer(2005, "Parameter value syntax error")
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.content)) == nil:
            return Self.answer(2005, "Parameter value syntax error")
        case "SRV":
            let fields = record.content.split(separator: " ")
            guard fields.count == 3, Int(fields[0]) != nil, Int(fields[1]) != nil else {
                return Self.answer(2005, "Parameter value syntax error")
            }
        case "CNAME", "MX", "NS":
            if record.content.contains(" ") { return Self.answer(2005, "Parameter value syntax error") }
        default:
            break
        }
        let others = api.stored(domain).filter { $0.id != record.id && $0.name == record.name }
        if others.contains(where: { $0.type == record.type && $0.content == record.content }) {
            return Self.answer(2302, "Object exists")
        }
        if FakeRules.cnameConflict(record.type, with: others.map(\.type)) {
            return Self.answer(2308, "Data management policy violation")
        }
        return nil
    }

    /// The FQDN of a name INWX takes relative to the domain or whole (empty for the apex).
    static func fqdn(_ name: String, in domain: String) -> String {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name.isEmpty || name == "@" || name == domain { return domain }
        return name.hasSuffix("." + domain) ? name : name + "." + domain
    }

    static func value(_ record: StoredRecord) -> XMLRPCValue {
        .structure([
            ("id", .int(record.id)), ("name", .string(record.name)), ("type", .string(record.type)),
            ("content", .string(record.content)), ("ttl", .int(record.ttl)), ("prio", .int(record.prio)),
        ])
    }

    static func answer(_ code: Int, _ message: String, _ data: XMLRPCValue? = nil, headers: [String: String] = [:])
        -> FakeReply
    {
        var members: [(String, XMLRPCValue)] = [("code", .int(code)), ("msg", .string(message))]
        if let data { members.append(("resData", data)) }
        return .respond(
            HTTPResponse(
                status: 200, headers: headers.merging(["content-type": "text/xml; charset=UTF-8"]) { mine, _ in mine },
                body: XMLRPC.answer(.structure(members))))
    }

    static func fault(_ code: Int, _ message: String) -> FakeReply {
        .respond(
            HTTPResponse(
                status: 200, headers: ["content-type": "text/xml; charset=UTF-8"],
                body: XMLRPC.answer(RPCFault(code: code, message: message))))
    }
}
