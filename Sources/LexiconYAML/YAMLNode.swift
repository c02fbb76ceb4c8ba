/// A node of a YAML document: a scalar, a mapping or a sequence, with the line and column where it starts.
public struct YAMLNode: Sendable, Hashable {
    /// What the node holds.
    public indirect enum Content: Sendable, Hashable {
        /// A scalar's text; `isPlain` is false for quoted and block scalars.
        case scalar(String, isPlain: Bool)
        /// Key-value pairs in document order.
        case mapping([YAMLMappingEntry])
        /// Items in document order.
        case sequence([YAMLNode])
    }

    /// What the node holds.
    public var content: Content
    /// The 1-based line where the node starts.
    public var line: Int
    /// The 1-based column where the node starts.
    public var column: Int

    /// Creates a node.
    public init(_ content: Content, line: Int, column: Int = 1) {
        self.content = content
        self.line = line
        self.column = column
    }

    /// Whether the node is a plain null scalar (``, `~`, `null`).
    public var isNull: Bool {
        guard case .scalar(let text, let isPlain) = content, isPlain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The scalar's text, or nil for mappings and sequences.
    public var scalarValue: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The mapping's entries, or nil.
    public var mappingEntries: [YAMLMappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The sequence's items, or nil.
    public var sequenceItems: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The value of a mapping's key, or nil.
    public subscript(key: String) -> YAMLNode? {
        mappingEntries?.first { $0.key.scalarValue == key }?.value
    }

    /// The node a dotted key path leads to (`["pools", "0", "check"]`: list items by index, mapping values by key),
    /// or the deepest node on the way when the path leaves the document; errors take their line from it.
    public func descendant(at path: [String]) -> YAMLNode {
        var node = self
        for component in path {
            if let index = Int(component), let items = node.sequenceItems, items.indices.contains(index) {
                node = items[index]
            } else if let child = node[component] {
                node = child
            } else {
                break
            }
        }
        return node
    }

    /// "a mapping", "a list", "a string" or "nothing", for error messages.
    public var kindDescription: String {
        switch content {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: isNull ? "nothing" : "a string"
        }
    }
}

/// One key-value pair of a mapping.
public struct YAMLMappingEntry: Sendable, Hashable {
    /// The key node.
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// Creates an entry.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
