import DNSWire
import Lexicon

/// The DNS side of the command line: `--resolver`, `--nameserver`, `--wait-timeout`, `--wait-interval`,
/// `--no-follow-cname`, shared by `wait-propagation`, `--wait`, `--resolve-zone-name` and `auto`.
struct DNSCommandOptions {
    let options: [String: String]
    let logger: LexiconLogger

    /// The resolver for discovery: `--resolver HOST[:PORT]`, or the system's.
    func finder() throws -> ZoneFinder {
        let servers =
            try options["resolver"].map { try addresses($0, flag: "--resolver") } ?? ZoneFinder.systemResolvers()
        return ZoneFinder(resolver: DNSClient(servers: servers, timeout: 3, rounds: 2, logger: logger))
    }

    /// The checker for `wait-propagation` and `--wait`.
    func checker() throws -> PropagationChecker {
        let timeout = try seconds("wait_timeout", flag: "--wait-timeout", default: 120)
        let interval = try seconds("wait_interval", flag: "--wait-interval", default: 2)
        let nameservers = try options["nameserver"].map { try addresses($0, flag: "--nameserver") } ?? []
        let follow = !(options["no_follow_cname"].map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false)
        // Progress is shown while waiting (stderr) unless --log-level says otherwise.
        var progress = logger
        if options["log_level"] == nil { progress.level = min(progress.level, .info) }
        return PropagationChecker(
            finder: try finder(), nameservers: nameservers, timeout: timeout, interval: interval, followCNAME: follow,
            logger: progress)
    }

    private func seconds(_ key: String, flag: String, default value: Double) throws -> Double {
        guard let text = options[key] else { return value }
        guard let number = Double(text), number > 0, number <= 86_400 else {
            throw LexiconError(.usage, "\(flag) must be a number of seconds between 0 and 86400, not \"\(text)\".")
        }
        return number
    }

    private func addresses(_ text: String, flag: String) throws -> [DNSServerAddress] {
        try DNSServerAddress.list(parsing: text, code: .usage, setting: flag)
    }

    /// The zone of a domain found with SOA queries (`--resolve-zone-name`).
    func discoverZone(of domain: String) async throws -> String {
        let name = try NameNormalizer.canonical(domain, what: "domain")
        do {
            return try await finder().zone(of: try DNSName(name)).bare
        } catch let error as DNSWireError {
            throw LexiconError.invalidInput("the domain \(domain) is not a valid DNS name: \(error.message).")
        }
    }

    /// The provider whose nameserver patterns match the zone's NS records (the `auto` provider).
    func autoProvider(zone: String, registry: ProviderRegistry) async throws -> ProviderDescriptor {
        let nameservers = try await finder().nameservers(of: try DNSName(zone)).map(\.name.bare)
        for descriptor in registry.descriptors where !descriptor.nameserverPatterns.isEmpty {
            if nameservers.contains(where: { ns in descriptor.nameserverPatterns.contains { Self.matches(ns, $0) } }) {
                logger.info(
                    "auto: \(zone) is served by \(nameservers.joined(separator: ", ")): using \(descriptor.name)")
                return descriptor
            }
        }
        throw LexiconError(
            .usage,
            "auto: no provider's nameservers match those of \(zone) (\(nameservers.joined(separator: ", "))); name the provider instead of auto."
        )
    }

    /// Whether a nameserver matches a pattern: `*.ns.cloudflare.com`, or a plain suffix such as `ovh.net`.
    static func matches(_ nameserver: String, _ pattern: String) -> Bool {
        let suffix = pattern.hasPrefix("*.") ? String(pattern.dropFirst(2)) : pattern.lowercased()
        return nameserver == suffix || nameserver.hasSuffix("." + suffix)
    }
}
