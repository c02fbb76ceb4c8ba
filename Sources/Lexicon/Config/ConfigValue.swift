/// A configuration value from a dictionary or file: a single value or a mapping of further values.
public indirect enum ConfigValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByDictionaryLiteral
{
    /// A single value, kept as text.
    case value(String)
    /// Named values.
    case mapping([String: ConfigValue])

    public init(stringLiteral value: String) { self = .value(value) }
    public init(integerLiteral value: Int) { self = .value(String(value)) }
    public init(booleanLiteral value: Bool) { self = .value(value ? "true" : "false") }
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .mapping(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The value at a path of keys, if every step exists.
    func lookup(_ path: ArraySlice<String>) -> String? {
        guard let first = path.first else {
            if case .value(let text) = self { return text }
            return nil
        }
        guard case .mapping(let entries) = self, let next = entries[first] else { return nil }
        return next.lookup(path.dropFirst())
    }

    /// Every leaf as a dotted key path and its value, sorted by key.
    func leaves(prefix: String = "") -> [(key: String, value: String)] {
        switch self {
        case .value(let text):
            return [(prefix, text)]
        case .mapping(let entries):
            return entries.keys.sorted().flatMap { key in
                entries[key]!.leaves(prefix: prefix.isEmpty ? key : prefix + ":" + key)
            }
        }
    }
}
