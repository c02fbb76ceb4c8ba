import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Oracle Cloud Infrastructure DNS (API 20180115) on loopback, written from OCI's API reference
/// and its request-signature documentation: every request signed with the account's RSA key (keyId
/// `tenancy/user/fingerprint`, the headers OCI requires for the method, `x-content-sha256` and `content-length`
/// matching the body, a `date` within five minutes; 401 `NotAuthenticated` otherwise), zones by name (404
/// `NotAuthorizedOrNotFound`), records listed two a page with `opc-next-page`, filtered by `domain` and `rtype`, and
/// changed by `PATCH` operations (`ADD`, `REMOVE` by `recordHash` or by value) applied all or none: rdata must be
/// valid for its type, names inside the zone, protected records (SOA, apex NS) stay, and a CNAME stands alone.
public final class OCIFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable {
        /// The FQDN, without the final dot.
        public var domain: String
        public var rtype: String
        /// Presentation format, as OCI normalizes it.
        public var rdata: String
        public var ttl: Int
        public var isProtected: Bool
        public var hash: String {
            Digest.hex(Digest.hash(.sha256, Array("\(domain)|\(rtype)|\(rdata)|\(ttl)".utf8))).prefix(32).description
        }
    }

    /// An RSA private key (PKCS#8 PEM) made by the openssl command on first use, once per process.
    public static let generatedKey: String = {
        let openssl = CommandRunner.which("openssl") ?? "/usr/bin/openssl"
        return CommandRunner.runBlocking(
            openssl, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        ).stdout
    }()

    /// The tenancy's OCID.
    public let tenancy = "ocid1.tenancy.oc1..aaaalexicontenancy"
    /// The user's OCID.
    public let user = "ocid1.user.oc1..aaaalexiconuser"
    /// The fingerprint of the user's API key.
    public let fingerprint = "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0"
    /// The user's API signing key (PEM).
    public let privateKey: String
    /// The records a listing page holds at most (OCI's pages are larger).
    public let pageSize = 2
    private let signer: RSASigner
    private var version = 1
    private let api = FakeAPI<StoredRecord>()

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/20180115" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with zones, each with its protected SOA and NS records.
    public init(zones names: [String], privateKey: String = OCIFake.generatedKey) throws {
        self.privateKey = privateKey
        signer = try RSASigner(pem: privateKey, option: "fake key")
        for name in names {
            let ns = ["ns1.p68.dns.oraclecloud.net.", "ns2.p68.dns.oraclecloud.net."]
            api.edit(name) {
                $0 =
                    [
                        StoredRecord(
                            domain: name, rtype: "SOA",
                            rdata: "\(ns[0]) hostmaster.oracle.com. 1 3600 600 604800 1800", ttl: 300, isProtected: true
                        )
                    ] + ns.map { StoredRecord(domain: name, rtype: "NS", rdata: $0, ttl: 86400, isProtected: true) }
            }
        }
        try api.start(authorize: { [unowned self] in verify($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// Makes listings answer the first page whatever `page` asks for.
    public func ignorePaging() { api.ignorePaging() }

    /// The key id the fake's account signs with.
    public var keyID: String { "\(tenancy)/\(user)/\(fingerprint)" }

    // MARK: - Signature

    private func verify(_ request: FakeRequest) -> FakeReply? {
        guard let header = request.header("authorization"), header.hasPrefix("Signature ") else {
            return Self.error(
                401, "NotAuthenticated", "The required information to complete authentication was not provided.")
        }
        var fields: [String: String] = [:]
        for part in header.dropFirst("Signature ".count).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[1].hasPrefix("\""), pair[1].hasSuffix("\""), pair[1].count >= 2 else {
                continue
            }
            fields[String(pair[0])] = String(pair[1].dropFirst().dropLast())
        }
        guard fields["version"] == "1", fields["algorithm"] == "rsa-sha256", fields["keyId"] == keyID,
            let names = fields["headers"]?.split(separator: " ").map(String.init), let signature = fields["signature"]
        else { return Self.error(401, "NotAuthenticated", "The Authorization header is not valid.") }
        let required = HTTPSignature.signedHeaders(method: request.method)
        guard Set(required).isSubset(of: Set(names)) else {
            return Self.error(401, "NotAuthenticated", "The signature does not cover the required headers.")
        }
        let body = request.http.body ?? []
        guard let dateText = request.header("date"), let date = Self.parse(dateText),
            abs(date - Date().timeIntervalSince1970) <= 300
        else { return Self.error(401, "NotAuthenticated", "The Date header is missing or more than 5 minutes off.") }
        if names.contains("x-content-sha256") {
            guard request.header("x-content-sha256") == Base64.encode(Digest.hash(.sha256, body)),
                request.header("content-length") == String(body.count)
            else { return Self.error(401, "NotAuthenticated", "The body does not match x-content-sha256.") }
        }
        let values = names.map { name -> String in
            name == "(request-target)"
                ? request.method.lowercased() + " " + request.http.path : request.header(name) ?? ""
        }
        let text = HTTPSignature.signingString(names: names, values: values)
        guard let expected = try? signer.sign(Array(text.utf8), digest: .sha256), Base64.encode(expected) == signature
        else {
            return Self.error(
                401, "NotAuthenticated",
                "The required information to complete authentication was not provided or was incorrect.")
        }
        return nil
    }

    private static func parse(_ date: String) -> Double? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: date)?.timeIntervalSince1970
    }

    // MARK: - Routes

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts[0] == "20180115", parts[1] == "zones" else {
            return Self.error(404, "NotFound", "Not found.")
        }
        let zone = parts[2].lowercased()
        guard let records = api.records(zone) else {
            return Self.error(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.")
        }
        switch (request.method, parts.count) {
        case ("GET", 3):
            return .json(
                200,
                .object([
                    ("name", .string(zone)), ("id", .string("ocid1.dns-zone.oc1..\(zone)")),
                    ("zoneType", .string("PRIMARY")),
                    ("scope", .string("GLOBAL")), ("lifecycleState", .string("ACTIVE")),
                ]))
        case ("GET", 4) where parts[3] == "records":
            return list(records, request)
        case ("PATCH", 4) where parts[3] == "records":
            return patch(zone, request)
        default:
            return Self.error(405, "MethodNotAllowed", "Method not allowed.")
        }
    }

    private func list(_ records: [StoredRecord], _ request: FakeRequest) -> FakeReply {
        let parameters = request.parameters
        let limit = request.int("limit") ?? 50
        guard (1...100).contains(limit) else { return Self.error(400, "InvalidParameter", "limit must be 1 to 100.") }
        let matching = records.filter { record in
            parameters["domain"].map { $0.lowercased() == record.domain } ?? true
                && parameters["rtype"].map { $0 == record.rtype } ?? true
        }
        var offset = 0
        if let page = parameters["page"] {
            guard page.hasPrefix("p-"), let number = Int(page.dropFirst(2)) else {
                return Self.error(400, "InvalidParameter", "The page token is not valid.")
            }
            offset = number
        }
        let size = min(limit, pageSize)
        let items = api.page(matching, offset: offset, limit: size)
        let start = api.pagingIgnored ? 0 : offset
        var headers: [String: String] = ["opc-request-id": String(UInt32.random(in: 0...UInt32.max), radix: 16)]
        if start + size < matching.count { headers["opc-next-page"] = "p-\(start + size)" }
        return .json(200, .object([("items", .array(items.map(json)))]), headers: headers)
    }

    private func patch(_ zone: String, _ request: FakeRequest) -> FakeReply {
        guard let operations = request.jsonObject?["items"]?.array else {
            return Self.error(400, "InvalidParameter", "The body must hold items.")
        }
        var records = api.stored(zone)
        for operation in operations {
            switch operation["operation"]?.string {
            case "ADD":
                guard let domain = operation["domain"]?.string?.lowercased(), let rtype = operation["rtype"]?.string,
                    let rdata = operation["rdata"]?.string, let ttl = operation["ttl"]?.int
                else { return Self.error(400, "InvalidParameter", "ADD needs domain, rtype, rdata and ttl.") }
                guard domain == zone || domain.hasSuffix("." + zone), !domain.hasSuffix(".") else {
                    return Self.error(400, "InvalidParameter", "The domain \(domain) is not in the zone.")
                }
                guard (1...604_800).contains(ttl) else {
                    return Self.error(400, "InvalidParameter", "ttl must be between 1 and 604800.")
                }
                guard let normalized = Self.normalize(rtype, rdata) else {
                    return Self.error(400, "InvalidParameter", "The rdata is not valid for a \(rtype) record.")
                }
                let record = StoredRecord(domain: domain, rtype: rtype, rdata: normalized, ttl: ttl, isProtected: false)
                let others = records.filter { $0.domain == domain && !($0.rtype == rtype && $0.rdata == normalized) }
                if FakeRules.cnameConflict(rtype, with: others.map(\.rtype)) {
                    return Self.error(400, "InvalidParameter", "A CNAME record cannot coexist with other records.")
                }
                records.removeAll { $0.domain == domain && $0.rtype == rtype && $0.rdata == normalized }
                records.append(record)
            case "REMOVE":
                let doomed: (StoredRecord) -> Bool
                if let hash = operation["recordHash"]?.string {
                    doomed = { $0.hash == hash }
                } else if let domain = operation["domain"]?.string?.lowercased(),
                    let rtype = operation["rtype"]?.string,
                    let rdata = operation["rdata"]?.string
                {
                    let normalized = Self.normalize(rtype, rdata) ?? rdata
                    doomed = { $0.domain == domain && $0.rtype == rtype && $0.rdata == normalized }
                } else {
                    return Self.error(400, "InvalidParameter", "REMOVE needs a recordHash or domain, rtype and rdata.")
                }
                if records.contains(where: { doomed($0) && $0.isProtected }) {
                    return Self.error(400, "InvalidParameter", "Protected records cannot be removed.")
                }
                records.removeAll(where: doomed)
            default:
                return Self.error(400, "InvalidParameter", "operation must be ADD or REMOVE.")
            }
        }
        api.edit(zone) { $0 = records }
        version += 1
        return .json(200, .object([("items", .array(records.prefix(pageSize).map(json)))]))
    }

    /// The rdata as OCI stores it (TXT quoted, names with their final dot), or nil when it is not valid.
    static func normalize(_ rtype: String, _ rdata: String) -> String? {
        guard !rdata.isEmpty else { return nil }
        switch rtype {
        case "A": return FakeRules.notIPv4(rdata) ? nil : rdata
        case "AAAA": return (try? RecordContent.normalize(type: .aaaa, content: rdata)) == nil ? nil : rdata
        case "TXT": return rdata.hasPrefix("\"") ? rdata : "\"" + rdata + "\""
        case "CNAME", "NS": return rdata.contains(" ") ? nil : RecordPresentation.fqdn(rdata)
        case "MX":
            let fields = rdata.split(separator: " ")
            guard fields.count == 2, Int(fields[0]) != nil else { return nil }
            return "\(fields[0]) \(RecordPresentation.fqdn(String(fields[1])))"
        case "SRV":
            let fields = rdata.split(separator: " ")
            guard fields.count == 4, fields.prefix(3).allSatisfy({ Int($0) != nil }) else { return nil }
            return fields.prefix(3).joined(separator: " ") + " " + RecordPresentation.fqdn(String(fields[3]))
        case "CAA":
            return rdata.split(separator: " ").count >= 3 ? rdata : nil
        default:
            return nil
        }
    }

    private func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("domain", .string(record.domain)), ("rtype", .string(record.rtype)), ("rdata", .string(record.rdata)),
            ("ttl", .int(record.ttl)), ("recordHash", .string(record.hash)), ("isProtected", .bool(record.isProtected)),
            ("rrsetVersion", .string(String(version))),
        ])
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> FakeReply {
        .json(status, .object([("code", .string(code)), ("message", .string(message))]))
    }
}
