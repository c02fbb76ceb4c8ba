/// Builds a DNS message: big-endian integers and names, compressed against earlier names when asked.
public struct WireWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    private var offsets: [DNSName: Int] = [:]

    /// Creates an empty writer.
    public init() {}

    /// Appends one byte.
    public mutating func u8(_ value: UInt8) { bytes.append(value) }

    /// Appends a big-endian 16-bit integer.
    public mutating func u16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }

    /// Appends a big-endian 32-bit integer.
    public mutating func u32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// Appends a big-endian 48-bit integer (TSIG time).
    public mutating func u48(_ value: UInt64) {
        for shift in stride(from: 40, through: 0, by: -8) { bytes.append(UInt8(value >> UInt64(shift) & 0xFF)) }
    }

    /// Appends bytes.
    public mutating func append(_ data: [UInt8]) { bytes += data }

    /// Overwrites a 16-bit integer written earlier (lengths and counts).
    public mutating func set(_ value: UInt16, at position: Int) {
        bytes[position] = UInt8(value >> 8)
        bytes[position + 1] = UInt8(value & 0xFF)
    }

    /// Appends a name, using a pointer to an earlier copy of its longest known suffix when `compress` is true.
    public mutating func name(_ name: DNSName, compress: Bool = true) {
        var labels = name.labels[...]
        while !labels.isEmpty {
            let suffix = DNSName(uncheckedLabels: Array(labels))
            if compress, let target = offsets[suffix] {
                u16(0xC000 | UInt16(target))
                return
            }
            if compress && bytes.count < 0x3FFF { offsets[suffix] = bytes.count }
            let label = labels.removeFirst()
            u8(UInt8(label.count))
            append(label)
        }
        u8(0)
    }
}
