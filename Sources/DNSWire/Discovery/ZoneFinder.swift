import Lexicon

/// Finds zones and their authoritative servers with ordinary queries to a resolver: the zone of a name by walking
/// up with SOA queries, the zone's nameservers by NS and address queries, and CNAMEs (acme-dns delegations).
public struct ZoneFinder: Sendable {
    /// The resolver asked (a recursive resolver, or an authoritative server in tests and split horizons).
    public var resolver: DNSClient
    /// How the caller picks another resolver, named when no zone is found (`--resolver`; the ACME hooks, which take
    /// no flags, name their environment variables).
    public var resolverSetting: String

    /// Creates a finder.
    public init(resolver: DNSClient, resolverSetting: String = "--resolver") {
        self.resolver = resolver
        self.resolverSetting = resolverSetting
    }

    /// The resolvers of this machine (`nameserver` lines of /etc/resolv.conf), or 127.0.0.1 when there are none.
    public static func systemResolvers(path: String = "/etc/resolv.conf") -> [DNSServerAddress] {
        guard let bytes = try? FileIO.read(path) else { return [DNSServerAddress(host: "127.0.0.1")] }
        let servers =
            String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard fields.count >= 2, fields[0] == "nameserver" else { return nil }
                let host = fields[1].split(separator: "%").first.map(String.init) ?? String(fields[1])
                return DNSServerAddress(host: host)
            } as [DNSServerAddress]
        return servers.isEmpty ? [DNSServerAddress(host: "127.0.0.1")] : servers
    }

    /// Sends one query with recursion desired.
    func ask(_ name: DNSName, _ type: DNSType) async throws -> DNSMessage {
        var query = DNSMessage.query(name, type)
        query.recursionDesired = true
        return try await resolver.exchange(query)
    }

    /// The zone a name belongs to: the owner of the SOA found in the answer or authority section, walking up one
    /// label at a time while neither has one.
    /// - Throws: ``LexiconError`` `notFound` (status 3 with `No domain found`) when no level has an SOA.
    public func zone(of name: DNSName) async throws -> DNSName {
        var current: DNSName? = name
        while let candidate = current, !candidate.labels.isEmpty {
            let answer = try await ask(candidate, .soa)
            if answer.rcode == DNSRCode.noError || answer.rcode == DNSRCode.nxDomain {
                if let soa = answer.answers.first(where: { $0.type == .soa }) { return soa.name }
                if let soa = answer.authority.first(where: { $0.type == .soa }), name.isSubdomain(of: soa.name) {
                    return soa.name
                }
            }
            current = candidate.parent
        }
        throw LexiconError.domainNotFound(
            name.bare, provider: "dns",
            hint:
                "No server behind \(resolver.servers.map(\.description).joined(separator: ", ")) has an SOA for it or a parent; check the name or \(resolverSetting)."
        )
    }

    /// The authoritative servers of a zone: its NS names and their addresses (port 53).
    /// - Throws: ``LexiconError`` when the zone has no NS records or none of them has an address.
    public func nameservers(of zone: DNSName) async throws -> [(name: DNSName, addresses: [DNSServerAddress])] {
        let answer = try await ask(zone, .ns)
        let names = answer.answers.filter { $0.type == .ns && $0.name == zone }.compactMap {
            var reader = WireReader($0.rdata)
            return try? reader.name()
        }
        guard !names.isEmpty else {
            throw LexiconError(
                .network, "the zone \(zone.bare) has no NS records at \(resolver.servers[0]) (\(answer.rcodeName)).")
        }
        var result: [(name: DNSName, addresses: [DNSServerAddress])] = []
        for name in names.sorted() {
            var addresses = answer.additional.filter { $0.name == name }.compactMap(Self.address)
            if addresses.isEmpty {
                for type in [DNSType.a, .aaaa] {
                    let lookup = try await ask(name, type)
                    addresses += lookup.answers.filter { $0.type == type }.compactMap(Self.address)
                }
            }
            result.append((name, addresses))
        }
        guard result.contains(where: { !$0.addresses.isEmpty }) else {
            let shown = names.map(\.bare).joined(separator: ", ")
            throw LexiconError(.network, "no address found for the nameservers of \(zone.bare) (\(shown)).")
        }
        return result
    }

    /// The target of a CNAME at a name, or nil when it has none.
    public func cnameTarget(of name: DNSName) async throws -> DNSName? {
        let answer = try await ask(name, .cname)
        guard let record = answer.answers.first(where: { $0.type == .cname && $0.name == name }) else { return nil }
        var reader = WireReader(record.rdata)
        return try reader.name()
    }

    static func address(_ record: DNSResourceRecord) -> DNSServerAddress? {
        guard record.type == .a || record.type == .aaaa else { return nil }
        return DNSServerAddress(host: RDataText.format(type: record.type, rdata: record.rdata))
    }
}
