/// Text from outside (a server's body, an argument that is not UTF-8) made safe to put in a one-line message:
/// control characters and bytes that are not UTF-8 escaped, and clipped.
public enum DisplayText {
    /// The bytes as printable text: valid UTF-8 kept, control characters as `\n`, `\t`, `\r` or `\u{7f}`, bytes
    /// that are not UTF-8 as `\xff`; longer than `limit` characters it ends with `…`.
    /// - Parameters:
    ///   - bytes: The raw bytes.
    ///   - limit: The most characters of the input to show.
    public static func escaped(_ bytes: some Collection<UInt8>, limit: Int = 80) -> String {
        var output = ""
        var shown = 0
        var pending = Array(bytes)[...]
        while !pending.isEmpty {
            guard shown < limit else { return output + "…" }
            var decoder = UTF8()
            var single = pending.makeIterator()
            switch decoder.decode(&single) {
            case .scalarValue(let scalar):
                let length = UTF8.width(scalar)
                pending = pending.dropFirst(length)
                switch scalar {
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case "\\": output += "\\\\"
                default:
                    if scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
                        || scalar.properties.generalCategory
                            == .lineSeparator
                        || scalar.properties.generalCategory == .paragraphSeparator
                    {
                        output += "\\u{" + String(scalar.value, radix: 16) + "}"
                    } else {
                        output.unicodeScalars.append(scalar)
                    }
                }
            case .error, .emptyInput:
                let byte = pending.removeFirst()
                output += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
            shown += 1
        }
        return output
    }
}
