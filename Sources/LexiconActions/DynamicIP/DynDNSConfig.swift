import Lexicon
import LexiconHTTP
import LexiconYAML

/// The `lexicon dyndns` configuration file: an interval and the jobs, each a record kept at this host's address.
///
/// ```yaml
/// interval: 300            # seconds between rounds (a random 0–10 % is added)
/// state_dir: /var/lib/lexicon
/// jobs:
///   - provider: dyndns2
///     domain: dyndns.example
///     name: home
///     type: A                # or AAAA
///     detect: [web:https://api.ipify.org, web:https://ipv4.icanhazip.com, web:https://ifconfig.co/ip]
///     quorum: 2
///     options: {preset: noip, auth_username: me, auth_password: secret}
///     hook: /usr/local/bin/address-changed   # gets LEXICON_OLD_ADDRESS and LEXICON_NEW_ADDRESS
/// ```
public struct DynDNSConfig: Decodable, Sendable {
    /// One record to keep current.
    public struct Job: Decodable, Sendable {
        public var provider: String
        public var domain: String
        public var name: String
        public var type: String
        public var detect: [String]?
        public var quorum: Int?
        public var allow_nonpublic: Bool?
        public var options: [String: String]?
        public var hook: String?

        /// Whether the job keeps both families of one host (`type: A+AAAA`).
        public var isDualStack: Bool { type.uppercased() == "A+AAAA" }

        /// What identifies the job's settings (a hold after `badauth` lasts until these change).
        public var fingerprint: String {
            let options = (self.options ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: ",")
            // A digest, so no secret of the options reaches the state directory.
            return Digest.hex(Digest.hash(.sha256, Array("\(provider)|\(domain)|\(name)|\(type)|\(options)".utf8)))
        }

        /// A label for logs: `home.dyndns.example A via dyndns2`.
        public var label: String {
            "\(name == "@" ? domain : name + "." + domain) \(type.uppercased()) via \(provider)"
        }
    }

    /// Seconds between rounds.
    public var interval: Int?
    /// Where state files go.
    public var state_dir: String?
    /// The jobs.
    public var jobs: [Job]

    /// A warning when the file holds provider secrets (in a job's options) and others may read it.
    public static func permissionWarning(_ path: String, config: DynDNSConfig) -> String? {
        let holdsSecret = config.jobs.contains { job in
            (job.options ?? [:]).contains { !$0.value.isEmpty && ConfigResolver.isSecretKey($0.key) }
        }
        return holdsSecret ? FileIO.secretPermissionWarning(path) : nil
    }

    /// Reads a configuration file; errors name the file, line and key.
    /// - Parameters:
    ///   - path: The file.
    ///   - registry: The providers: with it, an unknown provider or provider option is an error here, before any
    ///     address is detected.
    public static func load(_ path: String, registry: ProviderRegistry? = nil) throws -> DynDNSConfig {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw LexiconError(.config, "cannot read the dyndns configuration \(path).")
        }
        let config: DynDNSConfig
        do {
            config = try YAMLDecoder().decode(
                DynDNSConfig.self, from: String(decoding: bytes, as: UTF8.self), file: path)
        } catch {
            throw LexiconError(.config, "\(error)")
        }
        guard !config.jobs.isEmpty else { throw LexiconError(.config, "\(path): jobs: give at least one job.") }
        if let interval = config.interval, interval < 30 {
            throw LexiconError(
                .config, "\(path): interval: at least 30 seconds (services treat faster polling as abuse).")
        }
        for (index, job) in config.jobs.enumerated() {
            if IPAddress.Family(RecordType(rawValue: job.type)) == nil && !job.isDualStack {
                throw LexiconError(.config, "\(path): jobs.\(index).type: A, AAAA or A+AAAA, not \(job.type).")
            }
            for (offset, source) in (job.detect ?? []).enumerated() {
                do {
                    _ = try AddressSource(parsing: source)
                } catch let error as LexiconError {
                    throw LexiconError(.config, "\(path): jobs.\(index).detect.\(offset): \(error.message)")
                }
            }
            guard let registry else { continue }
            guard let descriptor = registry.descriptor(named: job.provider) else {
                throw LexiconError(
                    .config, "\(path): jobs.\(index).provider: \(registry.unknownProviderMessage(job.provider))")
            }
            for key in (job.options ?? [:]).keys.sorted() where descriptor.option(named: key) == nil {
                throw LexiconError(
                    .config, "\(path): jobs.\(index).options.\(key): \(descriptor.unknownOptionMessage(key))")
            }
        }
        return config
    }
}
