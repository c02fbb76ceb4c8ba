/// An RFC 2136 UPDATE message: a zone, prerequisites that must hold, and changes applied together or not at all.
public struct DNSUpdate: Sendable {
    /// The message being built.
    public private(set) var message: DNSMessage

    /// Starts an update of a zone.
    public init(zone: DNSName, id: UInt16 = .random(in: 0...UInt16.max)) {
        message = DNSMessage(id: id, opcode: DNSMessage.update)
        message.questions = [DNSMessage.Question(name: zone, type: .soa)]
    }

    /// The zone being updated.
    public var zone: DNSName { message.questions[0].name }

    /// Requires that a set exists (with any values).
    public mutating func requireSet(_ name: DNSName, _ type: DNSType) {
        message.answers.append(DNSResourceRecord(name: name, type: type, dnsClass: DNSClass.any, ttl: 0, rdata: []))
    }

    /// Requires that a set does not exist.
    public mutating func requireNoSet(_ name: DNSName, _ type: DNSType) {
        message.answers.append(DNSResourceRecord(name: name, type: type, dnsClass: DNSClass.none, ttl: 0, rdata: []))
    }

    /// Requires that a name owns at least one record.
    public mutating func requireName(_ name: DNSName) {
        message.answers.append(DNSResourceRecord(name: name, type: .any, dnsClass: DNSClass.any, ttl: 0, rdata: []))
    }

    /// Requires that a name owns no records.
    public mutating func requireNoName(_ name: DNSName) {
        message.answers.append(DNSResourceRecord(name: name, type: .any, dnsClass: DNSClass.none, ttl: 0, rdata: []))
    }

    /// Requires that a set holds exactly these values (RFC 2136 §2.4.2, all values of the set given together).
    public mutating func requireExactSet(_ name: DNSName, _ type: DNSType, values: [[UInt8]]) {
        for rdata in values {
            message.answers.append(
                DNSResourceRecord(name: name, type: type, dnsClass: DNSClass.internet, ttl: 0, rdata: rdata))
        }
    }

    /// Adds a value (servers ignore a value the set already has).
    public mutating func add(_ name: DNSName, _ type: DNSType, ttl: UInt32, rdata: [UInt8]) {
        message.authority.append(DNSResourceRecord(name: name, type: type, ttl: ttl, rdata: rdata))
    }

    /// Deletes one value from a set.
    public mutating func delete(_ name: DNSName, _ type: DNSType, rdata: [UInt8]) {
        message.authority.append(
            DNSResourceRecord(name: name, type: type, dnsClass: DNSClass.none, ttl: 0, rdata: rdata))
    }

    /// Deletes a whole set.
    public mutating func deleteSet(_ name: DNSName, _ type: DNSType) {
        message.authority.append(DNSResourceRecord(name: name, type: type, dnsClass: DNSClass.any, ttl: 0, rdata: []))
    }

    /// Deletes every set of a name.
    public mutating func deleteName(_ name: DNSName) {
        message.authority.append(DNSResourceRecord(name: name, type: .any, dnsClass: DNSClass.any, ttl: 0, rdata: []))
    }

    /// Whether the update changes anything.
    public var isEmpty: Bool { message.authority.isEmpty }
}
