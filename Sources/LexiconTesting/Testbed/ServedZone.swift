import DNSWire

/// Checks a zone on a real server with real queries: every set the zone transfer shows must be exactly what a
/// direct query for that name and type answers.
public enum ServedZone {
    /// The sets where transfer and queries disagree, as readable lines (empty when all agree).
    /// - Parameters:
    ///   - server: The authoritative server.
    ///   - zone: The zone, without the trailing dot.
    ///   - key: The TSIG key for the transfer, if the server wants one.
    public static func mismatches(_ server: DNSServerAddress, zone: String, key: TSIGKey? = nil) async throws
        -> [String]
    {
        let records = try await DNSClient(servers: [server], key: key).transfer(try DNSName(zone))
        var sets: [DNSName: [DNSType: [String]]] = [:]
        for record in records { sets[record.name, default: [:]][record.type, default: []].append(record.rdataText) }
        let client = DNSClient(servers: [server], timeout: 2)
        var problems: [String] = []
        for (name, types) in sets {
            for (type, values) in types {
                let answer = try await client.exchange(DNSMessage.query(name, type))
                let served = answer.answers.filter { $0.name == name && $0.type == type }.map(\.rdataText).sorted()
                if served != values.sorted() {
                    problems.append("\(name.bare) \(type): transfer has \(values.sorted()), queries answer \(served)")
                }
            }
        }
        return problems
    }
}
