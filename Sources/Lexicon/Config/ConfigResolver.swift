/// Layered configuration with dns-lexicon's model: keys `lexicon:<option>` and `lexicon:<provider>:<option>`,
/// sources asked in the order the builders were called (first call wins).
///
/// ```swift
/// let config = try ConfigResolver()
///     .withArgs(["provider_name": "localzone", "filename": "example.com.zone"])
///     .withEnv()
///     .withConfigDir(".")
/// ```
public struct ConfigResolver: Sendable, CustomStringConvertible {
    /// The layers, highest precedence first.
    public private(set) var sources: [any ConfigSource] = []
    /// Warnings found while loading (config files holding secrets with loose permissions).
    public private(set) var warnings: [String] = []
    /// Where deprecation notices go.
    public var logger: LexiconLogger = LexiconLogger()

    /// The values used when no layer sets a key.
    public static let defaults: [String: String] = ["lexicon:ttl": "3600"]

    /// Creates an empty resolver (only the built-in defaults).
    public init() {}

    /// Resolves a key through the layers, then the defaults.
    /// - Parameter key: `lexicon:<option>` or `lexicon:<provider>:<option>`.
    /// - Returns: The value, or nil.
    public func resolve(_ key: String) -> String? {
        for source in sources {
            if let value = source.resolve(key, logger: logger) { return value }
        }
        return Self.defaults[key]
    }

    /// Where the value of a key comes from: the option on the command line, the variable (or its `_FILE`, or a
    /// credential), or the file; nil when only the defaults (or nothing) set it.
    public func origin(of key: String) -> String? {
        for source in sources {
            if let origin = source.origin(of: key) { return origin }
        }
        return nil
    }

    /// Adds a layer below the existing ones.
    public func with(_ source: any ConfigSource) -> ConfigResolver {
        var copy = self
        copy.sources.append(source)
        return copy
    }

    /// Adds command-line arguments (snake_case option names).
    public func withArgs(_ arguments: [String: String?]) -> ConfigResolver {
        with(ArgsConfigSource(arguments))
    }

    /// Adds the environment's `LEXICON_*` variables.
    /// - Parameter environment: The variables; the process environment by default.
    public func withEnv(_ environment: [String: String] = ProcessEnvironment.variables) -> ConfigResolver {
        let source = EnvironmentConfigSource(environment)
        var copy = with(source)
        copy.warnings += source.warnings
        return copy
    }

    /// Adds a mapping given by a library caller.
    public func withDict(_ values: [String: ConfigValue]) -> ConfigResolver {
        with(DictConfigSource(values))
    }

    /// Adds a Lexicon 2.x flat dictionary: keys other than the global ones move under `provider_name`.
    public func withLegacyDict(_ values: [String: String]) -> ConfigResolver {
        var root: [String: ConfigValue] = [:]
        var providerValues: [String: ConfigValue] = [:]
        for (key, value) in values {
            if Self.globalKeys.contains(key) {
                root[key] = .value(value)
            } else {
                providerValues[key] = .value(value)
            }
        }
        if let provider = values["provider_name"] ?? values["provider"] {
            root[provider] = .mapping(providerValues)
            root["provider_name"] = .value(provider)
        }
        return with(DictConfigSource(root, name: "legacy dictionary"))
    }

    /// Adds a `lexicon.yml`.
    /// - Throws: ``LexiconError`` `config` naming the file, line and key.
    public func withConfigFile(_ path: String) throws -> ConfigResolver {
        try adding(FileConfigSource(path: path))
    }

    /// Adds a `lexicon_<provider>.yml`.
    /// - Throws: ``LexiconError`` `config` naming the file, line and key.
    public func withProviderConfigFile(_ provider: String, _ path: String) throws -> ConfigResolver {
        try adding(FileConfigSource(path: path, provider: provider))
    }

    /// Adds every `lexicon_<provider>.yml`/`.yaml` in a directory, then its `lexicon.yml`/`.yaml`.
    /// - Parameter directory: The directory; a missing one is an error only when `mustExist`.
    /// - Throws: ``LexiconError`` `config`.
    public func withConfigDir(_ directory: String, mustExist: Bool = true) throws -> ConfigResolver {
        guard FileIO.isDirectory(directory) else {
            if !mustExist { return self }
            throw LexiconError(.config, "the config directory \(directory) does not exist; check --config-dir.")
        }
        var result = self
        var globals: [String] = []
        for name in try FileIO.list(directory) {
            let stem: Substring
            if name.hasSuffix(".yml") {
                stem = name.dropLast(4)
            } else if name.hasSuffix(".yaml") {
                stem = name.dropLast(5)
            } else {
                continue
            }
            let path = directory == "." ? name : directory + "/" + name
            guard FileIO.isFile(path) else { continue }
            if stem == "lexicon" {
                globals.append(path)
            } else if stem.hasPrefix("lexicon_"), stem.count > 8 {
                let provider = String(stem.dropFirst(8))
                if provider.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                    result = try result.withProviderConfigFile(provider, path)
                }
            }
        }
        for path in globals.sorted(by: { $0.hasSuffix(".yml") && !$1.hasSuffix(".yml") }) {
            result = try result.withConfigFile(path)
        }
        return result
    }

    private func adding(_ source: FileConfigSource) -> ConfigResolver {
        var copy = with(source)
        if source.holdsSecret, let warning = FileIO.secretPermissionWarning(source.path) {
            copy.warnings.append(warning)
        }
        return copy
    }

    /// Checks every config file for unknown provider sections.
    /// - Parameter providers: The known provider names and aliases.
    /// - Throws: ``LexiconError`` `config` naming the file, line and key.
    public func validate(providers: Set<String>) throws {
        for case let file as FileConfigSource in sources {
            try file.validate(providers: providers)
        }
        for case let environment as EnvironmentConfigSource in sources {
            if let problem = environment.problems.first { throw LexiconError(.config, problem) }
        }
    }

    /// Every layer and its values, secrets shown as `<redacted>`.
    public var description: String {
        var lines = ["ConfigResolver:"]
        for source in sources {
            lines.append("  \(source.sourceName):")
            for entry in source.entries {
                let value = Self.isSecretKey(entry.key) ? "<redacted>" : entry.value
                lines.append("    \(entry.key) = \(value)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Whether a key (or environment variable) names a secret: it contains `auth_`, `token`, `secret`, `password`
    /// or `key`.
    public static func isSecretKey(_ key: String) -> Bool {
        // On ASCII-lowercased bytes: every provider option is checked when the registry is built, at each start.
        let lower = key.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        // `starts(with:)` at each offset: `firstRange(of:)` comes from the string-processing library and costs more
        // at start-up than the whole search.
        return secretMarkers.contains { marker in lower.indices.contains { lower[$0...].starts(with: marker) } }
    }

    /// What a secret key contains, as bytes.
    private static let secretMarkers: [[UInt8]] = ["auth_", "token", "secret", "password", "key"].map { Array($0.utf8) }

    /// The environment variable for a key: `lexicon:cloudflare:auth_token` -> `LEXICON_CLOUDFLARE_AUTH_TOKEN`.
    public static func environmentName(for key: String) -> String {
        String(key.uppercased().map { $0 == ":" || $0 == "-" ? "_" : $0 })
    }

    /// The keys that are not provider options (dns-lexicon's global keys).
    public static let globalKeys: Set<String> = [
        "provider_name", "action", "domain", "type", "name", "content", "ttl", "priority", "identifier",
        "delegated", "config_dir", "output", "log_level", "resolve_zone_name", "http_timeout", "lock_dir",
    ]
}
