import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of DreamHost's API on loopback, written from DreamHost's API articles: every command a `GET` of
/// `/?key=…&format=json&cmd=…`, answered HTTP 200 with `{"result":"success"|"error","data":…}`. `dns-list_records`
/// lists every zone of the account (DreamHost's own NS records included, not editable); `dns-add_record` and
/// `dns-remove_record` take `record` (the full name), `type` and `value`; records have no id and no TTL. Errors are
/// names: `no_key`/`invalid_api_key`, `no_such_zone`, `invalid_type`, `record_already_exists_remove_first`,
/// `CNAME_already_on_record`, `no_such_record`/`no_such_value`, and `slow_down_bucko` past a command limit (failed
/// commands do not count, as DreamHost documents).
public final class DreamHostFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable {
        public var zone: String
        /// The full name.
        public var record: String
        public var type: String
        public var value: String
        public var editable: Bool
    }

    /// The API key it accepts.
    public let key = String(UInt64.random(in: 0...UInt64.max), radix: 16).uppercased()
    private let api: FakeAPI<StoredRecord>
    private var commandsLeft: Int?
    private var failures: [String] = []

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// The types `dns-add_record` takes.
    public static let types = ["A", "AAAA", "CNAME", "NS", "NAPTR", "SRV", "TXT"]

    /// Starts the fake with zones, which hold DreamHost's NS records only.
    /// - Parameter commandLimit: The successful commands allowed before `slow_down_bucko`; nil for no limit.
    public init(zones names: [String], commandLimit: Int? = nil) throws {
        let nameservers = { (zone: String) in
            (1...3).map {
                StoredRecord(zone: zone, record: zone, type: "NS", value: "ns\($0).dreamhost.com.", editable: false)
            }
        }
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, nameservers($0)) }))
        commandsLeft = commandLimit
        try api.start(authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The editable records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone).filter(\.editable) }

    /// Makes the next `dns-add_record` calls fail with these errors, one each.
    public func failAdds(_ errors: [String]) { api.locked { failures += errors } }

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        guard request.parts.isEmpty, request.method == "GET" || request.method == "POST" else {
            return .text(404, "Not Found", contentType: "text/plain")
        }
        guard request.parameters["format"] == "json" else {
            // Without `format=json` DreamHost answers tab-separated text.
            return .text(200, "error\tformat_not_json", contentType: "text/plain")
        }
        guard let given = request.parameters["key"], !given.isEmpty else { return Self.error("no_key") }
        guard given == key else { return Self.error("invalid_api_key") }
        if commandsLeft == 0 { return Self.error("slow_down_bucko\tYou have exceeded the hourly limit") }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parameters = request.parameters
        let reply: FakeReply
        let succeeded: Bool
        switch parameters["cmd"] ?? "" {
        case "dns-list_records":
            let all = api.zoneKeys.flatMap { api.stored($0) }.map(Self.json)
            (reply, succeeded) = (.json(200, .object([("result", .string("success")), ("data", .array(all))])), true)
        case "dns-add_record":
            (reply, succeeded) = add(parameters)
        case "dns-remove_record":
            (reply, succeeded) = remove(parameters)
        default:
            (reply, succeeded) = (Self.error("no_cmd"), false)
        }
        if succeeded, let left = commandsLeft { commandsLeft = left - 1 }
        return reply
    }

    private func target(_ parameters: [String: String]) -> Result<
        (zone: String, record: String, type: String, value: String), Failure
    > {
        guard let record = parameters["record"]?.lowercased(), !record.isEmpty else { return .failure("no_record") }
        guard let type = parameters["type"]?.uppercased(), !type.isEmpty else { return .failure("no_type") }
        guard let value = parameters["value"], !value.isEmpty else { return .failure("no_value") }
        let bare = record.hasSuffix(".") ? String(record.dropLast()) : record
        guard
            let zone = api.zoneKeys.filter({ bare == $0 || bare.hasSuffix("." + $0) }).max(by: { $0.count < $1.count })
        else { return .failure("no_such_zone") }
        return .success((zone, bare, type, value))
    }

    private func add(_ parameters: [String: String]) -> (FakeReply, Bool) {
        let target: (zone: String, record: String, type: String, value: String)
        switch self.target(parameters) {
        case .failure(let failure): return (Self.error(failure.code), false)
        case .success(let found): target = found
        }
        if !failures.isEmpty { return (Self.error(failures.removeFirst()), false) }
        guard Self.types.contains(target.type) else { return (Self.error("invalid_type"), false) }
        if target.type == "A" && FakeRules.notIPv4(target.value) { return (Self.error("invalid_value"), false) }
        let others = api.stored(target.zone).filter { $0.record == target.record }
        if let same = others.first(where: { $0.type == target.type && $0.value == target.value }) {
            return (
                Self.error(same.editable ? "record_already_exists_remove_first" : "record_already_exists_not_editable"),
                false
            )
        }
        if others.contains(where: { $0.type == "CNAME" }) { return (Self.error("CNAME_already_on_record"), false) }
        if target.type == "CNAME" && !others.isEmpty {
            return (Self.error("record_already_exists_remove_first"), false)
        }
        api.edit(target.zone) {
            $0.append(
                StoredRecord(
                    zone: target.zone, record: target.record, type: target.type, value: target.value, editable: true))
        }
        return (.json(200, .object([("result", .string("success")), ("data", .string("record_added"))])), true)
    }

    private func remove(_ parameters: [String: String]) -> (FakeReply, Bool) {
        let target: (zone: String, record: String, type: String, value: String)
        switch self.target(parameters) {
        case .failure(let failure): return (Self.error(failure.code), false)
        case .success(let found): target = found
        }
        let named = api.stored(target.zone).filter { $0.record == target.record && $0.type == target.type }
        guard !named.isEmpty else { return (Self.error("no_such_record"), false) }
        guard
            let index = api.stored(target.zone).firstIndex(where: {
                $0.record == target.record && $0.type == target.type && $0.value == target.value
            })
        else { return (Self.error("no_such_value"), false) }
        guard api.stored(target.zone)[index].editable else { return (Self.error("record_not_editable"), false) }
        api.edit(target.zone) { $0.remove(at: index) }
        return (.json(200, .object([("result", .string("success")), ("data", .string("record_removed"))])), true)
    }

    /// An error name as DreamHost answers it.
    struct Failure: Error, ExpressibleByStringLiteral {
        var code: String
        init(stringLiteral value: String) { code = value }
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("account_id", .string("123456")), ("zone", .string(record.zone)), ("record", .string(record.record)),
            ("type", .string(record.type)), ("value", .string(record.value)), ("comment", .string("")),
            ("editable", .string(record.editable ? "1" : "0")),
        ])
    }

    static func error(_ data: String) -> FakeReply {
        .json(200, .object([("result", .string("error")), ("data", .string(data))]))
    }
}
