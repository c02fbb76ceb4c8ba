/// One DNS record value in the record contract: a record set of three values is three records.
public struct Record: Sendable, Hashable {
    /// An opaque identifier: the provider's native id, or a stable hash of type, name and content.
    public var id: String
    /// The record type.
    public var type: RecordType
    /// The owner name: a lower-case FQDN without the trailing dot, in ASCII (IDNA) form.
    public var name: String
    /// Time to live in seconds.
    public var ttl: Int
    /// The content, unescaped: TXT without quotes, names without the trailing dot, MX without its priority.
    public var content: String
    /// The MX (or other) priority, if the type has one outside its content.
    public var priority: Int?

    /// Creates a record.
    /// - Parameters:
    ///   - id: The identifier; pass nil to derive the stable hash id.
    ///   - type: The record type.
    ///   - name: The owner name (normalised FQDN, no trailing dot).
    ///   - ttl: Time to live in seconds.
    ///   - content: The unescaped content.
    ///   - priority: The priority for MX.
    public init(id: String? = nil, type: RecordType, name: String, ttl: Int, content: String, priority: Int? = nil) {
        self.type = type
        self.name = name
        self.ttl = ttl
        self.content = content
        self.priority = priority
        self.id = id ?? RecordID.stable(type: type, name: name, content: content, priority: priority)
    }

    /// Whether two records are the same value (type, name, content and priority), whatever their ids and TTLs.
    public func sameValue(as other: Record) -> Bool {
        type == other.type && name == other.name && content == other.content && priority == other.priority
    }
}
