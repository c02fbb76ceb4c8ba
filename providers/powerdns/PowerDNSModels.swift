/// A zone as the PowerDNS API returns it.
struct PowerDNSZone: Decodable, Sendable {
    var name: String
    var rrsets: [PowerDNSRRSet]
}

/// A record set of the PowerDNS API (`rrsets` in zones and PATCH bodies).
struct PowerDNSRRSet: Codable, Sendable {
    var name: String
    var type: String
    var ttl: Int?
    var changetype: String?
    var records: [PowerDNSRecordEntry]
}

/// One value of a record set.
struct PowerDNSRecordEntry: Codable, Sendable, Hashable {
    var content: String
    var disabled: Bool
}

/// The body of a PATCH to a zone.
struct PowerDNSPatch: Encodable, Sendable {
    var rrsets: [PowerDNSRRSet]
}

/// PowerDNS's error body (`{"error": "..."}`).
struct PowerDNSErrorBody: Decodable, Sendable {
    var error: String
}
