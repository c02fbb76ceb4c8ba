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

    /// Where this layer's value of a key comes from, for messages (`LEXICON_X_AUTH_TOKEN_FILE (/etc/x)`,
    /// `lexicon.yml`); nil when the layer does not set it.
    func origin(of key: String) -> String?
}

extension ConfigSource {
    public func origin(of key: String) -> String? {
        resolve(key, logger: LexiconLogger(level: .critical)) == nil ? nil : sourceName
    }
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

    public func origin(of key: String) -> String? {
        guard let last = key.split(separator: ":").last, arguments[String(last)] != nil else { return nil }
        return "--" + last.replacing("_", with: "-") + " on the command line"
    }
    public var entries: [(key: String, value: String)] {
        arguments.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// Environment variables: `LEXICON_<PROVIDER>_<OPTION>`, with the legacy alias without `AUTH_`; empty is unset.
///
/// A secret can also come from a file, so that it never shows in `ps`: `<NAME>_FILE` names a file whose content
/// (without trailing line breaks) is the value of `<NAME>`, as Docker and systemd set them up, and a file named `<NAME>`
/// in `$CREDENTIALS_DIRECTORY` (systemd's `LoadCredential=<NAME>:PATH`) is read the same way. A variable set directly
/// comes first, then `<NAME>_FILE`, then the credential.
public struct EnvironmentConfigSource: ConfigSource {
    let variables: [String: String]
    /// Values read from `_FILE` variables and credentials, by the variable they stand for.
    let fileValues: [String: String]
    /// Files named by `_FILE` variables that could not be read, as messages; ``ConfigResolver/validate(providers:)``
    /// reports the first.
    public let problems: [String]
    /// Secret files that others may read, with the `chmod` to run.
    public let warnings: [String]

    /// The largest secret file read, in bytes.
    static let maximumFileSize = 65_536

    /// Creates the layer.
    /// - Parameter variables: The environment (only `LEXICON_` variables and `CREDENTIALS_DIRECTORY` are used).
    public init(_ variables: [String: String]) {
        self.variables = variables.filter { $0.key.hasPrefix("LEXICON_") && !$0.value.isEmpty }
        var files: [String: String] = [:]
        var problems: [String] = []
        var warnings: [String] = []
        func read(_ path: String, for name: String, from origin: String) {
            switch Self.readSecret(path) {
            case .success(let value):
                files[name] = files[name] ?? value
                if let warning = FileIO.secretPermissionWarning(path, holding: "the secret of \(origin)") {
                    warnings.append(warning)
                }
            case .failure(let reason):
                problems.append("\(origin) names \(path), which \(reason).")
            }
        }
        for (name, path) in self.variables.sorted(by: { $0.key < $1.key }) where name.hasSuffix("_FILE") {
            read(path, for: String(name.dropLast(5)), from: name)
        }
        if let directory = variables["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            for name in ((try? FileIO.list(directory)) ?? []).sorted() where name.hasPrefix("LEXICON_") {
                read(directory + "/" + name, for: name, from: "the credential \(name)")
            }
        }
        fileValues = files
        self.problems = problems
        self.warnings = warnings
    }

    /// A secret file's content without trailing line breaks, or why it cannot be used.
    static func readSecret(_ path: String) -> Result<String, SecretFileError> {
        guard FileIO.isFile(path) else { return .failure(SecretFileError("is not a readable file")) }
        guard let bytes = try? FileIO.read(path) else { return .failure(SecretFileError("cannot be read")) }
        guard bytes.count <= maximumFileSize else {
            return .failure(SecretFileError("is larger than \(maximumFileSize) bytes, too large for a secret"))
        }
        var text = bytes[...]
        while let last = text.last, last == 10 || last == 13 { text = text.dropLast() }
        guard let value = String(validating: text, as: UTF8.self) else {
            return .failure(SecretFileError("is not UTF-8 text"))
        }
        return value.isEmpty ? .failure(SecretFileError("is empty")) : .success(value)
    }

    /// Why a secret file cannot be used.
    struct SecretFileError: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    public func resolve(_ key: String, logger: LexiconLogger) -> String? {
        let name = ConfigResolver.environmentName(for: key)
        if let value = variables[name] ?? fileValues[name] { return value }
        let segments = key.split(separator: ":")
        if let last = segments.last, last.hasPrefix("auth_") {
            let legacyKey = (segments.dropLast() + [last.dropFirst(5)]).joined(separator: ":")
            let legacy = ConfigResolver.environmentName(for: legacyKey)
            if let value = variables[legacy] ?? fileValues[legacy] {
                logger.warning("\(legacy) is deprecated; use \(name) instead.")
                return value
            }
        }
        return nil
    }

    public var sourceName: String { "environment" }

    public func origin(of key: String) -> String? {
        let name = ConfigResolver.environmentName(for: key)
        if variables[name] != nil { return name }
        if fileValues[name] != nil {
            if let path = variables[name + "_FILE"] { return "\(name)_FILE (\(path))" }
            return "the credential \(name)"
        }
        return resolve(key, logger: LexiconLogger(level: .critical)) == nil ? nil : "a legacy LEXICON_ variable"
    }
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
