/// The IANA type codes lexicon knows by name, and which of them a record may have (RFC 3597 `TYPEnnn` names the
/// rest). DNSWire reads its mnemonics from here, so the command line and the wire agree.
extension RecordType {
    /// The mnemonics lexicon knows and their codes: the IANA "Resource Record (RR) TYPEs" that BIND knows by name
    /// (`named-rrchecker -T`).
    public static let codes: [String: UInt16] = [
        "A": 1, "NS": 2, "MD": 3, "MF": 4, "CNAME": 5, "SOA": 6, "MB": 7, "MG": 8, "MR": 9, "NULL": 10, "WKS": 11,
        "PTR": 12, "HINFO": 13, "MINFO": 14, "MX": 15, "TXT": 16, "RP": 17, "AFSDB": 18, "X25": 19, "ISDN": 20,
        "RT": 21, "NSAP-PTR": 23, "SIG": 24, "KEY": 25, "PX": 26, "GPOS": 27, "AAAA": 28, "LOC": 29, "NXT": 30,
        "SRV": 33, "NAPTR": 35, "KX": 36, "CERT": 37, "A6": 38, "DNAME": 39, "OPT": 41, "APL": 42, "DS": 43,
        "SSHFP": 44, "IPSECKEY": 45, "RRSIG": 46, "NSEC": 47, "DNSKEY": 48, "DHCID": 49, "NSEC3": 50,
        "NSEC3PARAM": 51, "TLSA": 52, "SMIMEA": 53, "HIP": 55, "CDS": 59, "CDNSKEY": 60, "OPENPGPKEY": 61,
        "CSYNC": 62, "ZONEMD": 63, "SVCB": 64, "HTTPS": 65, "SPF": 99, "NID": 104, "L32": 105, "L64": 106,
        "LP": 107, "EUI48": 108, "EUI64": 109, "TKEY": 249, "TSIG": 250, "IXFR": 251, "AXFR": 252, "MAILB": 253,
        "MAILA": 254, "ANY": 255, "URI": 256, "CAA": 257, "AVC": 258, "DOA": 259, "AMTRELAY": 260, "RESINFO": 261,
        "TA": 32768, "DLV": 32769, "NSAP": 22, "EID": 31, "NIMLOC": 32, "ATMA": 34, "SINK": 40, "NINFO": 56,
        "RKEY": 57, "TALINK": 58, "DSYNC": 66, "HHIT": 67, "BRID": 68, "UINFO": 100, "UID": 101, "GID": 102,
        "UNSPEC": 103, "WALLET": 262,
    ]

    /// The mnemonic of each known code.
    public static let mnemonics: [UInt16: String] = Dictionary(uniqueKeysWithValues: codes.map { ($1, $0) })

    /// The 16-bit code of a known mnemonic or of `TYPEnnn`; nil for anything else.
    public var code: UInt16? {
        if let code = Self.codes[rawValue] { return code }
        guard rawValue.hasPrefix("TYPE"), rawValue.count > 4, rawValue.dropFirst(4).allSatisfy(\.isASCIIDigit)
        else { return nil }
        return UInt16(rawValue.dropFirst(4))
    }

    /// Why no record may have this code (reserved, obsolete, or a query or meta type); nil when one may.
    static func refusal(code: UInt16, spelled text: String) -> String? {
        switch code {
        case 0, 65_535:
            return "\(text) is a reserved type number; no record can have it."
        case 3, 4:
            return "\(text) is obsolete (RFC 973); use an MX record."
        case 11:
            return "WKS is obsolete (RFC 1123) and no resolver uses it; publish services with SRV records instead."
        case 41, 128...255:
            return "\(text) is a query or meta type, not a type a record can have."
        default:
            return nil
        }
    }
}

extension Character {
    /// Whether the character is one of the ASCII digits 0-9.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
