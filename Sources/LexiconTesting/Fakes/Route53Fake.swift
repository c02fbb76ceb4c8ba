import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// A stateful fake of Amazon Route 53's REST/XML API (2013-04-01) on loopback, written from AWS's documentation:
/// every request's Signature V4 is recomputed and checked (wrong key or secret: `SignatureDoesNotMatch` /
/// `InvalidClientTokenId`), hosted zones by name (public and private of the same name), record sets paged by
/// `NextRecordName`/`NextRecordType` (three a page), change batches with CREATE/DELETE/UPSERT validated as Route 53
/// validates them (TXT in quotes, exact sets for DELETE, CNAME conflicts), and an alias set nobody may touch.
public final class Route53Fake: @unchecked Sendable {
    /// One record set.
    public struct StoredSet: Sendable, Equatable {
        public var name: String
        public var type: String
        public var ttl: Int
        public var values: [String]
        public var alias: Bool
    }

    /// The credentials it accepts.
    public let accessKey = "AKIA" + String((0..<16).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".randomElement()! })
    public let secretKey = String(
        (0..<40).map { _ in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".randomElement()! })
    /// The hosted zones; their sets are in the store under their ids.
    private var zones: [(id: String, name: String, isPrivate: Bool)] = []
    private let api = FakeAPI<StoredSet>()

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with a public hosted zone per name, and a private one of the same name for the first.
    public init(zones names: [String]) throws {
        for (index, name) in names.enumerated() {
            let fqdn = name + "."
            let base = [
                StoredSet(
                    name: fqdn, type: "NS", ttl: 172_800, values: ["ns-1.awsdns-01.org.", "ns-2.awsdns-02.com."],
                    alias: false),
                StoredSet(
                    name: fqdn, type: "SOA", ttl: 900,
                    values: ["ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"], alias: false
                ),
                StoredSet(name: "cdn." + fqdn, type: "A", ttl: 0, values: [], alias: true),
            ]
            zones.append(("ZPUB\(index)", fqdn, false))
            api.edit("ZPUB\(index)") { $0 = base }
            if index == 0 {
                zones.append(("ZPRIV\(index)", fqdn, true))
                api.edit("ZPRIV\(index)") { $0 = base }
            }
        }
        try api.start(authorize: { [unowned self] in verify($0.http) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// Makes listings answer the first page whatever `name` and `type` ask for, as an API (or a proxy) that drops
    /// the paging parameters does.
    public func ignorePaging(_ ignored: Bool = true) { api.ignorePaging(ignored) }

    /// The sets of the public (or private) zone of a name.
    public func stored(_ zone: String, privateZone: Bool = false) -> [StoredSet] {
        api.locked { zones.first { $0.name == zone + "." && $0.isPrivate == privateZone }.map { api.stored($0.id) } }
            ?? []
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let filters = request.parameters
        let parts = request.parts
        if parts == ["2013-04-01", "hostedzonesbyname"] {
            let name = (filters["dnsname"] ?? "").lowercased()
            let list = zones.filter { name.isEmpty || $0.name == name + "." || $0.name == name }.map { zone in
                "<HostedZone><Id>/hostedzone/\(zone.id)</Id><Name>\(zone.name)</Name><CallerReference>ref</CallerReference><Config><PrivateZone>\(zone.isPrivate)</PrivateZone></Config><ResourceRecordSetCount>\(api.stored(zone.id).count)</ResourceRecordSetCount></HostedZone>"
            }.joined()
            return Self.xml(
                200,
                "<ListHostedZonesByNameResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZones>\(list)</HostedZones><DNSName>\(name)</DNSName><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>"
            )
        }
        guard parts.count == 4, parts[0] == "2013-04-01", parts[1] == "hostedzone", parts[3] == "rrset",
            let index = zones.firstIndex(where: { $0.id == parts[2] })
        else {
            return Self.error(
                404, "NoSuchHostedZone", "No hosted zone found with ID: \(parts.count > 2 ? parts[2] : "")")
        }
        if request.method == "GET" {
            let sorted = api.stored(zones[index].id).sorted { ($0.name, $0.type) < ($1.name, $1.type) }
            let cursor = filters["name"].map { name in
                { (set: StoredSet) in (set.name, set.type) >= (name, filters["type"] ?? "") }
            }
            let size = min(3, request.int("maxitems") ?? 3)
            let (page, next) = api.page(sorted, from: cursor, limit: size)
            let sets = page.map { set -> String in
                if set.alias {
                    return
                        "<ResourceRecordSet><Name>\(set.name)</Name><Type>\(set.type)</Type><AliasTarget><HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId><DNSName>d111.cloudfront.net.</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget></ResourceRecordSet>"
                }
                let values = set.values.map {
                    "<ResourceRecord><Value>\(XMLElement.escape($0))</Value></ResourceRecord>"
                }.joined()
                return
                    "<ResourceRecordSet><Name>\(set.name)</Name><Type>\(set.type)</Type><TTL>\(set.ttl)</TTL><ResourceRecords>\(values)</ResourceRecords></ResourceRecordSet>"
            }.joined()
            var tail = "<IsTruncated>\(next != nil)</IsTruncated><MaxItems>\(size)</MaxItems>"
            if let next {
                tail += "<NextRecordName>\(next.name)</NextRecordName><NextRecordType>\(next.type)</NextRecordType>"
            }
            return Self.xml(
                200,
                "<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>\(sets)</ResourceRecordSets>\(tail)</ListResourceRecordSetsResponse>"
            )
        }
        guard request.method == "POST", let body = request.http.body, let root = try? XMLElement(parsing: body),
            root.name == "ChangeResourceRecordSetsRequest", let changes = root.find("Changes")?.all("Change"),
            !changes.isEmpty
        else { return Self.error(400, "MalformedInput", "Could not parse the change batch") }
        var sets = api.stored(zones[index].id)
        for change in changes {
            guard let action = change.child("Action")?.text, let set = change.child("ResourceRecordSet"),
                var name = set.child("Name")?.text.lowercased(), let type = set.child("Type")?.text
            else { return Self.error(400, "InvalidInput", "A change lacks Action, Name or Type") }
            if !name.hasSuffix(".") { name += "." }
            guard name == zones[index].name || name.hasSuffix("." + zones[index].name) else {
                return Self.error(
                    400, "InvalidChangeBatch",
                    "RRSet with DNS name \(name) is not permitted in zone \(zones[index].name)")
            }
            let ttl = Int(set.child("TTL")?.text ?? "") ?? -1
            let values = (set.child("ResourceRecords")?.all("ResourceRecord") ?? []).compactMap {
                $0.child("Value")?.text
            }
            let existing = sets.firstIndex { $0.name == name && $0.type == type }
            if let existing, sets[existing].alias {
                return Self.error(
                    400, "InvalidChangeBatch", "Tried to change an alias set \(name) without its AliasTarget")
            }
            switch action {
            case "DELETE":
                guard let existing, sets[existing].ttl == ttl, Set(sets[existing].values) == Set(values) else {
                    return Self.error(
                        400, "InvalidChangeBatch",
                        "Tried to delete resource record set [name='\(name)', type='\(type)'] but the values provided do not match the current values"
                    )
                }
                sets.remove(at: existing)
            case "CREATE", "UPSERT":
                if action == "CREATE" && existing != nil {
                    return Self.error(
                        400, "InvalidChangeBatch",
                        "Tried to create resource record set [name='\(name)', type='\(type)'] but it already exists")
                }
                guard ttl >= 0, !values.isEmpty else {
                    return Self.error(400, "InvalidInput", "TTL and ResourceRecords are required")
                }
                for value in values {
                    if type == "TXT" && !(value.hasPrefix("\"") && value.hasSuffix("\"")) {
                        return Self.error(
                            400, "InvalidChangeBatch",
                            "Invalid Resource Record: FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '\(value)'"
                        )
                    }
                    if type == "A", FakeRules.notIPv4(value) {
                        return Self.error(
                            400, "InvalidChangeBatch",
                            "Invalid Resource Record: FATAL problem: ARRDATAIllegalIPv4Address encountered with '\(value)'"
                        )
                    }
                }
                let others = sets.filter { $0.name == name && $0.type != type }
                if FakeRules.cnameConflict(type, with: others.map(\.type)) {
                    return Self.error(
                        400, "InvalidChangeBatch",
                        "RRSet of type \(type) with DNS name \(name) is not permitted as it conflicts with other records with the same DNS name in zone \(zones[index].name)"
                    )
                }
                let new = StoredSet(name: name, type: type, ttl: ttl, values: values, alias: false)
                if let existing { sets[existing] = new } else { sets.append(new) }
            default:
                return Self.error(400, "InvalidInput", "Unknown action \(action)")
            }
        }
        api.edit(zones[index].id) { $0 = sets }
        return Self.xml(
            200,
            "<ChangeResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeInfo><Id>/change/C\(UInt32.random(in: 0...UInt32.max))</Id><Status>PENDING</Status><SubmittedAt>2026-01-01T00:00:00.000Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>"
        )
    }

    /// Recomputes the request's Signature V4 with the fake's secret.
    private func verify(_ request: HTTPRequest) -> FakeReply? {
        guard let authorization = request.header("authorization"), let amzDate = request.header("x-amz-date") else {
            return Self.error(403, "MissingAuthenticationToken", "Missing Authentication Token")
        }
        guard authorization.contains("Credential=\(accessKey)/") else {
            return Self.error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        }
        let signer = AWSSignatureV4(accessKey: accessKey, secretKey: secretKey, region: "us-east-1", service: "route53")
        let unsigned = HTTPRequest(method: request.method, url: request.url, headers: [], body: request.body)
        let expected = signer.sign(unsigned, amzDate: amzDate).headers.first { $0.name == "Authorization" }?.value
        guard expected == authorization else {
            return Self.error(
                403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.")
        }
        return nil
    }

    static func xml(_ status: Int, _ body: String) -> FakeReply { .text(status, "<?xml version=\"1.0\"?>\n" + body) }

    static func error(_ status: Int, _ code: String, _ message: String) -> FakeReply {
        xml(
            status,
            "<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(XMLElement.escape(message))</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
        )
    }
}
