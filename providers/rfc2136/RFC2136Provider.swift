import DNSWire
import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// Any server that takes RFC 2136 dynamic updates (BIND, PowerDNS, Knot, Windows DNS): the zone is checked with an
/// SOA query, one name is read with queries of that name (so a key that may update but not transfer the zone, the
/// usual ACME setup, does everything on a name), the whole zone by transfer (AXFR), and changes are UPDATE messages
/// signed with TSIG. An update replaces a value with one message that deletes and adds together, so no reader sees
/// the name empty.
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
    let client: DNSClient
    let zoneName: DNSName

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
                if let warning = FileIO.secretPermissionWarning(file, holding: "a TSIG key") {
                    context.logger.warning(warning)
                }
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
        let entries: [Entry]
        if let name = filter.name {
            entries = try await records(at: try dnsName(name), try filter.type.map(dnsType))
        } else {
            entries = try await zoneRecords(.list)
        }
        return entries.map(\.record).filter(filter.matches)
    }

    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("create needs a name and content.")
        }
        let owner = try dnsName(name)
        let type = try dnsType(input.type)
        let existing = try await records(at: owner, type).map(\.wire)
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
        // Read back: servers answer NOERROR to some updates they drop (BIND: a CNAME beside other data, and types
        // it keeps for itself such as TYPE65534), so a create that exits 0 must be served.
        if try await records(at: owner, type).allSatisfy({ $0.wire.rdata != rdata }) {
            let reason =
                type == .cname
                ? "a name with other records cannot have one"
                : "the server accepted the update but ignores it (BIND does so for types it keeps for itself, e.g. TYPE65534)"
            throw LexiconError(
                .provider, "the server did not add the \(input.type) value at \(name): \(reason).", provider: "rfc2136")
        }
        return true
    }

    /// Tries an update this many times when the set changed between reading it and writing (YXRRSET/NXRRSET).
    static let updateAttempts = 5

    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        for attempt in 1...Self.updateAttempts {
            // By name: one query of that name and type. By a bare id (a hash, unknown to the server): the zone.
            var known: [Entry] = []
            if let name = input.name { known = try await records(at: try dnsName(name), try dnsType(input.type)) }
            if let identifier, !known.contains(where: { $0.record.id == identifier }) {
                known = try await zoneRecords(.findByIdentifier)
            }
            let change = try RecordMatcher.update(
                in: known.map(\.record), identifier: identifier, input: input, defaultTTL: context.defaultTTL)
            guard context.names.contains(change.new.name) else {
                throw LexiconError.invalidInput("the name \(change.new.name) is outside the zone \(context.zone).")
            }
            let oldOwner = try dnsName(change.old.name)
            let newOwner = try dnsName(change.new.name)
            let oldType = try dnsType(change.old.type)
            let newType = try dnsType(change.new.type)
            var update = DNSUpdate(zone: zoneName)
            // The set must still be what we read: a concurrent change makes the server answer NXRRSET, not lose data.
            let oldSet = known.filter { $0.wire.name == oldOwner && $0.wire.type == oldType }.map(\.wire.rdata)
            update.requireExactSet(oldOwner, oldType, values: oldSet)
            update.delete(oldOwner, oldType, rdata: try rdata(of: change.old))
            update.add(newOwner, newType, ttl: UInt32(change.new.ttl), rdata: try rdata(of: change.new))
            do {
                try await send(update, operation: "update")
                return true
            } catch let changed as SetChanged {
                guard attempt < Self.updateAttempts else { throw changed.error }
                context.logger.info("rfc2136: \(changed.rcode) on update: the set changed meanwhile; reading it again")
            }
        }
        return true
    }

    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        var known: [Entry] = []
        if let name = filter.name { known = try await records(at: try dnsName(name), try filter.type.map(dnsType)) }
        if let identifier, !known.contains(where: { $0.record.id == identifier }) {
            known = try await zoneRecords(.findByIdentifier)
        } else if identifier == nil && filter.name == nil {
            known = try await zoneRecords(.findByContent)
        }
        let doomed = known.filter { entry in identifier.map { entry.record.id == $0 } ?? filter.matches(entry.record) }
        if doomed.contains(where: { $0.record.type == .soa }) {
            throw LexiconError(.unsupported, "the SOA record cannot be deleted.", provider: "rfc2136")
        }
        guard !doomed.isEmpty else { return true }
        var update = DNSUpdate(zone: zoneName)
        for entry in doomed { update.delete(entry.wire.name, entry.wire.type, rdata: entry.wire.rdata) }
        do {
            try await send(update, operation: "delete")
        } catch let changed as SetChanged {
            throw changed.error
        }
        return true
    }

    // MARK: - Wire

    private struct Entry {
        var wire: DNSResourceRecord
        var record: Record

        init(_ wire: DNSResourceRecord) {
            self.wire = wire
            let type = RecordType(rawValue: wire.type.description)
            let parsed = RecordPresentation.content(of: wire.rdataText, type: type)
            record = Record(
                type: type, name: wire.name.bare, ttl: Int(wire.ttl), content: parsed.content, priority: parsed.priority
            )
        }
    }

    /// Why the whole zone is read; a key that may not transfer it is told so, and what to pass instead.
    private enum Purpose: String {
        case list = "list the whole zone"
        case findByIdentifier = "find a record by its id alone"
        case findByContent = "find records by content alone"
    }

    /// The whole zone, by transfer (AXFR): the only way to list it or to find a record by its id alone.
    private func zoneRecords(_ purpose: Purpose) async throws -> [Entry] {
        let keyName = client.signer?.key.name.bare
        let zone = context.zone
        let records = try await client.transfer(zoneName) { rcode, server in
            guard let keyName, rcode == "REFUSED" || rcode == "NOTAUTH" else {
                return DNSClient.refusal(rcode, "transfer of \(zone)", server, keyed: keyName != nil)
            }
            return LexiconError(
                .authentication,
                "\(server) refused the transfer of \(zone) (\(rcode)) needed to \(purpose.rawValue): the key \(keyName) may update but not transfer the zone; pass --name to read one name instead (or allow transfers for the key).",
                provider: "rfc2136")
        }
        return records.map(Entry.init)
    }

    /// The records of one name (of one type, or of all types), read with a query to the primary: a key that may
    /// update but not transfer the zone (the usual ACME setup) can still read them, and no zone transfer is needed.
    private func records(at owner: DNSName, _ type: DNSType?) async throws -> [Entry] {
        // ANY over TCP: a UDP answer to ANY may be cut to one set (RFC 8482, BIND's minimal-any).
        let answer = try await client.exchange(DNSMessage.query(owner, type ?? .any), useTCP: type == nil)
        guard answer.rcode == DNSRCode.noError || answer.rcode == DNSRCode.nxDomain else {
            throw DNSClient.refusal(
                answer.rcodeName, "query for \(owner.bare) \(type ?? .any)", client.servers[0],
                keyed: client.signer != nil
            )
            .attributed(to: "rfc2136")
        }
        // A CNAME answers a query of any other type (with its target's records after it), and a delegation answers
        // with a referral: keep only the name's own records of the type asked.
        var found = answer.answers
        if !answer.isAuthoritative && (type == nil || type == .ns) {
            found += answer.authority.filter { $0.type == .ns }
        }
        return found.filter { record in
            record.name == owner && (type.map { record.type == $0 } ?? !Self.metaTypes.contains(record.type))
        }.map(Entry.init)
    }

    /// Types that describe a message, never records of a zone.
    private static let metaTypes: Set<DNSType> = [.opt, .tsig]

    /// A failed prerequisite: the set is no longer what was read.
    struct SetChanged: Error {
        var rcode: String
        var server: DNSServerAddress

        var error: LexiconError {
            LexiconError(
                .provider,
                "the record set changed on \(server) while we were changing it (\(rcode)); nothing was written, try again.",
                provider: "rfc2136")
        }
    }

    func send(_ update: DNSUpdate, operation: String, useTCP: Bool = false) async throws {
        let answer = try await client.exchange(update.message, useTCP: useTCP)
        let server = client.servers[0]
        switch answer.rcode {
        case DNSRCode.noError:
            return
        case DNSRCode.yxRRSet where operation == "create":
            throw LexiconError(
                .provider, "the name has a CNAME: other records cannot sit beside it (YXRRSET).", provider: "rfc2136")
        case DNSRCode.nxRRSet, DNSRCode.yxRRSet:
            throw SetChanged(rcode: answer.rcodeName, server: server)
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

    func dnsName(_ name: String) throws -> DNSName {
        do {
            return try DNSName(name)
        } catch {
            throw LexiconError.invalidInput("\(name) is not a valid DNS name: \(error.message).")
        }
    }

    func dnsType(_ type: RecordType) throws -> DNSType {
        guard let code = DNSType(mnemonic: type.rawValue) else {
            throw LexiconError(.unsupported, "the record type \(type) is unknown to rfc2136; use TYPEnnn.")
        }
        return code
    }

    func rdata(of record: Record) throws -> [UInt8] {
        do {
            return try RDataText.parse(type: try dnsType(record.type), text: RecordPresentation.rdata(of: record))
        } catch let error as DNSWireError {
            throw LexiconError.invalidInput("\(error.message).", provider: "rfc2136")
        }
    }
}
