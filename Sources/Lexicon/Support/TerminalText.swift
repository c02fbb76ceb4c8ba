/// Text from servers and other outside sources as it may reach a terminal or a log: control characters escaped, so
/// that an error body or a record cannot move the cursor, clear the screen, change colours or forge a log line.
public enum TerminalText {
    /// The text with C0 and C1 control characters and DEL written as escapes: `\n`, `\r`, `\t`, and `\u001b` for the
    /// others. Everything else, including non-ASCII letters, is kept.
    /// - Parameters:
    ///   - text: The text.
    ///   - keeping: Control characters to leave as they are (line breaks and tabs of multi-line output).
    public static func escaped(_ text: String, keeping: Set<Unicode.Scalar> = []) -> String {
        // On bytes first: a control character is a byte below 0x20, DEL, or starts with 0xC2 (C1) or 0xE2 (U+2028,
        // U+2029); text with none of them (most output, a plan of 1,000 lines) is returned as it is.
        let suspect = text.utf8.contains { byte in
            byte < 0x20 ? !keeping.contains(Unicode.Scalar(byte)) : byte == 0x7F || byte == 0xC2 || byte == 0xE2
        }
        guard suspect else { return text }
        guard text.unicodeScalars.contains(where: { isControl($0) && !keeping.contains($0) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if keeping.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                append(scalar, to: &result)
            }
        }
        return result
    }

    /// Appends one scalar, escaped when it is a control character: `\n`, `\r`, `\t`, otherwise `\u001b`.
    public static func append(_ scalar: Unicode.Scalar, to output: inout String) {
        switch scalar {
        case "\n": output += "\\n"
        case "\r": output += "\\r"
        case "\t": output += "\\t"
        case _ where isControl(scalar):
            let hex = String(scalar.value, radix: 16)
            output += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        default: output.unicodeScalars.append(scalar)
        }
    }

    /// Several lines of output: escaped as ``escaped(_:keeping:)`` does, with line breaks and tabs kept.
    public static func escapedLines(_ text: String) -> String { escaped(text, keeping: ["\n", "\t"]) }

    /// Whether a scalar is a control character: C0, DEL, C1 (which some terminals obey as escape sequences), or the
    /// Unicode line and paragraph separators (which start a new line in some viewers).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
