import Lexicon
import LexiconHTTP

/// DreamHost DNS through its API: every call a `GET` of `?key=…&format=json&cmd=dns-…`, answered
/// `{"result":"success"|"error","data":…}`. DreamHost lists every zone of the account at once, gives records no id
/// and no TTL, and cannot change a record: ids are a stable hash of type, name and content, every record has
/// DreamHost's fixed TTL (any other `--ttl` is refused before a request), and an update removes the old value and
/// adds the new one, putting the old value back when the add fails. The key travels in the URL, which traces redact.
public actor DreamHostProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "dreamhost",
        summary: "DreamHost DNS (API commands dns-*) with an API key; records have a fixed TTL.",
        options: [
            ProviderOption(
                "auth_token", help: "A DreamHost API key allowed the dns-* commands (Panel > API).", isRequired: true),
            .apiEndpoint(DreamHostProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .cname, .ns, .srv, .txt],
        nameserverPatterns: ["dreamhost.com"],
        defaultEndpoint: DreamHostProvider.endpoint,
        fixedTTL: DreamHostProvider.ttl,
        usesHTTP: true,
        // Hourly and daily command limits (`slow_down_bucko`): one set at a time.
        applyConcurrency: 1,
        factory: { try DreamHostProvider(context: $0) })

    static let endpoint = "https://api.dreamhost.com"
    /// The TTL DreamHost's nameservers give the records it manages.
    static let ttl = 14400
    /// The errors of a key DreamHost refuses.
    static let authenticationErrors: Set<String> = ["no_key", "invalid_api_key", "no_cmd_permission"]
    /// The errors of a value, or a conflicting record, already at a name.
    static let alreadyExistErrors: Set<String> = [
        "record_already_exists_not_editable", "record_already_exists_remove_first", "CNAME_already_on_record",
    ]
    /// The errors of a record that is not there (to remove).
    static let missingErrors: Set<String> = [
        "no_record", "no_type", "no_value", "no_such_record", "no_such_type", "no_such_value",
    ]

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let base: String
    private let key: String

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        base = context.endpoint(default: Self.endpoint)
        key = try context.requiredOption("auth_token")
    }

    /// The zone must appear in the account's records.
    public func authenticate() async throws {
        _ = try await records()
    }

    /// A value already there (another writer added it since the listing) is there, as wanted; any other refusal of
    /// an existing record (a CNAME, a record DreamHost will not edit) is an error.
    public func add(_ record: Record) async throws {
        do {
            try await call("dns-add_record", try parameters(record), operation: "create a record")
        } catch let error as DreamHostError where Self.alreadyExistErrors.contains(error.code) {
            if try await fetch(type: record.type, name: record.name).contains(where: { $0.record.sameValue(as: record) }
            ) {
                return
            }
            throw error.lexicon
        } catch let error as DreamHostError {
            throw error.lexicon
        }
    }

    /// DreamHost has no update: the old value goes, then the new one comes; when the add fails, the old value is
    /// put back and the failure reported.
    public func replace(_ nativeID: String, with record: Record) async throws {
        let old = try Self.decode(nativeID)
        try await remove(nativeID)
        do {
            try await add(record)
        } catch let failure as LexiconError {
            do {
                try await call("dns-add_record", old, operation: "restore the old value")
            } catch {
                throw LexiconError(
                    .provider,
                    "update failed: \(failure.clause), and putting the old value back failed too: "
                        + "\((error as? DreamHostError)?.lexicon.clause ?? "\(error)"); the record is gone.",
                    provider: "dreamhost")
            }
            throw LexiconError(
                failure.code, "update failed (the old value was put back): \(failure.clause).",
                provider: "dreamhost", hint: failure.hint)
        }
    }

    /// A record already gone is fine.
    public func remove(_ nativeID: String) async throws {
        do {
            try await call("dns-remove_record", try Self.decode(nativeID), operation: "delete a record")
        } catch let error as DreamHostError where Self.missingErrors.contains(error.code) {
            return
        } catch let error as DreamHostError {
            throw error.lexicon
        }
    }

    // MARK: - API

    /// The zone's records from the account's listing; DreamHost filters nothing and does not page.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        try await records().map { json in
            let name = json.record.lowercased()
            let type = RecordType(rawValue: json.type.uppercased())
            var content = json.value
            switch type {
            case .cname, .ns:
                content = RecordPresentation.bare(Substring(content))
            case .mx, .srv:
                // `PRIORITY TARGET.` / `PRIORITY WEIGHT PORT TARGET.`
                let fields = content.split(separator: " ")
                content =
                    fields.dropLast().joined(separator: " ")
                    + (fields.last.map { " " + RecordPresentation.bare($0) } ?? "")
            default:
                break
            }
            var priority: Int?
            if type == .mx, let space = content.firstIndex(of: " ") {
                priority = Int(content[..<space])
                content = String(content[content.index(after: space)...])
            }
            let record = Record(
                type: type, name: RecordPresentation.bare(Substring(name)), ttl: Self.ttl, content: content,
                priority: priority)
            return NativeRecord(nativeID: Self.encode([json.record, json.type, json.value]), record: record)
        }
    }

    /// The zone's records as DreamHost spells them.
    /// - Throws: `No domain found` when the account's listing has no record of the zone.
    private func records() async throws -> [(record: String, type: String, value: String)] {
        let data: JSONValue
        do {
            data = try await call("dns-list_records", [], operation: "list records")
        } catch let error as DreamHostError {
            throw error.lexicon
        }
        guard let items = data.array else { throw unexpected() }
        var all: [(record: String, type: String, value: String)] = []
        var zoneSeen = false
        for item in items {
            guard let zone = item["zone"]?.string, zone.lowercased() == context.zone else { continue }
            zoneSeen = true
            guard let record = item["record"]?.string, let type = item["type"]?.string,
                let value = item["value"]?.string
            else { throw unexpected() }
            all.append((record, type, value))
        }
        guard zoneSeen else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "dreamhost", hint: "The account's DNS listing has no zone of that name.")
        }
        return all
    }

    /// The parameters of an add: the full name, the type and the value in DreamHost's syntax.
    private func parameters(_ record: Record) throws -> [(String, String)] {
        var value = record.content
        switch record.type {
        case .srv:
            let (priority, rest) = try SRVFields.split(record.content)
            value = "\(priority) \(rest)."
        case .cname, .ns:
            value = RecordPresentation.bare(Substring(record.content)) + "."
        default:
            break
        }
        return [("record", record.name), ("type", record.type.rawValue), ("value", value)]
    }

    /// One command: `GET /?key=…&format=json&cmd=…&…`; the `data` of a success.
    /// - Throws: ``DreamHostError`` for `{"result":"error"}`; ``LexiconError`` for a failed status or another shape.
    @discardableResult
    private func call(_ command: String, _ parameters: [(String, String)], operation: String) async throws
        -> JSONValue
    {
        let query = [("key", key), ("format", "json"), ("cmd", command)] + parameters
        let request = HTTPRequest(
            url: base + "/?" + URLQuery.encode(query), idempotent: command == "dns-list_records")
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw HTTPFailure(
                provider: "dreamhost", service: "DreamHost", credentials: "--auth-token or LEXICON_DREAMHOST_AUTH_TOKEN"
            ).error(response, operation: operation, detail: "")
        }
        let json = try response.json(operation: operation, provider: "dreamhost", service: "DreamHost")
        guard let result = json["result"]?.string else { throw unexpected() }
        guard result == "success" else {
            // The data is the error's name, sometimes followed by a tab and details.
            let data = json["data"]?.string ?? ""
            let code = String(data.prefix { $0 != "\t" && $0 != " " })
            throw DreamHostError(code: code, data: data, operation: operation, zone: context.zone)
        }
        return json["data"] ?? .null
    }

    /// A record as DreamHost spells it, kept as the native id so a removal names it exactly.
    private static func encode(_ fields: [String]) -> String {
        JSONValue.array(fields.map { .string($0) }).text
    }

    private static func decode(_ nativeID: String) throws -> [(String, String)] {
        guard let fields = try? JSONValue(parsing: Array(nativeID.utf8)).array?.compactMap(\.string),
            fields.count == 3
        else { throw LexiconError(.provider, "a DreamHost record could not be read back.", provider: "dreamhost") }
        return [("record", fields[0]), ("type", fields[1]), ("value", fields[2])]
    }

    private func unexpected() -> LexiconError {
        LexiconError(.provider, "DreamHost answered JSON of an unexpected shape.", provider: "dreamhost")
    }
}

/// An error DreamHost answered: its name (`no_such_zone`) and the whole data.
struct DreamHostError: Error {
    var code: String
    var data: String
    var operation: String
    var zone: String

    /// The error as users see it.
    var lexicon: LexiconError {
        let answered = "DreamHost answered \(data.replacing("\t", with: ": "))"
        if DreamHostProvider.authenticationErrors.contains(code) {
            return LexiconError(
                .authentication, "authentication failed to \(operation): \(answered).", provider: "dreamhost",
                hint: "Check --auth-token or LEXICON_DREAMHOST_AUTH_TOKEN, and that the key may run the dns-* commands."
            )
        }
        if code == "no_such_zone" {
            return LexiconError.domainNotFound(zone, provider: "dreamhost", hint: answered + ".")
        }
        if code == "slow_down_bucko" {
            return LexiconError(
                .network,
                "\(operation): \(answered) (rate limited); DreamHost limits API commands per hour or day, "
                    + "try again later.", provider: "dreamhost")
        }
        return LexiconError(.provider, "\(operation) failed: \(answered).", provider: "dreamhost")
    }
}
