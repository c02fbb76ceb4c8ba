import Lexicon

/// A zone as the PowerDNS API returns it.
struct PowerDNSZone: Sendable {
    var name: String
    var rrsets: [PowerDNSRRSet]

    /// Reads a zone from the API's JSON.
    /// - Throws: ``JSONParseError`` for malformed JSON, `nil`-shaped fields as a missing-field error.
    init(json: JSONValue) throws(PowerDNSFormatError) {
        guard let name = json["name"]?.string, let sets = json["rrsets"]?.array else {
            throw PowerDNSFormatError(field: "name or rrsets")
        }
        self.name = name
        rrsets = try sets.map { set throws(PowerDNSFormatError) in
            guard let name = set["name"]?.string, let type = set["type"]?.string, let records = set["records"]?.array
            else { throw PowerDNSFormatError(field: "rrsets[].name, type or records") }
            let entries = try records.map { record throws(PowerDNSFormatError) in
                guard let content = record["content"]?.string else {
                    throw PowerDNSFormatError(field: "records[].content")
                }
                return PowerDNSRecordEntry(content: content, disabled: record["disabled"]?.bool ?? false)
            }
            return PowerDNSRRSet(name: name, type: type, ttl: set["ttl"]?.int, changetype: nil, records: entries)
        }
    }
}

/// A field of a PowerDNS answer that is missing or of the wrong kind.
struct PowerDNSFormatError: Error {
    var field: String
}

/// A record set of the PowerDNS API (`rrsets` in zones and PATCH bodies).
struct PowerDNSRRSet: Sendable {
    var name: String
    var type: String
    var ttl: Int?
    var changetype: String?
    var records: [PowerDNSRecordEntry]

    /// The set as a PATCH body element.
    var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("name", .string(name)), ("type", .string(type))]
        if let ttl { pairs.append(("ttl", .int(ttl))) }
        if let changetype { pairs.append(("changetype", .string(changetype))) }
        pairs.append(
            (
                "records",
                .array(records.map { .object([("content", .string($0.content)), ("disabled", .bool($0.disabled))]) })
            )
        )
        return .object(pairs)
    }
}

/// One value of a record set.
struct PowerDNSRecordEntry: Sendable, Hashable {
    var content: String
    var disabled: Bool
}
