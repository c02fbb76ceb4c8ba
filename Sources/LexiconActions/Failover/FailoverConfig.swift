import Lexicon
import LexiconYAML

/// The `lexicon failover` configuration file: the pools to keep healthy, each one record set whose values are the
/// pool's addresses that answer their check.
///
/// ```yaml
/// interval: 10                 # seconds between rounds (a random 0–10 % is added)
/// pools:
///   - provider: powerdns       # provider options come through the config resolver (env, lexicon.yml)
///     domain: example.test
///     name: www
///     type: A
///     ttl: 60
///     addresses: [192.0.2.10, 192.0.2.11, 192.0.2.12]
///     check: {kind: http, port: 8080, path: /health, timeout: 2}   # or kind: https / tcp / exec
///     fall: 3
///     rise: 2
///     min_healthy: 1
///     max_removals_per_round: 1
/// ```
///
/// Decode it with ``load(_:registry:)``, which checks every value and answers with resolved ``FailoverPool``s.
public struct FailoverConfig: Decodable, Sendable {
    /// How an address is checked.
    public struct Check: Decodable, Sendable {
        /// `http`, `https`, `tcp` or `exec`.
        public var kind: String
        /// The port (http 80, https 443; tcp needs one; exec passes it to the command).
        public var port: Int?
        /// http(s): the path and query (default `/`).
        public var path: String?
        /// http(s): `GET` (default) or `HEAD`.
        public var method: String?
        /// http(s): the Host header, SNI and certificate name (default: the address).
        public var host: String?
        /// http(s): the statuses that pass (default 200–399).
        public var expect: [Int]?
        /// http(s): a text the body must contain.
        public var body: String?
        /// https: whether the certificate is verified (default true).
        public var tls_verify: Bool?
        /// https: CA certificates to verify against instead of the system's.
        public var ca_file: String?
        /// exec: the command; passes when it exits with status 0.
        public var command: String?
        /// Seconds for the whole check (default 5).
        public var timeout: Double?
        /// http(s), tcp: seconds to connect (default: the timeout).
        public var connect_timeout: Double?
    }

    /// One pool: a record set and the addresses that may be in it.
    public struct Pool: Decodable, Sendable {
        public var provider: String
        public var domain: String
        public var name: String
        public var type: String
        public var ttl: Int?
        public var addresses: [String]
        public var check: Check
        public var fall: Int?
        public var rise: Int?
        public var min_healthy: Int?
        public var max_removals_per_round: Int?
        /// Provider options (as `lexicon.yml` takes them); the environment and `lexicon.yml` also apply.
        public var options: [String: String]?
        /// A command run on every transition of this pool (instead of the top-level hook).
        public var hook: String?
    }

    /// Seconds between rounds (default 30).
    public var interval: Double?
    /// Checks run at once, over all pools (default 16).
    public var concurrency: Int?
    /// Seconds after which the record set is read again even when nothing is to change (default 300).
    public var resync: Double?
    /// The state file (default: `failover-<config name>.json` in the state directory).
    public var state_file: String?
    /// A command run on every transition.
    public var hook: String?
    /// The pools.
    public var pools: [Pool]

    /// Reads and checks a configuration file.
    /// - Parameters:
    ///   - path: The file.
    ///   - registry: The providers pools may name.
    /// - Returns: The configuration and its pools, resolved.
    /// - Throws: ``LexiconError`` `config` naming the file, line and key of the first problem.
    public static func load(_ path: String, registry: ProviderRegistry) throws -> (FailoverConfig, [FailoverPool]) {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw LexiconError(.config, "cannot read the failover configuration \(path).")
        }
        let root: YAMLNode?
        let config: FailoverConfig
        do {
            root = try YAMLParser.parse(String(decoding: bytes, as: UTF8.self), file: path)
            config = try YAMLDecoder().decode(FailoverConfig.self, from: root, file: path)
        } catch {
            throw LexiconError(.config, "\(error)")
        }
        let checker = Checker(file: path, root: root)
        if let interval = config.interval, !(interval >= 1 && interval <= 86_400) {
            throw checker.error(["interval"], "seconds from 1 to 86400, not \(interval).")
        }
        if let concurrency = config.concurrency, !(1...256).contains(concurrency) {
            throw checker.error(["concurrency"], "a number from 1 to 256, not \(concurrency).")
        }
        if let resync = config.resync, !(resync >= 0) {
            throw checker.error(["resync"], "seconds (0 reads the record set every round), not \(resync).")
        }
        guard !config.pools.isEmpty else { throw checker.error(["pools"], "give at least one pool.") }
        var pools: [FailoverPool] = []
        for (index, pool) in config.pools.enumerated() {
            let resolved = try checker.pool(pool, at: ["pools", String(index)], registry: registry)
            if let other = pools.first(where: { $0.key == resolved.key }) {
                throw checker.error(
                    ["pools", String(index)], "the same record set as an earlier pool (\(other.label)).")
            }
            pools.append(resolved)
        }
        return (config, pools)
    }

    /// A warning when the file holds provider secrets (in a pool's options) and others may read it.
    public static func permissionWarning(_ path: String, pools: [FailoverPool]) -> String? {
        let holdsSecret = pools.contains {
            $0.options.contains { !$0.value.isEmpty && ConfigResolver.isSecretKey($0.key) }
        }
        return holdsSecret ? FileIO.secretPermissionWarning(path) : nil
    }

    /// Checks values and names the line of the first bad one.
    struct Checker {
        let file: String
        let root: YAMLNode?

        func error(_ path: [String], _ message: String) -> LexiconError {
            let line = root?.descendant(at: path).line
            return LexiconError(
                .config,
                YAMLError(file: file, line: line, keyPath: path.joined(separator: "."), message: message)
                    .description)
        }

        func pool(_ pool: Pool, at path: [String], registry: ProviderRegistry) throws -> FailoverPool {
            guard let descriptor = registry.descriptor(named: pool.provider) else {
                throw error(path + ["provider"], registry.unknownProviderMessage(pool.provider))
            }
            for key in (pool.options ?? [:]).keys.sorted() where descriptor.option(named: key) == nil {
                throw error(path + ["options", key], descriptor.unknownOptionMessage(key))
            }
            let needed: ProviderDescriptor.Capabilities = [.list, .create, .delete]
            guard descriptor.capabilities.isSuperset(of: needed) else {
                throw error(
                    path + ["provider"],
                    "\(descriptor.name) cannot list, add and remove single values, which failover needs.")
            }
            let type = RecordType(rawValue: pool.type.uppercased())
            guard let family = IPAddress.Family(type) else {
                throw error(path + ["type"], "A or AAAA, not \(pool.type).")
            }
            let names: NameNormalizer
            do {
                names = try NameNormalizer(zone: pool.domain)
            } catch let failure as LexiconError {
                throw error(path + ["domain"], failure.message)
            }
            let fqdn: String
            do {
                fqdn = try names.absolute(pool.name)
            } catch let failure as LexiconError {
                throw error(path + ["name"], failure.message)
            }
            guard !pool.addresses.isEmpty else { throw error(path + ["addresses"], "give at least one address.") }
            var addresses: [IPAddress] = []
            for (index, text) in pool.addresses.enumerated() {
                guard let address = IPAddress(text), address.family == family else {
                    throw error(
                        path + ["addresses", String(index)], "\"\(text)\" is not an \(family.rawValue) address.")
                }
                guard !addresses.contains(address) else {
                    throw error(path + ["addresses", String(index)], "\(address) is listed twice.")
                }
                addresses.append(address)
            }
            let ttl = pool.ttl ?? 60
            guard (1...2_147_483_647).contains(ttl) else {
                throw error(path + ["ttl"], "seconds from 1 to 2147483647, not \(ttl).")
            }
            let fall = pool.fall ?? 3
            guard (1...100).contains(fall) else { throw error(path + ["fall"], "a number from 1 to 100, not \(fall).") }
            let rise = pool.rise ?? 2
            guard (1...100).contains(rise) else { throw error(path + ["rise"], "a number from 1 to 100, not \(rise).") }
            let minHealthy = pool.min_healthy ?? 1
            guard (0...addresses.count).contains(minHealthy) else {
                throw error(path + ["min_healthy"], "a number from 0 to \(addresses.count) (the pool's size).")
            }
            let maxRemovals = pool.max_removals_per_round ?? 1
            guard maxRemovals >= 1 else { throw error(path + ["max_removals_per_round"], "at least 1.") }
            return FailoverPool(
                provider: pool.provider, domain: pool.domain, fqdn: fqdn, type: type, ttl: ttl,
                addresses: addresses, check: try check(pool.check, at: path + ["check"]), fall: fall, rise: rise,
                minHealthy: minHealthy, maxRemovalsPerRound: maxRemovals, options: pool.options ?? [:], hook: pool.hook)
        }

        func check(_ check: Check, at path: [String]) throws -> HealthCheck {
            guard let kind = HealthCheck.Kind(rawValue: check.kind.lowercased()) else {
                throw error(path + ["kind"], "http, https, tcp or exec, not \(check.kind).")
            }
            let given: [(String, Bool)] = [
                ("path", check.path != nil), ("method", check.method != nil), ("host", check.host != nil),
                ("expect", check.expect != nil), ("body", check.body != nil), ("tls_verify", check.tls_verify != nil),
                ("ca_file", check.ca_file != nil), ("command", check.command != nil),
                ("connect_timeout", check.connect_timeout != nil),
            ]
            let applies: Set<String> =
                switch kind {
                case .http: ["path", "method", "host", "expect", "body", "connect_timeout"]
                case .https: ["path", "method", "host", "expect", "body", "connect_timeout", "tls_verify", "ca_file"]
                case .tcp: ["connect_timeout"]
                case .exec: ["command"]
                }
            for (key, present) in given where present && !applies.contains(key) {
                throw error(path + [key], "does not apply to \(kind.rawValue) checks.")
            }
            var result = HealthCheck(kind: kind)
            if let port = check.port {
                guard (1...65_535).contains(port) else {
                    throw error(path + ["port"], "a port from 1 to 65535, not \(port).")
                }
                result.port = port
            } else if kind == .tcp {
                throw error(path, "a tcp check needs a port.")
            }
            let timeout = check.timeout ?? 5
            guard timeout > 0 && timeout <= 300 else {
                throw error(path + ["timeout"], "seconds from 0 to 300, not \(timeout).")
            }
            result.timeout = timeout
            if let connect = check.connect_timeout {
                guard connect > 0 && connect <= timeout else {
                    throw error(path + ["connect_timeout"], "seconds above 0 and at most the timeout (\(timeout)).")
                }
                result.connectTimeout = connect
            } else {
                result.connectTimeout = timeout
            }
            if let path_ = check.path {
                guard path_.hasPrefix("/"), !path_.contains(where: { $0 == " " || $0.isNewline }) else {
                    throw error(path + ["path"], "a path starting with / and without spaces, not \"\(path_)\".")
                }
                result.path = path_
            }
            if let method = check.method {
                guard ["GET", "HEAD"].contains(method.uppercased()) else {
                    throw error(path + ["method"], "GET or HEAD, not \(method).")
                }
                result.method = method.uppercased()
                if result.method == "HEAD" && check.body != nil {
                    throw error(path + ["body"], "a HEAD answer has no body to search; use method GET.")
                }
            }
            if let host = check.host {
                do {
                    result.host = try NameNormalizer.canonical(host, what: "host")
                } catch let failure as LexiconError {
                    throw error(path + ["host"], failure.message)
                }
            }
            if let expect = check.expect {
                guard !expect.isEmpty else { throw error(path + ["expect"], "give at least one status.") }
                for (index, status) in expect.enumerated() where !(100...599).contains(status) {
                    throw error(path + ["expect", String(index)], "an HTTP status from 100 to 599, not \(status).")
                }
                result.expect = expect
            }
            if let body = check.body {
                guard !body.isEmpty else { throw error(path + ["body"], "an empty text matches every body.") }
                result.body = body
            }
            result.verifyTLS = check.tls_verify ?? true
            if let caFile = check.ca_file {
                guard FileIO.isFile(caFile) else {
                    throw error(path + ["ca_file"], "\(caFile) is not a readable file.")
                }
                result.caFile = caFile
            }
            if kind == .exec {
                guard let command = check.command, !command.allSatisfy({ $0 == " " }) else {
                    throw error(path, "an exec check needs a command.")
                }
                result.command = command
            }
            return result
        }
    }
}

/// A pool as ``FailoverConfig/load(_:registry:)`` resolves it: every value checked, defaults filled in.
public struct FailoverPool: Sendable {
    /// The provider.
    public var provider: String
    /// The domain (which finds the zone).
    public var domain: String
    /// The record's name, absolute (the config's `name` taken relative to `domain`), without the trailing dot.
    public var fqdn: String
    /// A or AAAA.
    public var type: RecordType
    /// The TTL of values the monitor adds.
    public var ttl: Int
    /// The addresses: the only values the monitor ever adds or removes.
    public var addresses: [IPAddress]
    /// How an address is checked.
    public var check: HealthCheck
    /// Consecutive failed checks that make an address down.
    public var fall: Int
    /// Consecutive passed checks that make a down address up.
    public var rise: Int
    /// The fewest pool values the record set keeps while any address is up.
    public var minHealthy: Int
    /// The most values removed in one round.
    public var maxRemovalsPerRound: Int
    /// Provider options.
    public var options: [String: String]
    /// The pool's hook, if any.
    public var hook: String?

    /// Creates a pool (``FailoverConfig/load(_:registry:)`` makes them from a file, checking every value).
    public init(
        provider: String, domain: String, fqdn: String, type: RecordType, ttl: Int, addresses: [IPAddress],
        check: HealthCheck, fall: Int, rise: Int, minHealthy: Int, maxRemovalsPerRound: Int,
        options: [String: String], hook: String?
    ) {
        self.provider = provider
        self.domain = domain
        self.fqdn = fqdn
        self.type = type
        self.ttl = ttl
        self.addresses = addresses
        self.check = check
        self.fall = fall
        self.rise = rise
        self.minHealthy = minHealthy
        self.maxRemovalsPerRound = maxRemovalsPerRound
        self.options = options
        self.hook = hook
    }

    /// `www.example.test A`, how logs and status name the pool.
    public var label: String { "\(fqdn) \(type)" }

    /// What identifies the pool's record set in the state file and lock names: `www.example.test-A-powerdns`.
    public var key: String { "\(fqdn)-\(type)-\(provider.lowercased())" }
}
