/// The RDATA of a TSIG record (RFC 8945 §4.2).
public struct TSIGRecord: Sendable, Equatable {
    /// The algorithm's name.
    public var algorithm: DNSName
    /// Seconds since the epoch when the message was signed.
    public var timeSigned: UInt64
    /// Seconds of clock difference allowed.
    public var fudge: UInt16
    /// The MAC.
    public var mac: [UInt8]
    /// The id of the message as first signed.
    public var originalID: UInt16
    /// The TSIG error (0, or 16 BADSIG, 17 BADKEY, 18 BADTIME, 22 BADTRUNC).
    public var error: UInt16
    /// Other data (the server's time with BADTIME).
    public var other: [UInt8]

    /// Reads TSIG RDATA.
    public init(rdata: [UInt8]) throws(DNSWireError) {
        var reader = WireReader(rdata)
        algorithm = try reader.name()
        timeSigned = try reader.u48()
        fudge = try reader.u16()
        mac = try reader.bytes(Int(try reader.u16()))
        originalID = try reader.u16()
        error = try reader.u16()
        other = try reader.bytes(Int(try reader.u16()))
        guard reader.remaining == 0 else { throw DNSWireError("the TSIG record has extra bytes") }
    }

    init(algorithm: DNSName, timeSigned: UInt64, fudge: UInt16, mac: [UInt8], originalID: UInt16) {
        self.algorithm = algorithm
        self.timeSigned = timeSigned
        self.fudge = fudge
        self.mac = mac
        self.originalID = originalID
        self.error = 0
        self.other = []
    }

    /// The RDATA bytes.
    var rdata: [UInt8] {
        var writer = WireWriter()
        writer.name(algorithm.lowercased(), compress: false)
        writer.u48(timeSigned)
        writer.u16(fudge)
        writer.u16(UInt16(mac.count))
        writer.append(mac)
        writer.u16(originalID)
        writer.u16(error)
        writer.u16(UInt16(other.count))
        writer.append(other)
        return writer.bytes
    }
}
