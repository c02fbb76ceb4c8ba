/// The values of one name and type with their TTL: the unit that ``ZonePlan`` compares and changes.
public struct ZoneRecordSet: Sendable, Hashable {
    /// What identifies a set in a zone: its owner name and type.
    public struct Key: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// The owner name: a lower-case FQDN without the trailing dot.
        public var name: String
        /// The record type.
        public var type: RecordType

        /// Creates a key.
        public init(name: String, type: RecordType) {
            self.name = name
            self.type = type
        }

        public static func < (lhs: Key, rhs: Key) -> Bool {
            lhs.name != rhs.name ? lhs.name < rhs.name : lhs.type.rawValue < rhs.type.rawValue
        }

        public var description: String { "\(name) \(type)" }
    }

    /// One value of a set: the contract's content and, for MX, the priority.
    public struct Value: Sendable, Hashable, Comparable {
        /// The unescaped content.
        public var content: String
        /// The MX priority.
        public var priority: Int?

        /// Creates a value.
        public init(content: String, priority: Int? = nil) {
            self.content = content
            self.priority = priority
        }

        public static func < (lhs: Value, rhs: Value) -> Bool {
            (lhs.priority ?? -1, lhs.content) < (rhs.priority ?? -1, rhs.content)
        }
    }

    /// The name and type.
    public var key: Key
    /// The TTL in seconds (the smallest of the values' TTLs when a provider reports them apart).
    public var ttl: Int
    /// The values, sorted and without duplicates.
    public var values: [Value]

    /// Creates a set; the values are sorted and deduplicated.
    /// - Parameters:
    ///   - name: The owner name (normalised FQDN without the trailing dot).
    ///   - type: The record type.
    ///   - ttl: The TTL in seconds.
    ///   - values: The values.
    public init(name: String, type: RecordType, ttl: Int, values: [Value]) {
        self.key = Key(name: name, type: type)
        self.ttl = ttl
        self.values = values.count < 2 ? values : Array(Set(values)).sorted()
    }

    /// The owner name.
    public var name: String { key.name }
    /// The record type.
    public var type: RecordType { key.type }

    /// The set as records of the contract (ids are the stable hashes).
    public var records: [Record] {
        values.map { Record(type: type, name: name, ttl: ttl, content: $0.content, priority: $0.priority) }
    }

    /// The values in presentation format, for plans shown to people: `10 mail.example.com.`, `"v=spf1 -all"`.
    public var presentedValues: [String] {
        // Records without the stable ids ``records`` computes: only the presentation is wanted.
        values.map {
            RecordPresentation.rdata(
                of: Record(id: "", type: type, name: name, ttl: ttl, content: $0.content, priority: $0.priority))
        }
    }

    /// Groups records into sets by name and type, sorted by key.
    /// - Parameter records: Records of the contract, ungrouped.
    /// - Returns: One set per name and type.
    public static func grouped(_ records: [Record]) -> [ZoneRecordSet] {
        var sets: [ZoneRecordSet] = []
        var indices: [Key: Int] = [:]
        indices.reserveCapacity(records.count)
        for record in records {
            let key = Key(name: record.name, type: record.type)
            let value = Value(content: record.content, priority: record.priority)
            if let index = indices[key] {
                // In place: a copy of the set taken out of the collection copied its values at every record.
                if !sets[index].values.contains(value) { sets[index].values.append(value) }
                sets[index].ttl = min(sets[index].ttl, record.ttl)
            } else {
                indices[key] = sets.count
                sets.append(ZoneRecordSet(name: record.name, type: record.type, ttl: record.ttl, values: [value]))
            }
        }
        for index in sets.indices where sets[index].values.count > 1 { sets[index].values.sort() }
        return sets.sorted { $0.key < $1.key }
    }
}
