import DNSWire
import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// Any server that takes RFC 2136 dynamic updates (BIND, PowerDNS, Knot, Windows DNS): the zone is checked with an
/// SOA query, listed by zone transfer (AXFR), and changed with UPDATE messages signed with TSIG. An update replaces
/// a value with one message that deletes and adds together, so no reader sees the name empty.
public actor RFC2136Provider: Provider {
    public static let descriptor = ProviderDescriptor(
        name: "rfc2136",
        aliases: ["ddns"],
        summary: "Any DNS server with RFC 2136 updates and TSIG (BIND, PowerDNS, Knot).",
        options: [
            ProviderOption(
                "auth_token",
                help: "The TSIG key as ALGORITHM:KEYNAME:SECRET (hmac-sha256:update-key:BASE64).", isSecret: true,
                valueName: "ALG:NAME:SECRET"),
            ProviderOption(
                "auth_key_file", help: "A key file as tsig-keygen writes it (instead of --auth-token).",
                isSecret: false, valueName: "FILE"),
            ProviderOption(
                "ddns_server",
                help: "The primary server: HOST, HOST:PORT or [IPV6]:PORT; several separated by commas.",
                isRequired: true, isSecret: false, valueName: "HOST[:PORT]"),
            ProviderOption(
                "ddns_timeout", help: "Seconds to wait for each answer.", isSecret: false, defaultValue: "5",
                valueName: "SECONDS"),
        ],
        // The types DNSWire writes in their own syntax (RDataText), and generic data for the types it has no name for.
        recordTypes: [.a, .aaaa, .caa, .cname, "DNAME", .mx, .ns, .ptr, "SPF", .srv, .txt],
        genericTypes: true, factory: { try RFC2136Provider(context: $0) })

    private let context: ProviderContext
    private let client: DNSClient
    private let zoneName: DNSName

    /// Creates the provider.
    /// - Parameter context: The zone and options.
    /// - Throws: ``LexiconError`` `config` for a missing or malformed option.
    public init(context: ProviderContext) throws {
        self.context = context
        let servers = try DNSServerAddress.list(
            parsing: try context.requiredOption("ddns_server"), code: .config, setting: "--ddns-server")
        let key = try Self.key(context)
        guard let timeout = Double(context.option("ddns_timeout") ?? "5"), timeout > 0, timeout <= 600 else {
            throw LexiconError(.config, "--ddns-timeout must be a number of seconds between 0 and 600.")
        }
        client = DNSClient(servers: servers, timeout: timeout, rounds: 2, key: key, logger: context.logger)
        do {
            zoneName = try DNSName(context.zone)
        } catch {
            throw LexiconError.invalidInput("the zone \(context.zone) is not a valid DNS name: \(error.message).")
        }
    }

    private static func key(_ context: ProviderContext) throws -> TSIGKey? {
        let token = context.option("auth_token")
        let file = context.option("auth_key_file")
        if token != nil && file != nil {
            throw LexiconError(.config, "give either --auth-token or --auth-key-file, not both.")
        }
        do {
            if let token { return try TSIGKey(token: token) }
            if let file {
                let text = try FileIO.read(file)
                return try TSIGKey(keyFile: String(decoding: text, as: UTF8.self), path: file)
            }
        } catch let error as DNSWireError {
            throw LexiconError(.config, "\(error.message).")
        }
        return nil
    }

    public func authenticate() async throws {
        let answer = try await client.exchange(DNSMessage.query(zoneName, .soa))
        let server = client.servers[0]
        guard answer.rcode == DNSRCode.noError, answer.isAuthoritative,
            answer.answers.contains(where: { $0.type == .soa && $0.name == zoneName })
        else {
            let hint: String
            if let owner = (answer.answers + answer.authority).first(where: { $0.type == .soa })?.name,
                owner != zoneName
            {
                hint = "\(server) says the zone is \(owner.bare); use --delegated or that domain."
            } else {
                hint = "\(server) does not host it (\(answer.rcodeName)); check --ddns-server."
            }
            throw LexiconError.domainNotFound(context.zone, provider: "rfc2136", hint: hint)
        }
    }

    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        try await zoneRecords().map(\.record).filter(filter.matches)
    }

    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("create needs a name and content.")
        }
        let owner = try dnsName(name)
        let type = try dnsType(input.type)
        let existing = try await currentSet(owner, type)
        let ttlGiven = (input.ttl ?? 0) != 0
        let ttl = ttlGiven ? input.ttl! : Int(existing.first?.ttl ?? UInt32(context.defaultTTL))
        let record = Record(type: input.type, name: name, ttl: ttl, content: content, priority: input.priority)
        let rdata = try self.rdata(of: record)
        if existing.contains(where: { $0.rdata == rdata }) && (!ttlGiven || existing.first?.ttl == UInt32(ttl)) {
            return true
        }
        var update = DNSUpdate(zone: zoneName)
        if type != .cname { update.requireNoSet(owner, .cname) }
        update.add(owner, type, ttl: UInt32(ttl), rdata: rdata)
        try await send(update, operation: "create")
        if type == .cname, try await currentSet(owner, .cname).allSatisfy({ $0.rdata != rdata }) {
            throw LexiconError(
                .provider, "the server did not add the CNAME at \(name): a name with other records cannot have one.",
                provider: "rfc2136")
        }
        return true
    }

    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        let all = try await zoneRecords()
        let change = try RecordMatcher.update(
            in: all.map(\.record), identifier: identifier, input: input, defaultTTL: context.defaultTTL)
        guard context.names.contains(change.new.name) else {
            throw LexiconError.invalidInput("the name \(change.new.name) is outside the zone \(context.zone).")
        }
        let oldOwner = try dnsName(change.old.name)
        let newOwner = try dnsName(change.new.name)
        let oldType = try dnsType(change.old.type)
        let newType = try dnsType(change.new.type)
        var update = DNSUpdate(zone: zoneName)
        // The set must still be what we read: a concurrent change makes the server answer NXRRSET, not lose data.
        let oldSet = all.filter { $0.wire.name == oldOwner && $0.wire.type == oldType }.map(\.wire.rdata)
        update.requireExactSet(oldOwner, oldType, values: oldSet)
        update.delete(oldOwner, oldType, rdata: try rdata(of: change.old))
        update.add(newOwner, newType, ttl: UInt32(change.new.ttl), rdata: try rdata(of: change.new))
        try await send(update, operation: "update")
        return true
    }

    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        let all = try await zoneRecords()
        let doomed = all.filter { entry in identifier.map { entry.record.id == $0 } ?? filter.matches(entry.record) }
        if doomed.contains(where: { $0.record.type == .soa }) {
            throw LexiconError(.unsupported, "the SOA record cannot be deleted.", provider: "rfc2136")
        }
        guard !doomed.isEmpty else { return true }
        var update = DNSUpdate(zone: zoneName)
        for entry in doomed { update.delete(entry.wire.name, entry.wire.type, rdata: entry.wire.rdata) }
        try await send(update, operation: "delete")
        return true
    }

    // MARK: - Wire

    private struct Entry {
        var wire: DNSResourceRecord
        var record: Record
    }

    private func zoneRecords() async throws -> [Entry] {
        try await client.transfer(zoneName).map { wire in
            let type = RecordType(rawValue: wire.type.description)
            let parsed = RecordPresentation.content(of: wire.rdataText, type: type)
            let record = Record(
                type: type, name: wire.name.bare, ttl: Int(wire.ttl), content: parsed.content, priority: parsed.priority
            )
            return Entry(wire: wire, record: record)
        }
    }

    /// The current values of one set, read with a query to the server (cheaper than a transfer).
    private func currentSet(_ owner: DNSName, _ type: DNSType) async throws -> [DNSResourceRecord] {
        let answer = try await client.exchange(DNSMessage.query(owner, type))
        guard answer.rcode == DNSRCode.noError || answer.rcode == DNSRCode.nxDomain else {
            throw DNSClient.refusal(
                answer.rcodeName, "query for \(owner.bare) \(type)", client.servers[0], keyed: false)
        }
        return answer.answers.filter { $0.name == owner && $0.type == type }
    }

    private func send(_ update: DNSUpdate, operation: String) async throws {
        let answer = try await client.exchange(update.message)
        let server = client.servers[0]
        switch answer.rcode {
        case DNSRCode.noError:
            return
        case DNSRCode.yxRRSet where operation == "create":
            throw LexiconError(
                .provider, "the name has a CNAME: other records cannot sit beside it (YXRRSET).", provider: "rfc2136")
        case DNSRCode.nxRRSet, DNSRCode.yxRRSet:
            throw LexiconError(
                .provider,
                "the record set changed on \(server) while we were changing it (\(answer.rcodeName)); nothing was written, try again.",
                provider: "rfc2136")
        case DNSRCode.notZone:
            throw LexiconError.invalidInput(
                "a name is outside the zone \(context.zone) (NOTZONE).", provider: "rfc2136")
        default:
            throw DNSClient.refusal(
                answer.rcodeName, "\(operation) in \(context.zone)", server, keyed: client.signer != nil
            )
            .attributed(to: "rfc2136")
        }
    }

    private func dnsName(_ name: String) throws -> DNSName {
        do {
            return try DNSName(name)
        } catch {
            throw LexiconError.invalidInput("\(name) is not a valid DNS name: \(error.message).")
        }
    }

    private func dnsType(_ type: RecordType) throws -> DNSType {
        guard let code = DNSType(mnemonic: type.rawValue) else {
            throw LexiconError(.unsupported, "the record type \(type) is unknown to rfc2136; use TYPEnnn.")
        }
        return code
    }

    private func rdata(of record: Record) throws -> [UInt8] {
        do {
            return try RDataText.parse(type: try dnsType(record.type), text: RecordPresentation.rdata(of: record))
        } catch let error as DNSWireError {
            throw LexiconError.invalidInput("\(error.message).", provider: "rfc2136")
        }
    }
}
