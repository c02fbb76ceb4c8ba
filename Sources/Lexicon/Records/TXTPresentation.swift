/// TXT content in presentation format (zone files, PowerDNS, Route 53): quoted strings of at most 255 bytes with
/// `\"`, `\\` and `\DDD` escapes. Content in the record contract is the unescaped concatenation.
public enum TXTPresentation {
    /// The quoted form: `"part one" "part two"`, split at 255 bytes, never inside a UTF-8 character.
    public static func encode(_ content: String) -> String {
        strings(content).map { "\"" + escape($0) + "\"" }.joined(separator: " ")
    }

    /// The content of a quoted form: every quoted string unescaped and joined; text outside quotes is taken as an
    /// unquoted string (so a bare `hello` reads as `hello`).
    /// - Returns: nil when a quote is not closed or an escape is malformed.
    public static func decode(_ text: String) -> String? {
        guard let tokens = try? tokens(text, decodingUnquotedEscapes: true) else { return nil }
        return String(decoding: tokens.flatMap(\.bytes), as: UTF8.self)
    }

    /// One string of presentation text: a quoted string (its blanks kept) or a blank-separated word.
    public struct Token: Sendable, Equatable {
        /// The bytes, quotes removed.
        public var bytes: [UInt8]
        /// Whether the string was quoted.
        public var quoted: Bool
        /// The bytes as UTF-8 text.
        public var string: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Why presentation text cannot be split into tokens.
    public enum TokenError: Error, Sendable {
        /// A final backslash, or `\DDD` above 255.
        case badEscape
        /// A quoted string has no closing quote.
        case unclosedQuote
    }

    /// Splits presentation text at blanks and tabs; quoted strings keep their blanks and have `\X` and `\DDD` decoded.
    /// - Parameter decodingUnquotedEscapes: Whether escapes in unquoted words are decoded too (TXT content) or kept as
    ///   written, a final backslash included (names, which decode their own).
    public static func tokens(_ text: String, decodingUnquotedEscapes: Bool) throws(TokenError) -> [Token] {
        var tokens: [Token] = []
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                index += 1
                continue
            }
            let quoted = byte == UInt8(ascii: "\"")
            if quoted { index += 1 }
            var bytes: [UInt8] = []
            var closed = !quoted
            while index < input.count {
                let current = input[index]
                if quoted && current == UInt8(ascii: "\"") {
                    closed = true
                    index += 1
                    break
                }
                if !quoted && (current == UInt8(ascii: " ") || current == UInt8(ascii: "\t")) { break }
                if current == UInt8(ascii: "\\") && (quoted || decodingUnquotedEscapes) {
                    guard let escape = unescape(input, at: index) else { throw .badEscape }
                    bytes.append(escape.byte)
                    index += escape.length
                    continue
                }
                if current == UInt8(ascii: "\\") && index + 1 < input.count {
                    bytes += [current, input[index + 1]]
                    index += 2
                    continue
                }
                bytes.append(current)
                index += 1
            }
            guard closed else { throw .unclosedQuote }
            tokens.append(Token(bytes: bytes, quoted: quoted))
        }
        return tokens
    }

    /// Decodes the escape starting at `index` (a backslash): `\DDD` (decimal, at most 255) or `\X` (X itself).
    /// - Returns: The byte and how many input bytes the escape took, or nil for a trailing backslash or a value
    ///   above 255.
    public static func unescape(_ input: [UInt8], at index: Int) -> (byte: UInt8, length: Int)? {
        let digits = input[(index + 1)...].prefix(3)
        if digits.count == 3, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            let value = digits.reduce(0) { $0 * 10 + Int($1) - 48 }
            return value <= 255 ? (UInt8(value), 4) : nil
        }
        return index + 1 < input.count ? (input[index + 1], 2) : nil
    }

    /// The content split into strings of at most 255 bytes, never inside a UTF-8 character.
    public static func strings(_ content: String) -> [[UInt8]] {
        if content.utf8.count <= 255 { return [Array(content.utf8)] }
        var result: [[UInt8]] = []
        var current: [UInt8] = []
        for scalar in content.unicodeScalars {
            if current.count + UTF8.width(scalar) > 255 {
                result.append(current)
                current = []
            }
            UTF8.encode(scalar) { current.append($0) }
        }
        if !current.isEmpty || result.isEmpty { result.append(current) }
        return result
    }

    /// Escapes bytes for inside quotes: `"` and `\` get a backslash, control bytes become `\DDD`.
    /// - Parameter escapingNonASCII: Whether bytes above 127 become `\DDD` too (DNS presentation as `dig` prints it)
    ///   rather than staying UTF-8.
    public static func escape(_ bytes: [UInt8], escapingNonASCII: Bool = false) -> String {
        var output: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output += [UInt8(ascii: "\\"), byte]
            case 32..<127:
                output.append(byte)
            case 128... where !escapingNonASCII:
                output.append(byte)
            default:
                let digits = String(byte)
                output += Array(("\\" + String(repeating: "0", count: 3 - digits.count) + digits).utf8)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
