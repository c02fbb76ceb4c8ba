import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address in canonical text, with the checks dynamic DNS needs.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    public enum Family: String, Sendable {
        case v4 = "IPv4"
        case v6 = "IPv6"

        /// The record type that holds this family.
        public var recordType: RecordType { self == .v4 ? .a : .aaaa }

        /// The family a record type holds.
        public init?(_ type: RecordType) {
            switch type {
            case .a: self = .v4
            case .aaaa: self = .v6
            default: return nil
            }
        }
    }

    /// The family.
    public let family: Family
    /// The bytes (4 or 16).
    public let bytes: [UInt8]

    /// Parses an address; nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.filter { !$0.isWhitespace }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            family = .v4
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if trimmed.contains(":"), inet_pton(AF_INET6, trimmed, &v6) == 1 {
            family = .v6
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    /// Canonical text (`192.0.2.1`, `2001:db8::1`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        bytes.withUnsafeBytes { _ = inet_ntop(family == .v4 ? AF_INET : AF_INET6, $0.baseAddress, &buffer, 64) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Why the address is not a public one (private, loopback, link-local, CGNAT, documentation, multicast,
    /// reserved), or nil when it is public.
    public var nonPublicReason: String? {
        if family == .v4 {
            let (a, b, c) = (bytes[0], bytes[1], bytes[2])
            switch (a, b, c) {
            case (10, _, _), (172, 16...31, _), (192, 168, _): return "private"
            case (127, _, _): return "loopback"
            case (169, 254, _): return "link-local"
            case (100, 64...127, _): return "carrier-grade NAT"
            case (192, 0, 2), (198, 51, 100), (203, 0, 113): return "documentation"
            case (224...239, _, _): return "multicast"
            case (0, _, _), (240...255, _, _): return "reserved"
            case (198, 18...19, _): return "benchmarking"
            default: return nil
            }
        }
        if bytes.allSatisfy({ $0 == 0 }) { return "unspecified" }
        if bytes.dropLast().allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "loopback" }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return "link-local" }
        if bytes[0] & 0xFE == 0xFC { return "unique local (private)" }
        if bytes[0] == 0xFF { return "multicast" }
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return "documentation" }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return "IPv4-mapped" }
        return nil
    }

    /// Whether the address lies inside a network of a prefix length.
    public func isInside(_ network: IPAddress, length: Int) -> Bool {
        guard network.family == family, length >= 0, length <= bytes.count * 8 else { return false }
        for bit in 0..<length {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if bytes[bit / 8] & mask != network.bytes[bit / 8] & mask { return false }
        }
        return true
    }

    /// Every address of a family found in text (an echo service's body, a TXT answer), in order.
    public static func all(in text: String, family: Family) -> [IPAddress] {
        let allowed: Set<Character> =
            family == .v4 ? Set("0123456789.") : Set("0123456789abcdefABCDEF:.")
        var found: [IPAddress] = []
        var current = ""
        for character in text + " " {
            if allowed.contains(character) {
                current.append(character)
            } else {
                if let address = IPAddress(current), address.family == family { found.append(address) }
                current = ""
            }
        }
        return found
    }
}
