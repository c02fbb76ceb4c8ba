import Lexicon
import LexiconHTTP

/// Alibaba Cloud DNS through its RPC API (version 2015-01-09): every call a `GET /?Action=…` signed with signature
/// version 1.0 (HMAC-SHA1 over the sorted query) and answered in JSON, errors as a 4xx with `{Code, Message}`. One
/// record per value under Alibaba's `RecordId`, names relative to the zone (`@` for the apex), the MX priority in
/// its own field, and TTLs of at least 600 seconds (the free edition's minimum).
public actor AliyunProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "aliyun",
        summary: "Alibaba Cloud DNS (RPC API 2015-01-09, signature v1) with an AccessKey.",
        options: [
            ProviderOption(
                "auth_key_id", help: "An AccessKey id of a RAM user allowed to manage Alibaba Cloud DNS.",
                isRequired: true),
            ProviderOption("auth_secret", help: "The AccessKey secret.", isRequired: true),
            .apiEndpoint(AliyunProvider.endpoint),
        ],
        recordTypes: HostValueFields.recordTypes,
        nameserverPatterns: ["*.hichina.com", "*.alidns.com"],
        defaultEndpoint: AliyunProvider.endpoint,
        usesHTTP: true, minimumTTL: HostValueFields.minimumTTL,
        factory: { try AliyunProvider(context: $0) })

    static let endpoint = "https://alidns.aliyuncs.com"
    static let version = "2015-01-09"
    /// The codes of a refused AccessKey or signature.
    static let authenticationCodes: Set<String> = [
        "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "SignatureDoesNotMatch", "IncompleteSignature",
        "Forbidden.RAM", "Forbidden", "InvalidTimeStamp.Expired",
    ]
    /// The codes of a domain the account does not hold.
    static let unknownDomainCodes: Set<String> = ["IncorrectDomainUser", "InvalidDomainName.NoExist", "DomainNotExist"]
    /// The codes of a call to send again, signed anew: a nonce an earlier, lost attempt used, and an earlier change
    /// still in progress.
    static let retriedCodes: Set<String> = ["SignatureNonceUsed", "LastOperationNotFinished"]
    /// How often a throttled call (or one whose nonce an earlier, lost attempt used) is signed and sent again.
    static let attempts = 4

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let url: String
    private let keyID: String
    private let secret: String

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        url = context.endpoint(default: Self.endpoint)
        keyID = try context.requiredOption("auth_key_id")
        secret = try context.requiredOption("auth_secret")
    }

    public func authenticate() async throws {
        try await call("DescribeDomainInfo", [("DomainName", context.zone)], operation: "read the domain")
    }

    /// A value Alibaba already holds (another writer added it since the listing) is there, as wanted.
    public func add(_ record: Record) async throws {
        do {
            try await call(
                "AddDomainRecord", [("DomainName", context.zone)] + (try fields(record)), operation: "create a record")
        } catch let error as LexiconError where error.message.contains("(DomainRecordDuplicate)") {
            return
        }
    }

    /// Alibaba refuses an update that changes nothing with `DomainRecordDuplicate`; the record is then as wanted.
    public func replace(_ nativeID: String, with record: Record) async throws {
        do {
            try await call(
                "UpdateDomainRecord", [("RecordId", nativeID)] + (try fields(record)), operation: "update a record")
        } catch let error as LexiconError where error.message.contains("(DomainRecordDuplicate)") {
            guard try await fetch(type: record.type, name: record.name).contains(where: { $0.nativeID == nativeID })
            else { throw error }
        }
    }

    /// A record another writer deleted since the listing is gone, as wanted.
    public func remove(_ nativeID: String) async throws {
        do {
            try await call("DeleteDomainRecord", [("RecordId", nativeID)], operation: "delete a record")
        } catch let error as LexiconError where error.message.contains("(DomainRecordNotBelongToUser)") {
            guard try await fetch(type: nil, name: nil).contains(where: { $0.nativeID == nativeID }) else { return }
            throw error
        }
    }

    // MARK: - API

    /// Every page of `DescribeDomainRecords`, narrowed by type (an exact match on Alibaba's side).
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var filter = [("DomainName", context.zone), ("PageSize", "500")]
        if let type { filter.append(("TypeKeyWord", type.rawValue)) }
        let records = try await PageGuard.numbered(
            provider: "aliyun", service: "Alibaba Cloud DNS", operation: "list records", parameters: "PageNumber"
        ) { page in
            let answer = try await call(
                "DescribeDomainRecords", filter + [("PageNumber", String(page))], operation: "list records")
            guard let items = answer["DomainRecords"]?["Record"]?.array else { throw unexpected("list records") }
            return (items, nil, answer["TotalCount"]?.int)
        }
        return try records.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["RecordId"]?.string, let type = json["Type"]?.string, let rr = json["RR"]?.string,
            let value = json["Value"]?.string
        else { throw unexpected("list records") }
        return NativeRecord(
            nativeID: id,
            record: HostValueFields.record(
                context, name: rr, type: type, value: value, ttl: json["TTL"]?.int, mx: json["Priority"]?.int))
    }

    /// The parameters of a create or an update (see ``HostValueFields``), the MX priority as `Priority`.
    private func fields(_ record: Record) throws -> [(String, String)] {
        let fields = try HostValueFields.fields(context, record)
        var pairs = [
            ("RR", fields.host), ("Type", record.type.rawValue), ("Value", fields.value), ("TTL", String(fields.ttl)),
        ]
        if let mx = fields.mx { pairs.append(("Priority", String(mx))) }
        return pairs
    }

    /// One call, signed anew for each attempt: throttling (`Throttling.User`), a nonce an earlier attempt used
    /// (`SignatureNonceUsed`) and `LastOperationNotFinished` are tried again after a pause.
    @discardableResult
    private func call(_ action: String, _ parameters: [(String, String)], operation: String) async throws
        -> JSONValue
    {
        var attempt = 1
        while true {
            let query = AlibabaRPCSignature.signedQuery(
                [("Action", action)] + parameters,
                version: Self.version, accessKeyID: keyID, secret: secret, nonce: AlibabaRPCSignature.nonce())
            // A nonce is single-use, so the transport must not send the same request twice after it reached Alibaba.
            let response = try await transport.send(HTTPRequest(url: url + "/?" + query, idempotent: false))
            let json = try? JSONValue(parsing: response.body)
            if (200..<300).contains(response.status), let json { return json }
            let code = json?["Code"]?.string ?? ""
            if Self.retriedCodes.contains(code) || code.hasPrefix("Throttling"), attempt < Self.attempts {
                try await Task.sleep(for: .milliseconds(250 << attempt))
                attempt += 1
                continue
            }
            throw failure(response, code: code, message: json?["Message"]?.string ?? "", operation: operation)
        }
    }

    private func failure(_ response: HTTPResponse, code: String, message: String, operation: String) -> LexiconError {
        let said = code.isEmpty ? response.notJSONDetail : "\(message) (\(code))"
        if Self.authenticationCodes.contains(code) {
            return LexiconError(
                .authentication, "authentication failed (HTTP \(response.status)) to \(operation): \(said).",
                provider: "aliyun",
                hint: "Check --auth-key-id and --auth-secret (LEXICON_ALIYUN_AUTH_KEY_ID, LEXICON_ALIYUN_AUTH_SECRET), "
                    + "the RAM user's DNS permissions, and this machine's clock.")
        }
        if Self.unknownDomainCodes.contains(code) {
            return LexiconError.domainNotFound(
                context.zone, provider: "aliyun", hint: "Alibaba Cloud DNS answered \(said).")
        }
        if code.hasPrefix("Throttling") {
            return LexiconError(
                .network, "Alibaba Cloud DNS kept throttling \(operation): \(said).", provider: "aliyun")
        }
        return LexiconError(
            .provider, "\(operation) failed with HTTP \(response.status)\(said.isEmpty ? "" : ": " + said).",
            provider: "aliyun")
    }

    private func unexpected(_ operation: String) -> LexiconError {
        LexiconError(
            .provider, "\(operation): Alibaba Cloud DNS answered JSON of an unexpected shape.", provider: "aliyun")
    }
}
