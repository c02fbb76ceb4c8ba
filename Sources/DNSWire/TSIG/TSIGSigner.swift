#if canImport(Glibc)
    import Glibc
#endif

/// Signs requests and verifies answers with a TSIG key (RFC 8945), including the chained MACs of a zone transfer.
public struct TSIGSigner: Sendable {
    /// The key.
    public let key: TSIGKey
    /// Seconds of clock difference allowed each way (300, as BIND and PowerDNS use).
    public var fudge: UInt16 = 300
    /// The clock (seconds since the epoch); tests move it.
    public var now: @Sendable () -> UInt64 = { UInt64(time(nil)) }

    /// Creates a signer.
    public init(key: TSIGKey) {
        self.key = key
    }

    /// Why an answer failed verification.
    public enum Failure: Error, Sendable, Equatable {
        /// The server rejected our signature (`BADSIG`, `BADKEY`, `BADTRUNC`): wrong secret, key name or algorithm.
        case rejectedByServer(String)
        /// The server says our clocks differ too much (`BADTIME`); `skew` is its time minus ours when it said.
        case serverClockSkew(skew: Int64?)
        /// The answer is signed at a time too far from our clock.
        case answerClockSkew(skew: Int64)
        /// The answer's MAC does not match: it was not signed with this key, or was altered.
        case badAnswerSignature
        /// The answer carries no signature.
        case unsigned
    }

    /// Signs an encoded message: appends a TSIG record and raises ARCOUNT.
    /// - Parameters:
    ///   - message: The encoded message, at least its 12-byte header.
    ///   - requestMAC: When signing an answer (as a server does), the request's MAC.
    /// - Returns: The signed bytes and the MAC (needed to verify the answer).
    public func sign(_ message: [UInt8], requestMAC: [UInt8]? = nil) -> (bytes: [UInt8], mac: [UInt8]) {
        let signedAt = now()
        var data: [UInt8] = []
        if let requestMAC {
            data = [UInt8(requestMAC.count >> 8), UInt8(requestMAC.count & 0xFF)] + requestMAC
        }
        data += message
        data += variables(timeSigned: signedAt, error: 0, other: [])
        let mac = key.algorithm.mac(data, key: key.secret)
        let id = UInt16(message[0]) << 8 | UInt16(message[1])
        let tsig = TSIGRecord(
            algorithm: key.algorithm.dnsName, timeSigned: signedAt, fudge: fudge, mac: mac, originalID: id)
        var writer = WireWriter()
        writer.append(message)
        DNSResourceRecord(name: key.name, type: .tsig, dnsClass: DNSClass.any, ttl: 0, rdata: tsig.rdata)
            .write(to: &writer, compress: false)
        var bytes = writer.bytes
        let count = (UInt16(bytes[10]) << 8 | UInt16(bytes[11])) + 1
        bytes[10] = UInt8(count >> 8)
        bytes[11] = UInt8(count & 0xFF)
        return (bytes, mac)
    }

    /// Verifies a signed answer.
    /// - Parameters:
    ///   - answer: The answer's bytes.
    ///   - priorMAC: The request's MAC (or, in a transfer, the previous signed message's MAC).
    ///   - timersOnly: True for the second and later messages of a transfer (RFC 8945 §5.3.1).
    ///   - unsignedBefore: Bytes of unsigned transfer messages since the last signed one.
    /// - Returns: The answer's MAC, for chaining.
    public func verify(_ answer: [UInt8], priorMAC: [UInt8], timersOnly: Bool = false, unsignedBefore: [UInt8] = [])
        throws -> [UInt8]
    {
        guard let (start, record) = try Self.locateTSIG(answer) else { throw Failure.unsigned }
        let tsig = try TSIGRecord(rdata: record.rdata)
        if tsig.error == 18 {
            let serverTime = tsig.other.count == 6 ? tsig.other.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : nil
            throw Failure.serverClockSkew(skew: serverTime.map { Int64($0) - Int64(now()) })
        }
        if tsig.error != 0 { throw Failure.rejectedByServer(DNSRCode.name(tsig.error)) }
        guard record.name == key.name, tsig.algorithm == key.algorithm.dnsName else { throw Failure.badAnswerSignature }
        var data: [UInt8] = []
        var length = WireWriter()
        length.u16(UInt16(priorMAC.count))
        data += length.bytes + priorMAC + unsignedBefore
        var body = Array(answer[..<start])
        let count = (UInt16(body[10]) << 8 | UInt16(body[11])) - 1
        body[10] = UInt8(count >> 8)
        body[11] = UInt8(count & 0xFF)
        body[0] = UInt8(tsig.originalID >> 8)
        body[1] = UInt8(tsig.originalID & 0xFF)
        data += body
        if timersOnly {
            var timers = WireWriter()
            timers.u48(tsig.timeSigned)
            timers.u16(tsig.fudge)
            data += timers.bytes
        } else {
            data += variables(timeSigned: tsig.timeSigned, error: tsig.error, other: tsig.other, fudge: tsig.fudge)
        }
        let expected = key.algorithm.mac(data, key: key.secret)
        guard expected.count == tsig.mac.count, zip(expected, tsig.mac).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw Failure.badAnswerSignature
        }
        let skew = Int64(tsig.timeSigned) - Int64(now())
        guard abs(skew) <= Int64(tsig.fudge) else { throw Failure.answerClockSkew(skew: skew) }
        return tsig.mac
    }

    /// The TSIG variables of RFC 8945 §4.3.3, in canonical form.
    private func variables(timeSigned: UInt64, error: UInt16, other: [UInt8], fudge: UInt16? = nil) -> [UInt8] {
        var writer = WireWriter()
        writer.name(key.name.lowercased(), compress: false)
        writer.u16(DNSClass.any)
        writer.u32(0)
        writer.name(key.algorithm.dnsName, compress: false)
        writer.u48(timeSigned)
        writer.u16(fudge ?? self.fudge)
        writer.u16(error)
        writer.u16(UInt16(other.count))
        writer.append(other)
        return writer.bytes
    }

    /// Where the TSIG record (the last additional record) starts, and the record; nil when there is none.
    /// - Throws: ``DNSWireError`` when the message is malformed.
    public static func locateTSIG(_ bytes: [UInt8]) throws(DNSWireError) -> (Int, DNSResourceRecord)? {
        var reader = WireReader(bytes)
        guard bytes.count >= 12 else { throw DNSWireError("a DNS message is shorter than its 12-byte header") }
        reader.offset = 4
        let questions = try reader.u16()
        let records = Int(try reader.u16()) + Int(try reader.u16()) + Int(try reader.u16())
        guard records > 0 else { return nil }
        for _ in 0..<questions {
            _ = try reader.name()
            _ = try reader.bytes(4)
        }
        for _ in 0..<(records - 1) { _ = try DNSResourceRecord.read(from: &reader) }
        let start = reader.offset
        let last = try DNSResourceRecord.read(from: &reader)
        return last.type == .tsig ? (start, last) : nil
    }
}
