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

    static let mnemonics: [UInt16: String] = [
        1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 13: "HINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB",
        28: "AAAA", 29: "LOC", 33: "SRV", 35: "NAPTR", 39: "DNAME", 41: "OPT", 43: "DS", 44: "SSHFP", 46: "RRSIG",
        47: "NSEC", 48: "DNSKEY", 50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 53: "SMIMEA", 59: "CDS", 60: "CDNSKEY",
        61: "OPENPGPKEY", 64: "SVCB", 65: "HTTPS", 99: "SPF", 249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR",
        255: "ANY", 256: "URI", 257: "CAA",
    ]
    static let codes: [String: UInt16] = Dictionary(uniqueKeysWithValues: mnemonics.map { ($1, $0) })

    /// Looks a type up by mnemonic (any case) or `TYPEnnn`.
    /// - Returns: nil when the text is neither.
    public init?(mnemonic: String) {
        let upper = mnemonic.uppercased()
        if let code = Self.codes[upper] {
            self.init(rawValue: code)
        } else if upper.hasPrefix("TYPE"), let code = UInt16(upper.dropFirst(4)) {
            self.init(rawValue: code)
        } else {
            return nil
        }
    }

    /// The mnemonic, or `TYPEnnn`.
    public var description: String { Self.mnemonics[rawValue] ?? "TYPE\(rawValue)" }
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
