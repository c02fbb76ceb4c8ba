/// Base32 (RFC 4648 §6) decoding, as TOTP secrets are written: upper or lower case, with or without `=` padding,
/// with spaces and hyphens between groups (`JBSW Y3DP EHPK 3PXP`).
public enum Base32 {
    /// Decodes text.
    /// - Returns: nil when the text has a character outside the alphabet, padding before the end, or a length no
    ///   encoder produces.
    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        var digits = 0
        var padding = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                continue
            }
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0 else { return nil }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = byte - UInt8(ascii: "2") + 26
            default: return nil
            }
            buffer = buffer << 5 | UInt64(value)
            bits += 5
            digits += 1
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bits)))
                buffer &= (1 << UInt64(bits)) - 1
            }
        }
        // A final group of 8 digits ends after 2, 4, 5 or 7 of them; padding, if any, fills the group.
        guard [0, 2, 4, 5, 7].contains(digits % 8) else { return nil }
        guard padding == 0 || (digits + padding) % 8 == 0 else { return nil }
        return output
    }
}
