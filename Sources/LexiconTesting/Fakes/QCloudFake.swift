import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Tencent Cloud's DNSPod API 3.0 (version 2021-03-23) on loopback, written from Tencent Cloud's
/// API reference: every action a JSON `POST /` naming it in `X-TC-Action`, with `X-TC-Version` and `X-TC-Timestamp`,
/// signed with TC3-HMAC-SHA256 (recomputed here over `content-type;host`); a timestamp more than five minutes off is
/// `AuthFailure.SignatureExpire`. Every answer is HTTP 200 with `{"Response": {…, "RequestId"}}`, an error as
/// `Response.Error {Code, Message}`. Records have numeric `RecordId`s that an update keeps, are on the line `默认`,
/// are checked by ``DNSPodFakeRules``, and are listed in pages of at most five by `Offset` (so listings page),
/// filtered by `Subdomain` and `RecordType`; an empty listing is `ResourceNotFound.NoDataOfRecord`.
public final class QCloudFake: @unchecked Sendable {
    /// The SecretId it accepts.
    public let secretID = "AKID" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    /// The SecretKey it accepts.
    public let secretKey = String(UInt64.random(in: 0...UInt64.max), radix: 36) + "K"
    private let api: FakeAPI<DNSPodStoredRecord>
    private var throttled = 0

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, which hold no records.
    public init(domains names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 1_520_000_001)
        try api.start(authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain, oldest first.
    public func stored(_ domain: String) -> [DNSPodStoredRecord] { api.stored(domain) }

    /// Makes listings answer the first page whatever `Offset` is asked for.
    public func ignorePaging(_ ignored: Bool = true) { api.ignorePaging(ignored) }

    /// Answers the next `count` requests with `RequestLimitExceeded`.
    public func throttle(next count: Int) { api.locked { throttled = count } }

    /// The most records a page holds here (Tencent allows 3000; small pages exercise paging).
    public static let pageLimit = 5
    /// How far `X-TC-Timestamp` may be from the fake's clock.
    public static let clockTolerance = 300

    // MARK: - Checks

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        if throttled > 0 {
            throttled -= 1
            return Self.error("RequestLimitExceeded", "Your current request times exceed the limit.")
        }
        guard request.method == "POST", request.parts.isEmpty,
            request.header("content-type")?.hasPrefix("application/json") == true
        else { return Self.error("InvalidRequest", "The request must be a JSON POST to /.") }
        guard let action = request.header("x-tc-action"), !action.isEmpty else {
            return Self.error("MissingParameter", "The request is missing a required parameter `Action`.")
        }
        guard request.header("x-tc-version") == "2021-03-23" else {
            return Self.error("NoSuchVersion", "The requested version does not exist or is not supported.")
        }
        guard let timestamp = request.header("x-tc-timestamp").flatMap({ Int($0) }) else {
            return Self.error("MissingParameter", "The request is missing a required parameter `Timestamp`.")
        }
        guard let authorization = request.header("authorization"),
            let credential = authorization.firstRange(of: "Credential=").map({
                authorization[$0.upperBound...].prefix { $0 != "," && $0 != "/" }
            }), authorization.hasPrefix("TC3-HMAC-SHA256 ")
        else { return Self.error("AuthFailure.InvalidAuthorization", "Authorization is invalid.") }
        guard credential == secretID else {
            return Self.error("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure it exists.")
        }
        guard abs(timestamp - RequestDate.now()) <= Self.clockTolerance else {
            return Self.error(
                "AuthFailure.SignatureExpire",
                "Signature expired. Timestamp and server time differ by more than 5 minutes.")
        }
        let expected = TencentCloudSignatureV3(secretID: secretID, secretKey: secretKey, service: "dnspod")
            .authorization(
                method: "POST", query: "", contentType: request.header("content-type") ?? "",
                host: request.header("host") ?? "", body: request.http.body ?? [], timestamp: timestamp)
        guard authorization == expected else {
            return Self.error(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.")
        }
        guard request.jsonObject != nil else {
            return Self.error("InvalidParameter", "The request body is not a JSON object.")
        }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        guard let body = request.jsonObject, let domain = body["Domain"]?.string?.lowercased(), !domain.isEmpty else {
            return Self.error("MissingParameter", "The request is missing a required parameter `Domain`.")
        }
        guard let records = api.records(domain) else {
            return Self.error("InvalidParameterValue.DomainNotExists", "当前域名有误，请返回重新操作。")
        }
        switch request.header("x-tc-action") ?? "" {
        case "DescribeDomain":
            return Self.ok([
                (
                    "DomainInfo",
                    .object([
                        ("Domain", .string(domain)), ("Status", .string("ENABLE")),
                        ("DnsStatus", .string("")), ("Grade", .string("DP_FREE")),
                        ("EffectiveDNS", .array([.string("f1g1ns1.dnspod.net"), .string("f1g1ns2.dnspod.net")])),
                    ])
                )
            ])
        case "DescribeRecordList":
            return list(records, body)
        case "CreateRecord":
            return save(domain, body, existing: nil)
        case "ModifyRecord", "DeleteRecord":
            guard let id = body["RecordId"]?.int, let existing = api.record(domain, id: id) else {
                return Self.error("InvalidParameter.RecordIdInvalid", "记录编号错误。")
            }
            if request.header("x-tc-action") == "ModifyRecord" { return save(domain, body, existing: existing) }
            api.remove(domain, id: id)
            return Self.ok([])
        default:
            return Self.error("InvalidAction", "The requested API does not exist.")
        }
    }

    private func list(_ records: [DNSPodStoredRecord], _ body: JSONValue) -> FakeReply {
        var matching = records
        if let host = body["Subdomain"]?.string?.lowercased(), !host.isEmpty {
            matching = matching.filter { $0.name == host }
        }
        if let type = body["RecordType"]?.string, !type.isEmpty { matching = matching.filter { $0.type == type } }
        let limit = min(body["Limit"]?.int ?? 100, 3000, Self.pageLimit)
        let page = api.page(matching, offset: body["Offset"]?.int, limit: limit)
        guard !page.isEmpty else { return Self.error("ResourceNotFound.NoDataOfRecord", "记录列表为空。") }
        return Self.ok([
            (
                "RecordCountInfo",
                .object([
                    ("SubdomainCount", .int(matching.count)), ("ListCount", .int(page.count)),
                    ("TotalCount", .int(matching.count)),
                ])
            ),
            ("RecordList", .array(page.map(Self.json))),
        ])
    }

    private func save(_ domain: String, _ body: JSONValue, existing: DNSPodStoredRecord?) -> FakeReply {
        guard let type = body["RecordType"]?.string, let line = body["RecordLine"]?.string,
            let value = body["Value"]?.string
        else { return Self.error("MissingParameter", "RecordType, RecordLine and Value are required.") }
        let record = DNSPodStoredRecord(
            id: existing?.id ?? api.nextID(), name: (body["SubDomain"]?.string ?? "@").lowercased(), type: type,
            value: value, ttl: body["TTL"]?.int ?? 600, mx: type == "MX" ? body["MX"]?.int ?? 0 : 0, line: line)
        if let problem = DNSPodFakeRules.problem(record, others: api.stored(domain)) {
            return Self.error(problem)
        }
        api.save(record, in: domain)
        return Self.ok([("RecordId", .int(record.id))])
    }

    static func json(_ record: DNSPodStoredRecord) -> JSONValue {
        .object([
            ("RecordId", .int(record.id)), ("Value", .string(record.value)), ("Status", .string("ENABLE")),
            ("UpdatedOn", .string("2026-12-01 12:00:00")), ("Name", .string(record.name)),
            ("Line", .string(record.line)),
            ("LineId", .string("0")), ("Type", .string(record.type)), ("Weight", .null), ("MonitorStatus", .string("")),
            ("Remark", .string("")), ("TTL", .int(record.ttl)), ("MX", .int(record.mx)),
        ])
    }

    static func error(_ problem: DNSPodProblem) -> FakeReply {
        switch problem {
        case .badType: return error("InvalidParameter.RecordTypeInvalid", "记录类型错误。")
        case .badName: return error("InvalidParameter.SubdomainInvalid", "子域名不正确。")
        case .badValue: return error("InvalidParameter.RecordValueInvalid", "记录的值不正确。")
        case .badTTL: return error("LimitExceeded.RecordTtlLimit", "记录的TTL值超出了限制。")
        case .badMX: return error("InvalidParameter.MxInvalid", "MX优先级不正确。")
        case .badLine: return error("InvalidParameter.RecordLineInvalid", "记录线路错误。")
        case .duplicate: return error("InvalidParameter.DomainRecordExist", "记录已经存在，无需再次添加。")
        case .cnameConflict: return error("InvalidParameter.CustomMessage", "CNAME 记录与其他记录冲突。")
        }
    }

    static func requestID() -> String { UUID().uuidString.lowercased() }

    static func ok(_ fields: [(String, JSONValue)]) -> FakeReply {
        .json(200, .object([("Response", .object(fields + [("RequestId", .string(requestID()))]))]))
    }

    /// Tencent Cloud's error envelope, always with HTTP 200.
    static func error(_ code: String, _ message: String) -> FakeReply {
        .json(
            200,
            .object([
                (
                    "Response",
                    .object([
                        ("Error", .object([("Code", .string(code)), ("Message", .string(message))])),
                        ("RequestId", .string(requestID())),
                    ])
                )
            ]))
    }
}
