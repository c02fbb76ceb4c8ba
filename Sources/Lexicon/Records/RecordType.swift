/// A DNS record type, always upper case (`A`, `TXT`, `TYPE65534`).
public struct RecordType: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The upper-case mnemonic.
    public let rawValue: String

    /// Creates a type from its mnemonic in any case.
    /// - Parameter rawValue: The mnemonic, e.g. `txt`.
    public init(rawValue: String) {
        self.rawValue = rawValue.uppercased()
    }

    /// Creates a type from a string literal.
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    /// Parses a type given by a user.
    /// - Parameter text: The mnemonic, or `TYPEnnn` (RFC 3597).
    /// - Throws: ``LexiconError`` with code `invalidInput` when the text is not a type mnemonic.
    public static func parse(_ text: String) throws -> RecordType {
        let upper = text.uppercased()
        let valid =
            !upper.isEmpty && upper.count <= 16 && upper.first!.isLetter
            && upper.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
        guard valid else {
            throw LexiconError.invalidInput(
                "unknown record type \"\(text)\". Use a type such as A, AAAA, CNAME, MX, NS, TXT, SRV, CAA, PTR.")
        }
        return RecordType(rawValue: upper)
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
