import Lexicon
import LexiconHTTP

/// Tencent Cloud DNSPod through API 3.0 (version 2021-03-23): every call a JSON `POST /` to
/// `dnspod.tencentcloudapi.com` naming its action in `X-TC-Action`, signed with TC3-HMAC-SHA256, and answered with
/// HTTP 200 and `{"Response": {…}}`, an error as `Response.Error {Code, Message}`. One record per value under
/// DNSPod's numeric `RecordId`, in DNSPod's record model (``HostValueFields``); an empty listing is the error
/// `ResourceNotFound.NoDataOfRecord`.
public actor QCloudProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "qcloud",
        summary: "Tencent Cloud DNSPod (API 3.0, TC3-HMAC-SHA256) with a SecretId and SecretKey.",
        options: [
            ProviderOption("secret_id", help: "A Tencent Cloud API SecretId (CAM > API keys).", isRequired: true)
                .spelledWithUnderscores(),
            ProviderOption("secret_key", help: "The SecretKey that goes with it.", isRequired: true)
                .spelledWithUnderscores(),
            .apiEndpoint(QCloudProvider.endpoint),
        ],
        recordTypes: HostValueFields.recordTypes,
        nameserverPatterns: ["*.dnspod.net", "*.dnspod.com", "*.dnsv1.com", "*.dnsv2.com", "*.dnsv3.com"],
        defaultEndpoint: QCloudProvider.endpoint,
        usesHTTP: true, minimumTTL: HostValueFields.minimumTTL,
        factory: { try QCloudProvider(context: $0) })

    static let endpoint = "https://dnspod.tencentcloudapi.com"
    static let version = "2021-03-23"
    /// The codes of a domain the account does not hold.
    static let unknownDomainCodes: Set<String> = [
        "InvalidParameterValue.DomainNotExists", "InvalidParameter.DomainInvalid", "FailedOperation.NotDomainOwner",
        "OperationDenied.NoPermissionToOperateDomain",
    ]
    /// How often a rate-limited call is signed and sent again.
    static let attempts = 4

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private let signer: TencentCloudSignatureV3

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        signer = TencentCloudSignatureV3(
            secretID: try context.requiredOption("secret_id"), secretKey: try context.requiredOption("secret_key"),
            service: "dnspod")
        api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [],
            failure: HTTPFailure(
                provider: "qcloud", service: "Tencent Cloud",
                credentials: "--secret_id and --secret_key (LEXICON_QCLOUD_SECRET_ID, LEXICON_QCLOUD_SECRET_KEY)"))
    }

    public func authenticate() async throws {
        try await call("DescribeDomain", [], operation: "read the domain", idempotent: true)
    }

    /// A value DNSPod already holds (another writer added it since the listing) is there, as wanted.
    public func add(_ record: Record) async throws {
        do {
            try await call("CreateRecord", try fields(record), operation: "create a record")
        } catch let error as LexiconError where error.message.contains("(InvalidParameter.DomainRecordExist)") {
            return
        }
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await call(
            "ModifyRecord", [("RecordId", .int(Int(nativeID) ?? 0))] + (try fields(record)),
            operation: "update a record", idempotent: true)
    }

    /// A record another writer deleted since the listing is gone, as wanted: a refusal is checked against a fresh
    /// listing.
    public func remove(_ nativeID: String) async throws {
        do {
            try await call(
                "DeleteRecord", [("RecordId", .int(Int(nativeID) ?? 0))], operation: "delete a record", idempotent: true
            )
        } catch let error as LexiconError where error.code == .provider {
            guard try await fetch(type: nil, name: nil).contains(where: { $0.nativeID == nativeID }) else { return }
            throw error
        }
    }

    // MARK: - API

    /// Every page of `DescribeRecordList` by `Offset`, narrowed by host and type on DNSPod's side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var filter: [(String, JSONValue)] = [("Limit", .int(3000))]
        if let name { filter.append(("Subdomain", .string(context.relativeName(name)))) }
        if let type { filter.append(("RecordType", .string(type.rawValue))) }
        var pages = PageGuard(
            provider: "qcloud", service: "Tencent Cloud", operation: "list records", parameters: "Offset")
        var entries: [NativeRecord] = []
        while true {
            let answer: JSONValue
            do {
                answer = try await call(
                    "DescribeRecordList", filter + [("Offset", .int(entries.count))], operation: "list records",
                    idempotent: true)
            } catch let error as LexiconError where error.message.contains("(ResourceNotFound.NoDataOfRecord)") {
                // DNSPod answers an empty listing (or a page past the end) with this error.
                return entries
            }
            guard let records = answer["RecordList"]?.array else { throw api.unexpected("list records") }
            let total = answer["RecordCountInfo"]?["TotalCount"]?.int
            try pages.read(records, total: total)
            for json in records { entries.append(try entry(json)) }
            if records.isEmpty || entries.count >= total ?? entries.count { return entries }
        }
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["RecordId"]?.int, let type = json["Type"]?.string, let name = json["Name"]?.string,
            let value = json["Value"]?.string
        else { throw api.unexpected("list records") }
        return NativeRecord(
            nativeID: String(id),
            record: HostValueFields.record(
                context, name: name, type: type, value: value, ttl: json["TTL"]?.int, mx: json["MX"]?.int))
    }

    /// The fields of a create or an update, on the default line.
    private func fields(_ record: Record) throws -> [(String, JSONValue)] {
        let fields = try HostValueFields.fields(context, record)
        var body: [(String, JSONValue)] = [
            ("SubDomain", .string(fields.host)), ("RecordType", .string(record.type.rawValue)),
            ("RecordLine", .string(HostValueFields.dnspodDefaultLine)), ("Value", .string(fields.value)),
            ("TTL", .int(fields.ttl)),
        ]
        if let mx = fields.mx { body.append(("MX", .int(mx))) }
        return body
    }

    /// One call for the zone, signed anew for each attempt; `RequestLimitExceeded` is tried again after a pause.
    /// - Returns: The `Response` object.
    @discardableResult
    private func call(
        _ action: String, _ parameters: [(String, JSONValue)], operation: String, idempotent: Bool = false
    ) async throws -> JSONValue {
        let body = JSONValue.object([("Domain", .string(context.zone))] + parameters).encoded()
        var attempt = 1
        while true {
            let signature = signer.headers(
                url: api.base + "/", contentType: "application/json", body: body, action: action,
                version: Self.version, timestamp: RequestDate.now())
            let response = try await api.send(
                "POST", "/", body: body, extraHeaders: signature, operation: operation, idempotent: idempotent)
            guard let json = try? JSONValue(parsing: response?.body ?? []), let answer = json["Response"] else {
                throw api.unexpected(operation)
            }
            guard let code = answer["Error"]?["Code"]?.string else { return answer }
            if code.hasPrefix("RequestLimitExceeded"), attempt < Self.attempts {
                try await Task.sleep(for: .milliseconds(250 << attempt))
                attempt += 1
                continue
            }
            throw failure(code: code, message: answer["Error"]?["Message"]?.string ?? "", operation: operation)
        }
    }

    private func failure(code: String, message: String, operation: String) -> LexiconError {
        let said = "\(message) (\(code))"
        if code.hasPrefix("AuthFailure") || code == "UnauthorizedOperation" || code == "OperationDenied.AccessDenied" {
            return LexiconError(
                .authentication, "authentication failed to \(operation): Tencent Cloud answered \(said).",
                provider: "qcloud",
                hint: "Check \(api.failure.credentials), the key's DNSPod permissions, and this machine's clock.")
        }
        if Self.unknownDomainCodes.contains(code) {
            return LexiconError.domainNotFound(
                context.zone, provider: "qcloud", hint: "Tencent Cloud answered \(said).")
        }
        if code.hasPrefix("RequestLimitExceeded") {
            return LexiconError(.network, "Tencent Cloud kept rate-limiting \(operation): \(said).", provider: "qcloud")
        }
        return LexiconError(.provider, "\(operation) failed: Tencent Cloud answered \(said).", provider: "qcloud")
    }
}
