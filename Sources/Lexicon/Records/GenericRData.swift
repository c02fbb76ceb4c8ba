/// RDATA in RFC 3597's generic form, `\# LENGTH HEX`, which names any type's data (and the only form for a type
/// without a presentation syntax of its own).
public enum GenericRData {
    /// Why text is not valid generic RDATA; the message follows "<type> data".
    public struct Failure: Error, Sendable {
        /// What is wrong, e.g. `says 2 bytes but has 3`.
        public var message: String
    }

    /// The generic form of some bytes: `\# 4 0a000001`, or `\# 0` for none.
    public static func format(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return bytes.isEmpty ? "\\# 0" : "\\# \(bytes.count) \(hex)"
    }

    /// Whether presentation tokens are in the generic form (the first is an unquoted `\#`).
    public static func isGeneric(_ tokens: some Collection<TXTPresentation.Token>) -> Bool {
        guard let first = tokens.first else { return false }
        return !first.quoted && first.bytes == Array("\\#".utf8)
    }

    /// The bytes of generic RDATA given as the tokens after `\#`: a length, then that many bytes in hexadecimal,
    /// split into words anywhere.
    /// - Throws: ``Failure`` saying what is wrong.
    public static func bytes(_ tokens: some Collection<TXTPresentation.Token>) throws(Failure) -> [UInt8] {
        guard let lengthToken = tokens.first, !lengthToken.quoted, let length = Int(lengthToken.string),
            lengthToken.bytes.allSatisfy({ (48...57).contains($0) }), length <= 65_535
        else {
            throw Failure(message: "in the generic form needs a length from 0 to 65535: \\# LENGTH HEX")
        }
        let hex = Array(tokens.dropFirst().flatMap(\.bytes))
        guard hex.count == length * 2 else {
            throw Failure(message: "says \(length) bytes but has \(hex.count / 2)\(hex.count % 2 == 1 ? ".5" : "")")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        var index = 0
        while index < hex.count {
            guard let high = hexValue(hex[index]), let low = hexValue(hex[index + 1]) else {
                throw Failure(message: "has a character that is not hexadecimal")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The value of one hexadecimal digit (either case).
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
