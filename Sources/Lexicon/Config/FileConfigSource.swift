import LexiconYAML

/// A `lexicon.yml` (global keys and one mapping per provider) or a `lexicon_<provider>.yml` (that provider's keys at
/// the top level), parsed when the layer is built.
public struct FileConfigSource: ConfigSource {
    /// The file's path.
    public let path: String
    /// The provider of a provider file, nil for `lexicon.yml`.
    public let provider: String?
    let root: [String: ConfigValue]
    /// Line numbers of top-level keys, for errors found later (an unknown provider).
    let lines: [String: Int]

    /// Reads and parses a config file.
    /// - Parameters:
    ///   - path: The YAML file.
    ///   - provider: The provider, for a `lexicon_<provider>.yml`.
    /// - Throws: ``LexiconError`` `config` naming the file, line and key.
    public init(path: String, provider: String? = nil) throws {
        self.path = path
        self.provider = provider
        let bytes = try FileIO.read(path)
        let node: YAMLNode?
        do {
            node = try YAMLParser.parse(String(decoding: bytes, as: UTF8.self), file: path)
        } catch {
            throw LexiconError(.config, "\(error.description). Fix the file and run again.")
        }
        var root: [String: ConfigValue] = [:]
        var lines: [String: Int] = [:]
        if let node {
            guard case .mapping(let entries) = node.content else {
                throw LexiconError(
                    .config,
                    "\(path):\(node.line): expected a mapping of options (key: value), found \(node.kindDescription).")
            }
            for entry in entries {
                let key = try Self.key(entry.key, path: path)
                lines[key] = entry.key.line
                let nested = provider == nil
                root[key] = try Self.value(entry.value, key: key, path: path, allowMapping: nested)
            }
        }
        self.root = root
        self.lines = lines
    }

    private static func key(_ node: YAMLNode, path: String) throws -> String {
        guard case .scalar(let text, _) = node.content, !text.isEmpty else {
            throw LexiconError(.config, "\(path):\(node.line): keys must be plain names.")
        }
        return text
    }

    private static func value(_ node: YAMLNode, key: String, path: String, allowMapping: Bool) throws -> ConfigValue {
        switch node.content {
        case .scalar(let text, _):
            return .value(node.isNull ? "" : text)
        case .mapping(let entries) where allowMapping:
            var values: [String: ConfigValue] = [:]
            for entry in entries {
                let inner = try Self.key(entry.key, path: path)
                values[inner] = try Self.value(entry.value, key: "\(key).\(inner)", path: path, allowMapping: false)
            }
            return .mapping(values)
        default:
            throw LexiconError(
                .config, "\(path):\(node.line): key \"\(key)\": expected a single value, found \(node.kindDescription)."
            )
        }
    }

    public func resolve(_ key: String, logger: LexiconLogger) -> String? {
        var path = key.split(separator: ":").map(String.init)
        guard path.first == "lexicon" else { return nil }
        path.removeFirst()
        if let provider {
            guard path.count == 2, path[0] == provider else { return nil }
            path.removeFirst()
        }
        let value = ConfigValue.mapping(root).lookup(path[...])
        return value?.isEmpty == true ? nil : value
    }

    public var sourceName: String { path }
    public var entries: [(key: String, value: String)] { ConfigValue.mapping(root).leaves() }

    /// Checks that every mapping at the top level of a `lexicon.yml` names a known provider.
    /// - Throws: ``LexiconError`` `config` naming the file, line and key.
    func validate(providers: Set<String>) throws {
        guard provider == nil else { return }
        for (key, value) in root.sorted(by: { $0.key < $1.key }) {
            if case .mapping = value, !providers.contains(key) {
                throw LexiconError(
                    .config,
                    "\(path):\(lines[key] ?? 1): key \"\(key)\": unknown provider"
                        + "\(NearestName.hint(for: key, among: providers.sorted())). Run `lexicon providers` for the list."
                )
            }
        }
    }

    /// Whether the file sets a non-empty secret value.
    var holdsSecret: Bool {
        entries.contains { entry in
            !entry.value.isEmpty && ConfigResolver.isSecretKey(String(entry.key.split(separator: ":").last ?? ""))
        }
    }
}
