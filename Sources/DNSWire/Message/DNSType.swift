import Lexicon

/// DNS RR type codes and their mnemonics (`TYPEnnn` for the rest, RFC 3597).
public struct DNSType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The 16-bit code.
    public let rawValue: UInt16

    /// Creates a type from its code.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSType(rawValue: 1)
    public static let ns = DNSType(rawValue: 2)
    public static let cname = DNSType(rawValue: 5)
    public static let soa = DNSType(rawValue: 6)
    public static let ptr = DNSType(rawValue: 12)
    public static let mx = DNSType(rawValue: 15)
    public static let txt = DNSType(rawValue: 16)
    public static let aaaa = DNSType(rawValue: 28)
    public static let srv = DNSType(rawValue: 33)
    public static let dname = DNSType(rawValue: 39)
    public static let opt = DNSType(rawValue: 41)
    public static let spf = DNSType(rawValue: 99)
    public static let tsig = DNSType(rawValue: 250)
    public static let axfr = DNSType(rawValue: 252)
    public static let any = DNSType(rawValue: 255)
    public static let caa = DNSType(rawValue: 257)

    /// Looks a type up by mnemonic (any case) or `TYPEnnn`.
    /// - Returns: nil when the text is neither.
    public init?(mnemonic: String) {
        guard let code = RecordType(rawValue: mnemonic).code else { return nil }
        self.init(rawValue: code)
    }

    /// The mnemonic, or `TYPEnnn`.
    public var description: String { RecordType.mnemonics[rawValue] ?? "TYPE\(rawValue)" }
}

/// DNS classes used here.
public enum DNSClass {
    /// The Internet.
    public static let internet: UInt16 = 1
    /// NONE (RFC 2136: delete a value).
    public static let none: UInt16 = 254
    /// ANY (RFC 2136: delete a set; TSIG).
    public static let any: UInt16 = 255
}
