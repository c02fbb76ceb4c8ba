import Lexicon
import LexiconHTTP

/// Njalla DNS through its JSON-RPC API (`https://njal.la/api/`): every call a `POST` of `{"method", "params"}` to
/// one URL with `Authorization: Njalla <token>`, answers `{"result"}` or `{"error": {code, message}}` (read by the
/// shared ``JSONRPC`` reader), `get-domain`, `list-records` (the whole zone, no paging), `add-record`,
/// `edit-record` and `remove-record` by id. Njalla keeps duplicate values and has no record sets: a value that is
/// there already is not added again. Names are relative (the apex `@`), TXT is stored as is, the MX and SRV
/// priority (from a fixed list) and the SRV weight, port and target have their own fields, and TTLs come from a
/// fixed list.
public actor NjallaProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "njalla",
        summary: "Njalla DNS (JSON-RPC API) with an API token.",
        options: [
            ProviderOption("auth_token", help: "A Njalla API token (Settings > API access).", isRequired: true),
            .apiEndpoint(NjallaProvider.endpoint, help: "The API's URL; every call is a POST to it."),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .ptr, .srv, .txt, "ANAME", "SSHFP", "TLSA"],
        nameserverPatterns: ["1-you.njalla.no", "2-can.njalla.in", "3-get.njalla.fo"],
        defaultEndpoint: NjallaProvider.endpoint,
        ttlSteps: NjallaProvider.ttls,
        usesHTTP: true,
        factory: { try NjallaProvider(context: $0) })

    static let endpoint = "https://njal.la/api/1/"
    /// The TTLs Njalla allows; others are rounded up to the next one.
    static let ttls = [60, 300, 900, 3600, 10800, 21600, 86400]
    static let credentials = "--auth-token or LEXICON_NJALLA_AUTH_TOKEN"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("Authorization", "Njalla " + (try context.requiredOption("auth_token")))],
            failure: HTTPFailure(provider: "njalla", service: "Njalla", credentials: Self.credentials))
    }

    public func authenticate() async throws {
        _ = try await call("get-domain", [], operation: Self.readDomain)
    }

    public func add(_ record: Record) async throws {
        _ = try await call("add-record", try fields(record), operation: "create a record")
    }

    /// `edit-record` keeps the id.
    public func replace(_ nativeID: String, with record: Record) async throws {
        _ = try await call(
            "edit-record", [("id", Self.id(nativeID))] + (try fields(record)), operation: "update a record"
        )
    }

    /// A record already gone (another writer removed it) is not an error.
    public func remove(_ nativeID: String) async throws {
        do {
            _ = try await call("remove-record", [("id", Self.id(nativeID))], operation: "delete a record")
        } catch let error as LexiconError where error.code == .provider && error.message.contains("not found") {
            context.logger.info("njalla: record \(nativeID) was already gone")
        }
    }

    /// The whole zone in one answer; Njalla filters nothing on its side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        guard let records = try await call("list-records", [], operation: "list records")["records"]?.array else {
            throw api.unexpected("list records")
        }
        return try records.map(entry)
    }

    // MARK: - API

    /// A call with the domain among its parameters: its `result`, or its `error` as one line (a refused token as an
    /// authentication failure, an unknown domain as `No domain found`).
    private func call(_ method: String, _ params: [(String, JSONValue)], operation: String) async throws -> JSONValue {
        let body = JSONValue.object([
            ("method", .string(method)), ("params", .object([("domain", .string(context.zone))] + params)),
        ])
        // Njalla answers faults with HTTP 200; a write repeated after a lost answer could add a value twice.
        guard
            let response = try await api.send(
                "POST", "/", body: body.encoded(), operation: operation,
                idempotent: ["get-domain", "list-records"].contains(method))
        else { throw api.unexpected(operation) }
        switch try JSONRPC.response(response, operation: operation, provider: "njalla", service: "Njalla") {
        case .success(let result):
            return result
        case .failure(let fault):
            let message = "\(fault.message) (\(fault.code))"
            if fault.code == 401 || fault.code == 403 || fault.message.lowercased().contains("token") {
                throw LexiconError(
                    .authentication, "authentication failed to \(operation): \(message)", provider: "njalla",
                    hint: "Check \(Self.credentials).")
            }
            if operation == Self.readDomain {
                throw LexiconError.domainNotFound(
                    context.zone, provider: "njalla",
                    hint: "Njalla answered \"\(message)\"; the token's account may lack the domain.")
            }
            throw LexiconError(.provider, "\(operation) failed: \(message)", provider: "njalla")
        }
    }

    /// Njalla's ids are numbers in some answers and strings in others; they are sent back as they came.
    private static func id(_ nativeID: String) -> JSONValue { Int(nativeID).map { .int($0) } ?? .string(nativeID) }

    // MARK: - Mapping

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string ?? json["id"]?.int.map(String.init), let typeText = json["type"]?.string,
            let name = json["name"]?.string, let data = json["content"]?.string ?? json["target"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText.uppercased())
        var content = data
        switch type {
        case .cname, .ns, .mx, .ptr, "ANAME":
            content = RecordPresentation.bare(Substring(data))
        case .srv:
            content = SRVFields.join(
                priority: json["prio"]?.int ?? 0, weight: json["weight"]?.int ?? 0, port: json["port"]?.int ?? 0,
                target: json["target"]?.string ?? data)
        default:
            break
        }
        let record = Record(
            type: type, name: context.absoluteName(name.lowercased()), ttl: json["ttl"]?.int ?? context.defaultTTL,
            content: content, priority: type == .mx ? json["prio"]?.int ?? 0 : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The parameters of an add or an edit: the relative name, targets without their final dot, and the MX and
    /// SRV numbers in their own fields.
    private func fields(_ record: Record) throws -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("type", .string(record.type.rawValue)), ("name", .string(context.relativeName(record.name))),
            ("ttl", .int(record.ttl)),
        ]
        switch record.type {
        case .cname, .ns, .ptr, "ANAME":
            fields.append(("content", .string(RecordPresentation.bare(Substring(record.content)))))
        case .mx:
            try Self.check(priority: record.priority ?? 0)
            fields += [
                ("content", .string(RecordPresentation.bare(Substring(record.content)))),
                ("prio", .int(record.priority ?? 0)),
            ]
        case .srv:
            let srv = try SRVFields.numbers(record.content)
            try Self.check(priority: srv.priority)
            fields += [
                ("target", .string(srv.target)), ("prio", .int(srv.priority)), ("weight", .int(srv.weight)),
                ("port", .int(srv.port)),
            ]
        default:
            fields.append(("content", .string(record.content)))
        }
        return fields
    }

    /// The priorities Njalla allows for MX and SRV.
    static let priorities = [0, 1, 5, 10, 20, 30, 40, 50, 60]

    /// Refuses, before any request, a priority Njalla would refuse.
    private static func check(priority: Int) throws {
        guard priorities.contains(priority) else {
            throw LexiconError(
                .invalidInput,
                "Njalla allows only the priorities \(priorities.map(String.init).joined(separator: ", ")); "
                    + "\(priority) is not one of them.", provider: "njalla")
        }
    }

    /// The operation that checks the token and the domain.
    static let readDomain = "read the domain"
}
