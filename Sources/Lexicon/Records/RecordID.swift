/// Stable identifiers for providers without native ids: a hash of type, name and content, never of the TTL.
public enum RecordID {
    /// The stable id of a record value.
    /// - Parameters:
    ///   - type: The record type.
    ///   - name: The normalised owner name.
    ///   - content: The normalised content.
    ///   - priority: The MX priority, which is part of the value.
    /// - Returns: 16 lower-case hex digits (64-bit FNV-1a).
    public static func stable(type: RecordType, name: String, content: String, priority: Int?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
        }
        mix(type.rawValue.utf8)
        mix([0])
        mix(name.utf8)
        mix([0])
        if let priority { mix(String(priority).utf8) }
        mix([0])
        mix(content.utf8)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
