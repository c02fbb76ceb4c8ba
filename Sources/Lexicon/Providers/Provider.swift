/// What a provider is asked to write: normalised by ``Client`` before the provider sees it.
public struct RecordInput: Sendable, Hashable {
    /// The record type.
    public var type: RecordType
    /// The owner name: normalised absolute name, or nil when the operation does not name one.
    public var name: String?
    /// The normalised content, or nil when not given.
    public var content: String?
    /// TTL in seconds: nil means keep (update) or default (create); 0 means the provider default.
    public var ttl: Int?
    /// The MX priority.
    public var priority: Int?

    /// Creates an input.
    public init(type: RecordType, name: String?, content: String?, ttl: Int? = nil, priority: Int? = nil) {
        self.type = type
        self.name = name
        self.content = content
        self.ttl = ttl
        self.priority = priority
    }
}

/// A list, update or delete filter; nil fields match anything.
public struct RecordFilter: Sendable, Hashable {
    /// The type to match.
    public var type: RecordType?
    /// The normalised absolute name to match.
    public var name: String?
    /// The normalised content to match.
    public var content: String?

    /// Creates a filter.
    public init(type: RecordType? = nil, name: String? = nil, content: String? = nil) {
        self.type = type
        self.name = name
        self.content = content
    }

    /// Whether a record passes the filter.
    public func matches(_ record: Record) -> Bool {
        if let type, record.type != type { return false }
        if let name, record.name != name { return false }
        if let content, record.content != content { return false }
        return true
    }
}

/// A DNS provider: the five operations of the record contract (see the README's "Record contract").
///
/// Implementations are actors created per zone by their ``ProviderDescriptor``'s factory. ``Client`` validates and
/// normalises every name and content before calling them, and calls ``authenticate()`` first.
public protocol Provider: Actor {
    /// The provider's descriptor: name, options, capabilities.
    static var descriptor: ProviderDescriptor { get }

    /// Resolves the zone at the provider and checks the credentials.
    /// - Throws: ``LexiconError`` `authentication`, with a message starting `No domain found` for an unmanaged zone.
    func authenticate() async throws

    /// Adds a value; succeeds without change when the same type, name and content exist.
    /// - Parameter record: The value; `name` and `content` are set.
    /// - Returns: Whether the value is now present.
    func createRecord(_ record: RecordInput) async throws -> Bool

    /// Lists records, ungrouped, from every page.
    /// - Parameter filter: What to match.
    /// - Returns: Matching records; an empty list when nothing matches.
    func listRecords(_ filter: RecordFilter) async throws -> [Record]

    /// Changes one value, found by identifier or by type and name.
    /// - Parameters:
    ///   - identifier: The record's id, or nil to match by type and name.
    ///   - record: The new values; nil fields keep the old ones.
    /// - Returns: Whether the record was updated.
    /// - Throws: ``LexiconError`` `notFound` or `ambiguous` (with the candidate ids).
    func updateRecord(identifier: String?, _ record: RecordInput) async throws -> Bool

    /// Deletes by identifier, or every record matching the filter (a whole set when content is nil).
    /// - Returns: true, also when nothing matched.
    func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool
}
