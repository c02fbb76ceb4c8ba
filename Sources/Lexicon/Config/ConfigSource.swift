/// One layer of configuration; ``ConfigResolver`` asks its layers in order.
public protocol ConfigSource: Sendable {
    /// Resolves a key such as `lexicon:cloudflare:auth_token`.
    /// - Parameters:
    ///   - key: The full key.
    ///   - logger: Where deprecation notices go.
    /// - Returns: The value, or nil when this layer does not set it.
    func resolve(_ key: String, logger: LexiconLogger) -> String?

    /// What the layer is, for descriptions (`arguments`, `environment`, a file path).
    var sourceName: String { get }

    /// The layer's keys and values, for descriptions (values are redacted by the resolver).
    var entries: [(key: String, value: String)] { get }
}

/// Command-line arguments: resolved by the key's last segment, as in dns-lexicon.
public struct ArgsConfigSource: ConfigSource {
    let arguments: [String: String]

    /// Creates the layer.
    /// - Parameter arguments: Option names in snake_case (`auth_token`) and their values; nil values are unset.
    public init(_ arguments: [String: String?]) {
        self.arguments = arguments.compactMapValues { $0 }
    }

    public func resolve(_ key: String, logger: LexiconLogger) -> String? {
        guard let last = key.split(separator: ":").last else { return nil }
        return arguments[String(last)]
    }

    public var sourceName: String { "arguments" }
    public var entries: [(key: String, value: String)] {
        arguments.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// Environment variables: `LEXICON_<PROVIDER>_<OPTION>`, with the legacy alias without `AUTH_`; empty is unset.
public struct EnvironmentConfigSource: ConfigSource {
    let variables: [String: String]

    /// Creates the layer.
    /// - Parameter variables: The environment (only `LEXICON_` variables are kept).
    public init(_ variables: [String: String]) {
        self.variables = variables.filter { $0.key.hasPrefix("LEXICON_") && !$0.value.isEmpty }
    }

    public func resolve(_ key: String, logger: LexiconLogger) -> String? {
        let name = ConfigResolver.environmentName(for: key)
        if let value = variables[name] { return value }
        let segments = key.split(separator: ":")
        if let last = segments.last, last.hasPrefix("auth_") {
            let legacyKey = (segments.dropLast() + [last.dropFirst(5)]).joined(separator: ":")
            let legacy = ConfigResolver.environmentName(for: legacyKey)
            if let value = variables[legacy] {
                logger.warning("\(legacy) is deprecated; use \(name) instead.")
                return value
            }
        }
        return nil
    }

    public var sourceName: String { "environment" }
    public var entries: [(key: String, value: String)] {
        variables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// A dictionary given by a library caller: `["provider_name": "cloudflare", "cloudflare": ["auth_token": "…"]]`.
public struct DictConfigSource: ConfigSource {
    let root: ConfigValue
    let name: String

    /// Creates the layer.
    /// - Parameters:
    ///   - values: The mapping, rooted below `lexicon:`.
    ///   - name: What to call it in descriptions.
    public init(_ values: [String: ConfigValue], name: String = "dictionary") {
        self.root = .mapping(values)
        self.name = name
    }

    public func resolve(_ key: String, logger: LexiconLogger) -> String? {
        let path = key.split(separator: ":").map(String.init)
        guard path.first == "lexicon" else { return nil }
        return root.lookup(path.dropFirst())
    }

    public var sourceName: String { name }
    public var entries: [(key: String, value: String)] { root.leaves() }
}
