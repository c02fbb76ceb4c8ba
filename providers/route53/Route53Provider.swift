import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Amazon Route 53 through its REST/XML API (2013-04-01) signed with AWS Signature V4: the hosted zone found by
/// name (public, or private with `--private-zone`) or given by `--zone-id`, every page of the record sets
/// (`IsTruncated`, `NextRecordName`, `NextRecordType`), and each set written conditionally (a `DELETE` of the set
/// as read and a `CREATE`, in one change batch) or removed with a `DELETE` of the set as read. Alias sets are listed
/// by nobody and never touched.
public actor Route53Provider: RecordSetAPI {
    public static let descriptor = ProviderDescriptor(
        name: "route53",
        summary: "Amazon Route 53 (public or private hosted zones) with an access key.",
        options: [
            ProviderOption(
                "auth_access_key", help: "The AWS access key id.", isRequired: true, isSecret: false, valueName: "KEY"),
            ProviderOption("auth_access_secret", help: "The AWS secret access key.", isRequired: true),
            ProviderOption("auth_session_token", help: "A session token, for temporary credentials."),
            ProviderOption(
                "private_zone", help: "Use the private hosted zone of that name, not the public one.", isFlag: true),
            ProviderOption(
                "zone_id", help: "The hosted zone id (skips the lookup by name).", isSecret: false, valueName: "ID"),
            .apiEndpoint(Route53Provider.endpoint),
        ],
        nameserverPatterns: ["*.awsdns-*.com", "*.awsdns-*.net", "*.awsdns-*.org", "*.awsdns-*.co.uk"],
        defaultEndpoint: Route53Provider.endpoint,
        usesHTTP: true, writeShape: .recordSets,
        factory: { try Route53Provider(context: $0) })

    static let endpoint = "https://route53.amazonaws.com"
    static let namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let base: String
    private let signer: AWSSignatureV4
    private let privateZone: Bool
    private var zoneID: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        base = context.endpoint(default: Self.endpoint)
        signer = AWSSignatureV4(
            accessKey: try context.requiredOption("auth_access_key"),
            secretKey: try context.requiredOption("auth_access_secret"), region: "us-east-1", service: "route53",
            sessionToken: context.option("auth_session_token"))
        privateZone = context.flag("private_zone")
        zoneID = context.option("zone_id").map { $0.hasPrefix("/hostedzone/") ? String($0.dropFirst(12)) : $0 }
    }

    public func authenticate() async throws { _ = try await zone() }

    private func zone() async throws -> String {
        if let zoneID { return zoneID }
        let root = try await call(
            "GET",
            "/2013-04-01/hostedzonesbyname?" + URLQuery.encode([("dnsname", context.zone), ("maxitems", "100")]),
            operation: "find the hosted zone")
        let zones = root.child("HostedZones")?.all("HostedZone") ?? []
        let match = zones.first { zone in
            RecordPresentation.bare(Substring(zone.child("Name")?.text ?? "")) == context.zone
                && (zone.child("Config")?.child("PrivateZone")?.text == "true") == privateZone
        }
        guard let id = match?.child("Id")?.text else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "route53",
                hint:
                    "The account has no \(privateZone ? "private" : "public") hosted zone of that name\(privateZone ? "" : " (add --private-zone for a private one)")."
            )
        }
        let bare = id.hasPrefix("/hostedzone/") ? String(id.dropFirst(12)) : id
        zoneID = bare
        return bare
    }

    public func fetchSets() async throws -> [RecordSet] {
        let zone = try await zone()
        var sets: [RecordSet] = []
        var next: [(String, String)] = []
        var pages = PageGuard(
            provider: "route53", service: "Route 53", operation: "list record sets", parameters: "name, type")
        while true {
            let root = try await call(
                "GET", "/2013-04-01/hostedzone/\(zone)/rrset?" + URLQuery.encode([("maxitems", "300")] + next),
                operation: "list record sets")
            guard let list = root.child("ResourceRecordSets") else {
                throw LexiconError(
                    .provider, "list record sets: Route 53's answer has no record sets.", provider: "route53")
            }
            let page = list.all("ResourceRecordSet")
            let fingerprint = page.map { "\($0.child("Name")?.text ?? "")|\($0.child("Type")?.text ?? "")|" }.joined()
            try pages.read(
                fingerprint: Array(fingerprint.utf8) + Array((root.child("NextRecordName")?.text ?? "").utf8),
                count: page.count)
            for set in page where set.child("AliasTarget") == nil {
                guard let rawName = set.child("Name")?.text, let typeText = set.child("Type")?.text else { continue }
                let name = RecordPresentation.bare(
                    Substring(
                        rawName.split(separator: "\\052", omittingEmptySubsequences: false).joined(separator: "*")))
                let type = RecordType(rawValue: typeText)
                let ttl = Int(set.child("TTL")?.text ?? "") ?? context.defaultTTL
                let values = (set.child("ResourceRecords")?.all("ResourceRecord") ?? []).compactMap {
                    $0.child("Value")?.text
                }
                let records = values.map { value in
                    let parsed = RecordPresentation.content(of: value, type: type)
                    return Record(type: type, name: name, ttl: ttl, content: parsed.content, priority: parsed.priority)
                }
                sets.append(RecordSet(name: name, type: type, ttl: ttl, records: records, rawValues: values))
            }
            guard root.child("IsTruncated")?.text == "true", let name = root.child("NextRecordName")?.text else {
                break
            }
            next = [("name", name)]
            if let type = root.child("NextRecordType")?.text { next.append(("type", type)) }
        }
        return sets
    }

    /// Writes a set conditionally: a DELETE of the set exactly as read and a CREATE of the new one in one change
    /// batch, which Route 53 applies all or nothing. When another writer changed the set since it was read, the
    /// DELETE no longer matches, the batch fails, and the write is merged again from a fresh read.
    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        var changes: [Change] = []
        if let current { changes.append(Change(action: "DELETE", set: current)) }
        changes.append(
            Change(action: "CREATE", name: name, type: type, ttl: ttl, values: values.map(RecordPresentation.rdata)))
        try await change(changes, operation: "write the \(type) set of \(name)")
    }

    public func deleteSet(_ set: RecordSet) async throws {
        // Route 53 deletes a set only when given exactly what it holds: the set as read.
        try await change([Change(action: "DELETE", set: set)], operation: "delete the \(set.type) set of \(set.name)")
    }

    /// One change of a batch.
    struct Change {
        var action: String
        var name: String
        var type: RecordType
        var ttl: Int
        var values: [String]

        init(action: String, name: String, type: RecordType, ttl: Int, values: [String]) {
            (self.action, self.name, self.type, self.ttl, self.values) = (action, name, type, ttl, values)
        }

        /// A change naming a set exactly as it was read.
        init(action: String, set: RecordSet) {
            let values = set.rawValues.isEmpty ? set.records.map(RecordPresentation.rdata) : set.rawValues
            self.init(action: action, name: set.name, type: set.type, ttl: set.ttl, values: values)
        }

        var xml: String {
            let records = values.map { "<ResourceRecord><Value>\(XMLElement.escape($0))</Value></ResourceRecord>" }
            return "<Change><Action>\(action)</Action><ResourceRecordSet>"
                + "<Name>\(XMLElement.escape(RecordPresentation.fqdn(name)))</Name><Type>\(type.rawValue)</Type>"
                + "<TTL>\(ttl)</TTL><ResourceRecords>\(records.joined())</ResourceRecords></ResourceRecordSet></Change>"
        }
    }

    func change(_ changes: [Change], operation: String) async throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="\(Self.namespace)"><ChangeBatch>\
            <Comment>lexicon</Comment><Changes>\(changes.map(\.xml).joined())</Changes></ChangeBatch>\
            </ChangeResourceRecordSetsRequest>
            """
        _ = try await call(
            "POST", "/2013-04-01/hostedzone/\(try await zone())/rrset/", body: Array(body.utf8), operation: operation)
    }

    private func call(_ method: String, _ path: String, body: [UInt8]? = nil, operation: String) async throws
        -> XMLElement
    {
        var request = HTTPRequest(method: method, url: base + path, headers: [], body: body)
        if body != nil { request.headers.append(HTTPHeader("Content-Type", "application/xml")) }
        let response = try await transport.send(signer.sign(request, amzDate: RequestDate.compact(RequestDate.now())))
        let root = try? XMLElement(parsing: response.body)
        if (200..<300).contains(response.status), let root { return root }
        let code = root?.find("Code")?.text ?? ""
        let message = root?.find("Message")?.text ?? ""
        if [
            "SignatureDoesNotMatch", "InvalidClientTokenId", "AccessDenied", "IncompleteSignature",
            "MissingAuthenticationToken", "UnrecognizedClientException", "ExpiredToken",
        ].contains(code)
            || response.status == 401 || response.status == 403
        {
            throw LexiconError(
                .authentication,
                "authentication failed (\(code.isEmpty ? "HTTP \(response.status)" : code)) to \(operation); the key needs route53 permissions.",
                provider: "route53",
                hint:
                    "Check --auth-access-key and --auth-access-secret (LEXICON_ROUTE53_AUTH_ACCESS_KEY, LEXICON_ROUTE53_AUTH_ACCESS_SECRET)."
            )
        }
        if code == "NoSuchHostedZone" {
            throw LexiconError.domainNotFound(
                context.zone, provider: "route53", hint: "Route 53 has no hosted zone \(zoneID ?? "").")
        }
        if code == "InvalidChangeBatch"
            && ["do not match", "already exists", "was not found"].contains(where: message.contains)
        {
            throw LexiconError(
                .conflict, "\(operation): the set changed since it was read (\(code))", provider: "route53")
        }
        if code == "Throttling" || code == "PriorRequestNotComplete" {
            throw LexiconError(
                .network, "Route 53 kept throttling \(operation) (\(code)); try again shortly.", provider: "route53")
        }
        throw LexiconError(
            .provider,
            "\(operation) failed with HTTP \(response.status)\(code.isEmpty ? "" : " \(code)")\(message.isEmpty ? "" : ": " + message).",
            provider: "route53")
    }
}
