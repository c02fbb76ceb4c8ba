/// One resource record. RDATA is kept in uncompressed wire form, so it can be compared, stored and re-sent as is.
public struct DNSResourceRecord: Sendable, Hashable {
    /// The owner name.
    public var name: DNSName
    /// The type.
    public var type: DNSType
    /// The class (1 for IN; RFC 2136 and TSIG use others).
    public var dnsClass: UInt16
    /// The TTL in seconds.
    public var ttl: UInt32
    /// The RDATA, uncompressed.
    public var rdata: [UInt8]

    /// Creates a record.
    public init(name: DNSName, type: DNSType, dnsClass: UInt16 = DNSClass.internet, ttl: UInt32, rdata: [UInt8]) {
        self.name = name
        self.type = type
        self.dnsClass = dnsClass
        self.ttl = ttl
        self.rdata = rdata
    }

    /// The RDATA in presentation format (`10 mail.example.com.`; RFC 3597 `\# 2 abcd` for other types).
    public var rdataText: String { RDataText.format(type: type, rdata: rdata) }

    /// Reads a record, expanding compressed names inside the RDATA of the types that may contain them.
    static func read(from reader: inout WireReader) throws(DNSWireError) -> DNSResourceRecord {
        let name = try reader.name()
        let type = DNSType(rawValue: try reader.u16())
        let dnsClass = try reader.u16()
        let ttl = try reader.u32()
        let length = Int(try reader.u16())
        guard reader.remaining >= length else { throw .truncated }
        let end = reader.offset + length
        var rdata: [UInt8]
        switch type {
        case .ns, .cname, .ptr, .dname:
            rdata = try reader.name().wire
        case .mx:
            var writer = WireWriter()
            writer.u16(try reader.u16())
            rdata = writer.bytes + (try reader.name().wire)
        case .soa:
            rdata = try reader.name().wire + (try reader.name().wire) + (try reader.bytes(20))
        case .srv:
            rdata = try reader.bytes(6) + (try reader.name().wire)
        default:
            rdata = try reader.bytes(length)
        }
        guard reader.offset == end else {
            throw DNSWireError("the \(type) record of \(name) has a wrong RDATA length")
        }
        return DNSResourceRecord(name: name, type: type, dnsClass: dnsClass, ttl: ttl, rdata: rdata)
    }

    /// Writes the record; the owner name may be compressed, the RDATA is written as stored.
    func write(to writer: inout WireWriter, compress: Bool = true) {
        writer.name(name, compress: compress)
        writer.u16(type.rawValue)
        writer.u16(dnsClass)
        writer.u32(ttl)
        writer.u16(UInt16(rdata.count))
        writer.append(rdata)
    }
}
