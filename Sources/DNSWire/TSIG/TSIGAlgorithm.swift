import COpenSSL

/// The HMAC algorithms of TSIG (RFC 8945): hmac-sha256 (the default of `tsig-keygen`), hmac-sha384, hmac-sha512,
/// hmac-sha1, and hmac-md5 for old servers.
public enum TSIGAlgorithm: String, Sendable, CaseIterable {
    case hmacMD5 = "hmac-md5.sig-alg.reg.int"
    case hmacSHA1 = "hmac-sha1"
    case hmacSHA256 = "hmac-sha256"
    case hmacSHA384 = "hmac-sha384"
    case hmacSHA512 = "hmac-sha512"

    /// Reads an algorithm as users and key files write it: `hmac-sha256`, `HMAC-SHA256`, `sha256`, `hmac-md5`,
    /// `hmac-md5.sig-alg.reg.int` (a trailing dot is ignored).
    /// - Returns: nil for anything else.
    public init?(name: String) {
        var lower = name.lowercased()
        if lower.hasSuffix(".") { lower.removeLast() }
        if !lower.hasPrefix("hmac-") { lower = "hmac-" + lower }
        if lower == "hmac-md5" { lower = Self.hmacMD5.rawValue }
        guard let algorithm = TSIGAlgorithm(rawValue: lower) else { return nil }
        self = algorithm
    }

    /// The short name users know (`hmac-sha256`, `hmac-md5`).
    public var shortName: String { self == .hmacMD5 ? "hmac-md5" : rawValue }

    /// The algorithm's name on the wire.
    public var dnsName: DNSName { DNSName(uncheckedLabels: rawValue.split(separator: ".").map { Array($0.utf8) }) }

    /// The MAC of `data` under `key`.
    public func mac(_ data: [UInt8], key: [UInt8]) -> [UInt8] {
        let digest: Int32
        switch self {
        case .hmacMD5: digest = 0
        case .hmacSHA1: digest = 1
        case .hmacSHA256: digest = 2
        case .hmacSHA384: digest = 3
        case .hmacSHA512: digest = 4
        }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        let length = key.withUnsafeBytes { keyBytes in
            lexicon_hmac(digest, keyBytes.baseAddress, Int32(key.count), data, data.count, &out)
        }
        return Array(out.prefix(Int(length)))
    }
}
