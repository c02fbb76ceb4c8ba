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
        var hash = FNV1a()
        hash.mix(type.rawValue.utf8)
        hash.mix([0])
        hash.mix(name.utf8)
        hash.mix([0])
        if let priority { hash.mix(String(priority).utf8) }
        hash.mix([0])
        hash.mix(content.utf8)
        return hash.hex
    }
}
