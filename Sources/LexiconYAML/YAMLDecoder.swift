/// Decodes ``YAMLNode`` trees into `Decodable` types, with errors that name the file, line and key.
///
/// ```swift
/// struct Job: Decodable { var name: String; var interval: Int? }
/// let job = try YAMLDecoder().decode(Job.self, from: text, file: "jobs.yml")
/// ```
public struct YAMLDecoder: Sendable {
    /// What to do with mapping keys that the decoded types never ask for.
    public enum UnknownKeyPolicy: Sendable {
        /// Ignore them.
        case ignore
        /// Report the first one as an error (`unknown key "foo"`).
        case reject
    }

    /// The policy for unknown keys.
    public var unknownKeys: UnknownKeyPolicy

    /// Creates a decoder.
    /// - Parameter unknownKeys: The policy for unknown keys; `.reject` by default.
    public init(unknownKeys: UnknownKeyPolicy = .reject) {
        self.unknownKeys = unknownKeys
    }

    /// Decodes a value from YAML text.
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - text: The YAML text.
    ///   - file: The file name used in errors.
    /// - Throws: ``YAMLError`` for syntax and decoding errors.
    public func decode<T: Decodable>(_ type: T.Type, from text: String, file: String) throws(YAMLError) -> T {
        try decode(type, from: YAMLParser.parse(text, file: file), file: file)
    }

    /// Decodes a value from a parsed node; nil (an empty document) decodes as an empty mapping.
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - node: The root node.
    ///   - file: The file name used in errors.
    /// - Throws: ``YAMLError`` naming the line and key path.
    public func decode<T: Decodable>(_ type: T.Type, from node: YAMLNode?, file: String) throws(YAMLError) -> T {
        let root = node ?? YAMLNode(.mapping([]), line: 1)
        let recorder = KeyRecorder()
        let decoder = NodeDecoder(node: root, codingPath: [], file: file, recorder: recorder)
        let value: T
        do {
            value = try T(from: decoder)
        } catch let error as YAMLError {
            throw error
        } catch let error as DecodingError {
            throw Self.convert(error, root: root, file: file)
        } catch {
            throw YAMLError(file: file, line: nil, message: "\(error)")
        }
        if unknownKeys == .reject, let unknown = recorder.firstUnknownKey() {
            throw YAMLError(
                file: file, line: unknown.line, keyPath: unknown.path, message: "unknown key \"\(unknown.key)\"")
        }
        return value
    }

    static func convert(_ error: DecodingError, root: YAMLNode, file: String) -> YAMLError {
        let path: [any CodingKey]
        let message: String
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
            message = context.debugDescription
        case .keyNotFound(let key, let context):
            path = context.codingPath
            message = "missing required key \"\(key.stringValue)\""
        @unknown default:
            return YAMLError(file: file, line: nil, message: "\(error)")
        }
        let node = root.descendant(at: path.map { $0.intValue.map(String.init) ?? $0.stringValue })
        return YAMLError(file: file, line: node.line, keyPath: keyPath(path), message: message)
    }

    static func keyPath(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Remembers which keys of which mappings the decoded types asked for.
final class KeyRecorder: @unchecked Sendable {
    private var mappings: [(path: String, node: YAMLNode)] = []
    private var used: [String: Set<String>] = [:]

    func register(_ node: YAMLNode, path: String) {
        if used[path] == nil {
            mappings.append((path, node))
            used[path] = []
        }
    }

    func use(_ key: String, path: String) { used[path, default: []].insert(key) }

    func firstUnknownKey() -> (key: String, line: Int, path: String)? {
        for mapping in mappings {
            for entry in mapping.node.mappingEntries ?? [] {
                guard let key = entry.key.scalarValue else { continue }
                if used[mapping.path]?.contains(key) != true {
                    return (key, entry.key.line, mapping.path.isEmpty ? key : mapping.path + "." + key)
                }
            }
        }
        return nil
    }
}

/// A key for list positions and dictionary entries.
struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// The `Decoder` over one node.
struct NodeDecoder: Decoder {
    let node: YAMLNode
    let codingPath: [any CodingKey]
    let file: String
    let recorder: KeyRecorder
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func error(_ message: String, node: YAMLNode? = nil, path: [any CodingKey]? = nil) -> YAMLError {
        YAMLError(
            file: file, line: (node ?? self.node).line, keyPath: YAMLDecoder.keyPath(path ?? codingPath),
            message: message)
    }

    func child(_ node: YAMLNode, key: any CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, codingPath: codingPath + [key], file: file, recorder: recorder)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let entries = node.mappingEntries ?? (node.isNull ? [] : nil) else {
            throw error("expected a mapping, found \(node.kindDescription)")
        }
        let path = YAMLDecoder.keyPath(codingPath)
        recorder.register(node, path: path)
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, entries: entries, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let items = node.sequenceItems ?? (node.isNull ? [] : nil) else {
            throw error("expected a list, found \(node.kindDescription)")
        }
        return UnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(decoder: self)
    }
}

struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let entries: [YAMLMappingEntry]
    let path: String
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        entries.compactMap { entry in
            guard let text = entry.key.scalarValue else { return nil }
            decoder.recorder.use(text, path: path)
            return Key(stringValue: text)
        }
    }

    private func value(_ key: Key) -> YAMLNode? {
        entries.first { $0.key.scalarValue == key.stringValue }?.value
    }

    func contains(_ key: Key) -> Bool {
        decoder.recorder.use(key.stringValue, path: path)
        return value(key) != nil
    }

    private func require(_ key: Key) throws -> YAMLNode {
        decoder.recorder.use(key.stringValue, path: path)
        guard let node = value(key) else { throw decoder.error("missing required key \"\(key.stringValue)\"") }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.recorder.use(key.stringValue, path: path)
        return value(key)?.isNull ?? true
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: decoder.child(try require(key), key: key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder.child(try require(key), key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try require(key), key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try require(key), key: key) }
}

struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [YAMLNode]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else { throw decoder.error("the list has too few items") }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd && items[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: try next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    private func scalar(_ expected: String) throws -> String {
        guard let text = decoder.node.scalarValue else {
            throw decoder.error("expected \(expected), found \(decoder.node.kindDescription)")
        }
        return text
    }

    func decodeNil() -> Bool { decoder.node.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        let text = try scalar("true or false")
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw decoder.error("expected true or false, found \"\(text)\"")
        }
    }

    func decode(_ type: String.Type) throws -> String { try scalar("a string") }

    func decode(_ type: Double.Type) throws -> Double {
        let text = try scalar("a number")
        guard let value = Double(text), value.isFinite else {
            throw decoder.error("expected a number, found \"\(text)\"")
        }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let text = try scalar("an integer")
        let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw decoder.error("expected an integer, found \"\(text)\"")
        }
        guard let value = T(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
            throw decoder.error("the integer \(text) is out of range (\(T.min) to \(T.max))")
        }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}
