import Lexicon

/// Waits until every authoritative server of a zone serves a value (or no longer serves it), asking each server
/// directly so caches never hide a lagging secondary.
public struct PropagationChecker: Sendable {
    /// Where the zone's servers are found (and CNAMEs followed).
    public var finder: ZoneFinder
    /// Servers to check instead of discovering them.
    public var nameservers: [DNSServerAddress]
    /// Seconds before giving up.
    public var timeout: Double
    /// Seconds between rounds.
    public var interval: Double
    /// Whether a CNAME at an `_acme-challenge` name is followed (acme-dns style delegation).
    public var followCNAME: Bool
    /// Where progress goes.
    public var logger: LexiconLogger
    /// How the caller names the servers to check, in messages (`--nameserver`; the ACME hooks name their variable).
    public var nameserverSetting = "--nameserver"

    /// Creates a checker.
    public init(
        finder: ZoneFinder, nameservers: [DNSServerAddress] = [], timeout: Double = 120, interval: Double = 2,
        followCNAME: Bool = true, logger: LexiconLogger = LexiconLogger()
    ) {
        self.finder = finder
        self.nameservers = nameservers
        self.timeout = timeout
        self.interval = interval
        self.followCNAME = followCNAME
        self.logger = logger
    }

    /// Waits for a value in the record contract's terms.
    /// - Parameters:
    ///   - fqdn: The record's name.
    ///   - type: Its type.
    ///   - content: The value (TXT unquoted, names without the final dot); nil with `present: false` waits until
    ///     the name has no record of the type at all.
    ///   - present: Whether to wait for the value to appear (true) or disappear (false).
    /// - Returns: The servers checked, the name checked (after a CNAME), and the seconds it took.
    /// - Throws: ``LexiconError`` `network` naming the servers that still disagree when the time runs out.
    @discardableResult
    public func wait(fqdn: String, type: RecordType, content: String?, present: Bool = true) async throws
        -> (name: DNSName, servers: [DNSServerAddress], elapsed: Double)
    {
        guard let dnsType = DNSType(mnemonic: type.rawValue) else {
            throw LexiconError.invalidInput("cannot check propagation of the unknown type \(type).")
        }
        var name: DNSName
        do {
            name = try DNSName(fqdn)
        } catch {
            throw LexiconError.invalidInput("\(fqdn) is not a valid DNS name: \(error.message).")
        }
        if followCNAME, dnsType != .cname, name.labels.first == Array("_acme-challenge".utf8),
            let target = try await finder.cnameTarget(of: name)
        {
            logger.info("\(name.bare) is a CNAME to \(target.bare); checking there")
            name = target
        }
        let servers = try await serversToCheck(for: name)
        let expected = content.map { RecordContent.comparable($0, type: type) }
        let started = MonotonicClock.now()
        var round = 0
        var previous: [String] = []
        while true {
            round += 1
            var lagging: [String] = []
            // Servers that answer that they do not serve the zone at all: waiting cannot help them.
            var refusing: [String] = []
            for server in servers {
                let client = DNSClient(servers: [server], timeout: min(3, max(0.5, interval)), rounds: 1)
                do {
                    let answer = try await client.exchange(DNSMessage.query(name, dnsType))
                    if [DNSRCode.refused, DNSRCode.notAuth].contains(answer.rcode)
                        || (answer.rcode == DNSRCode.noError && !answer.isAuthoritative && answer.answers.isEmpty)
                    {
                        let why = answer.rcode == DNSRCode.noError ? "not authoritative" : answer.rcodeName
                        refusing.append("\(server) (\(why))")
                        lagging.append("\(server) does not serve the zone (\(why))")
                        continue
                    }
                    let values = answer.answers.filter { $0.name == name && $0.type == dnsType }.map {
                        RecordContent.comparable(
                            RecordPresentation.content(of: $0.rdataText, type: type).content, type: type)
                    }
                    let serves = expected.map { values.contains($0) } ?? !values.isEmpty
                    if serves != present {
                        lagging.append(
                            "\(server) answers \(values.isEmpty ? "nothing" : values.joined(separator: ", "))")
                    }
                } catch let error as LexiconError {
                    var message = error.message
                    while message.hasSuffix(".") { message.removeLast() }
                    lagging.append("\(server): \(message)")
                }
            }
            let elapsed = MonotonicClock.now() - started
            if lagging.isEmpty {
                let who =
                    servers.count == 1
                    ? "the authoritative server \(present ? "serves" : "no longer serves")"
                    : "all \(servers.count) authoritative servers \(present ? "serve" : "no longer serve")"
                logger.info("\(who) the value (after \(Self.seconds(elapsed)) s)")
                return (name, servers, elapsed)
            }
            if !refusing.isEmpty && refusing.count == servers.count {
                throw LexiconError(
                    .network,
                    "no authoritative server of \(name.bare) serves its zone: \(refusing.joined(separator: ", ")); "
                        + "waiting cannot help. Check the zone's NS records (or \(nameserverSetting)).")
            }
            guard elapsed + interval <= timeout else {
                let what = content.map { "\"\($0)\"" } ?? "any \(type) record"
                throw LexiconError(
                    .network,
                    "after \(Self.seconds(elapsed)) s, not every authoritative server of \(name.bare) \(present ? "serves" : "has dropped") \(what): \(lagging.joined(separator: "; "))."
                )
            }
            // Say what is awaited when it changes; every round only at DEBUG.
            let line =
                "round \(round), \(Self.seconds(elapsed)) s: waiting for \(lagging.count) of \(Plural.count(servers.count, "server")) (\(lagging.joined(separator: "; ")))"
            if lagging != previous { logger.info(line) } else { logger.debug(line) }
            previous = lagging
            try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
    }

    /// Seconds in messages, to a tenth: `0.3`, `12.0`.
    public static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private func serversToCheck(for name: DNSName) async throws -> [DNSServerAddress] {
        if !nameservers.isEmpty { return nameservers }
        let zone = try await finder.zone(of: name)
        let found = try await finder.nameservers(of: zone)
        let servers = found.flatMap(\.addresses)
        logger.info(
            "\(zone.bare) is served by \(found.map { "\($0.name.bare) (\($0.addresses.map(\.description).joined(separator: ", ")))" }.joined(separator: ", "))"
        )
        return servers
    }
}
