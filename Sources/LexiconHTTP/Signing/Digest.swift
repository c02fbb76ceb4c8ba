import COpenSSL

/// Digests and HMACs for signing API requests (OVH's SHA-1 signature, AWS SigV4, DNS Made Easy's hex and
/// Constellix's base64 HMAC-SHA1 of a date, Aurora's HMAC-SHA256, TOTP), from the libcrypto libcurl already loads.
public enum Digest {
    /// The algorithms available.
    public enum Algorithm: Int32, Sendable {
        case sha1 = 1
        case sha256 = 2
        case sha512 = 4
    }

    /// The digest of bytes.
    public static func hash(_ algorithm: Algorithm, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        let length = lexicon_digest_bytes(algorithm.rawValue, data, data.count, &out)
        return Array(out.prefix(Int(length)))
    }

    /// The HMAC of bytes under a key.
    public static func hmac(_ algorithm: Algorithm, key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        let length = key.withUnsafeBytes {
            lexicon_hmac(algorithm.rawValue, $0.baseAddress, Int32(key.count), data, data.count, &out)
        }
        return Array(out.prefix(Int(length)))
    }

    /// Lower-case hexadecimal.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes { output += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: output, as: UTF8.self)
    }
}

extension Digest.Algorithm: CustomStringConvertible {
    /// The algorithm's usual name (`SHA-256`).
    public var description: String {
        switch self {
        case .sha1: return "SHA-1"
        case .sha256: return "SHA-256"
        case .sha512: return "SHA-512"
        }
    }
}
