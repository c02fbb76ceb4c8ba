/// Text from outside (a server's body, an argument that is not UTF-8) made safe to put in a one-line message:
/// control characters and bytes that are not UTF-8 escaped, and clipped.
public enum DisplayText {
    /// The bytes as printable text: valid UTF-8 kept, control characters escaped as ``TerminalText`` escapes them,
    /// backslashes doubled, bytes that are not UTF-8 as `\xff`; longer than `limit` characters it ends with `…`.
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
                pending = pending.dropFirst(UTF8.width(scalar))
                if scalar == "\\" { output += "\\\\" } else { TerminalText.append(scalar, to: &output) }
            case .error, .emptyInput:
                let byte = pending.removeFirst()
                output += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
            shown += 1
        }
        return output
    }
}
