/// A JSON document: what provider APIs send and receive. Parsing is strict (RFC 8259), never traps on any input,
/// and limits nesting; objects keep their keys in order. Lighter and faster than Foundation's Codable decoder,
/// which would bring Foundation into every command.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number as written, so large integers and decimals survive unchanged.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Key-value pairs in document order.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let pairs):
            for (key, value) in pairs {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// An integer number.
    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// The value of a key in an object (the first, if repeated); nil for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The string, or nil for other kinds.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as an integer, or nil when it is not a whole number in range.
    public var int: Int? {
        if case .number(let text) = self { return Int(text) ?? Double(text).flatMap { Int(exactly: $0) } }
        return nil
    }

    /// The number as a double.
    public var double: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The boolean, or nil for other kinds.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, or nil for other kinds.
    public var array: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// The key-value pairs, or nil for other kinds.
    public var object: [(String, JSONValue)]? {
        if case .object(let pairs) = self { return pairs }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool { self == .null }
}
