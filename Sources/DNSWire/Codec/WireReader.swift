/// A bounds-checked reader over a DNS message. Every read checks its length and throws ``DNSWireError``.
public struct WireReader: Sendable {
    /// The whole message (compression pointers refer to it).
    public let bytes: [UInt8]
    /// The next byte to read.
    public var offset: Int

    /// Creates a reader at the start of a message.
    /// - Parameter bytes: The message.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Bytes left to read.
    public var remaining: Int { bytes.count - offset }

    /// Reads one byte.
    public mutating func u8() throws(DNSWireError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a big-endian 16-bit integer.
    public mutating func u16() throws(DNSWireError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    /// Reads a big-endian 32-bit integer.
    public mutating func u32() throws(DNSWireError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated }
        defer { offset += 4 }
        return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Reads a big-endian 48-bit integer (TSIG time).
    public mutating func u48() throws(DNSWireError) -> UInt64 {
        guard remaining >= 6 else { throw .truncated }
        defer { offset += 6 }
        return bytes[offset..<offset + 6].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Reads `count` bytes.
    public mutating func bytes(_ count: Int) throws(DNSWireError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .truncated }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a possibly compressed domain name. Pointers must point backwards, so loops are impossible; the name may
    /// not exceed 255 bytes.
    public mutating func name() throws(DNSWireError) -> DNSName {
        var labels: [[UInt8]] = []
        var length = 1
        var position = offset
        var jumped = false
        var lowestTarget = offset
        while true {
            guard position < bytes.count else { throw .truncated }
            let byte = bytes[position]
            switch byte & 0xC0 {
            case 0x00:
                if byte == 0 {
                    if !jumped { offset = position + 1 }
                    return DNSName(uncheckedLabels: labels)
                }
                let count = Int(byte)
                guard position + 1 + count <= bytes.count else { throw .truncated }
                length += count + 1
                guard length <= 255 else { throw DNSWireError("a name in the DNS message is longer than 255 bytes") }
                labels.append(Array(bytes[(position + 1)..<(position + 1 + count)]))
                position += 1 + count
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated }
                let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < lowestTarget else {
                    throw DNSWireError("a compression pointer in the DNS message does not point backwards")
                }
                if !jumped { offset = position + 2 }
                jumped = true
                lowestTarget = target
                position = target
            default:
                throw DNSWireError("the DNS message uses an unknown label type (0x\(String(byte, radix: 16)))")
            }
        }
    }
}
