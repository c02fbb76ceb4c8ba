/// A DNS record type, always upper case (`A`, `TXT`, `TYPE65534`).
public struct RecordType: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The upper-case mnemonic.
    public let rawValue: String

    /// Creates a type from its mnemonic in any case.
    /// - Parameter rawValue: The mnemonic, e.g. `txt`.
    public init(rawValue: String) {
        // Most mnemonics come in upper case already (zone files, APIs): kept as they are, with no new string.
        let isUpper = rawValue.utf8.allSatisfy { $0 < 0x80 && !($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) }
        self.rawValue = isUpper ? rawValue : rawValue.uppercased()
    }

    /// Creates a type from a string literal.
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    /// Parses a type given by a user: a mnemonic lexicon knows, or `TYPEnnn` (RFC 3597) with nnn from 1 to 65534;
    /// `TYPEnnn` of a known type is that type (`TYPE1` is `A`). Reserved, obsolete and query types are refused
    /// (`list` takes `ANY` before calling this).
    /// - Parameter text: The mnemonic, in any case.
    /// - Throws: ``LexiconError`` with code `invalidInput` saying what is wrong and what to give instead.
    public static func parse(_ text: String) throws -> RecordType {
        let upper = text.uppercased()
        let code: UInt16
        if upper.hasPrefix("TYPE"), upper.count > 4, upper.dropFirst(4).allSatisfy(\.isASCIIDigit) {
            let digits = upper.dropFirst(4).drop { $0 == "0" }
            guard digits.count <= 5, let number = Int(digits.isEmpty ? "0" : digits), number <= 65_535 else {
                throw LexiconError.invalidInput(
                    "\(text) is out of range: type numbers go from 1 to 65534 (16 bits). Use TYPEnnn with such a number."
                )
            }
            code = UInt16(number)
        } else if let known = codes[upper] {
            code = known
        } else {
            throw LexiconError.invalidInput(
                "unknown record type \"\(text)\". Use a type such as A, AAAA, CNAME, MX, NS, TXT, SRV, CAA, PTR, "
                    + "or TYPEnnn with RFC 3597 content (\\# LENGTH HEX).")
        }
        if let reason = refusal(code: code, spelled: upper) { throw LexiconError.invalidInput(reason) }
        return RecordType(rawValue: mnemonics[code] ?? "TYPE\(code)")
    }

    /// A type token of a zone file or an API answer, as written: any mnemonic-shaped word (a letter, then letters,
    /// digits or `-`, at most 16 characters) but a `TYPEnnn` past 65535; whether the type is known is up to the
    /// reader.
    /// - Parameter token: The word.
    /// - Returns: nil when the word cannot be a type.
    public init?(token: String) {
        func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
        let bytes = token.utf8
        let valid =
            !bytes.isEmpty && bytes.count <= 16 && isLetter(bytes.first!)
            && bytes.allSatisfy {
                isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
            }
        guard valid else { return nil }
        self.init(rawValue: token)
        // TYPEnnn past 16 bits is no type (BIND refuses the line).
        if rawValue.hasPrefix("TYPE"), rawValue.count > 4, rawValue.dropFirst(4).allSatisfy(\.isASCIIDigit), code == nil
        {
            return nil
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: RecordType, rhs: RecordType) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let a: RecordType = "A"
    public static let aaaa: RecordType = "AAAA"
    public static let cname: RecordType = "CNAME"
    public static let mx: RecordType = "MX"
    public static let ns: RecordType = "NS"
    public static let soa: RecordType = "SOA"
    public static let txt: RecordType = "TXT"
    public static let srv: RecordType = "SRV"
    public static let caa: RecordType = "CAA"
    public static let ptr: RecordType = "PTR"
    public static let loc: RecordType = "LOC"

    /// The types every full provider is expected to handle.
    public static let common: [RecordType] = [.a, .aaaa, .cname, .mx, .ns, .soa, .txt, .srv, .caa, .ptr, .loc]

    /// Whether the content of this type is a domain name.
    public var contentIsName: Bool { self == .cname || self == .ns || self == .ptr || self == "DNAME" }
}
