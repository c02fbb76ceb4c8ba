import Lexicon

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Time-based one-time passwords (RFC 6238, over RFC 4226's HOTP) for providers whose accounts use two-factor
/// logins: hover's `auth2.json`, INWX's `account.unlock`. The secret never appears in a description.
public struct TOTP: Sendable, CustomStringConvertible {
    private let secret: [UInt8]
    /// The number of digits in a code, 6 to 10.
    public let digits: Int
    /// The time step in seconds.
    public let period: Int
    /// The HMAC's digest (SHA-1 for authenticator apps).
    public let algorithm: Digest.Algorithm

    /// Creates a generator from raw secret bytes.
    /// - Parameters:
    ///   - secret: The shared secret.
    ///   - digits: Digits per code (clamped to 6...10).
    ///   - period: The time step in seconds (at least 1).
    ///   - algorithm: The HMAC's digest.
    public init(secret: [UInt8], digits: Int = 6, period: Int = 30, algorithm: Digest.Algorithm = .sha1) {
        self.secret = secret
        self.digits = min(max(digits, 6), 10)
        self.period = max(period, 1)
        self.algorithm = algorithm
    }

    /// Creates a generator from a base32 secret as sites show it (case, spaces and padding do not matter).
    /// - Parameters:
    ///   - base32: The secret in base32.
    ///   - option: The option that holds it (`--auth-totp-secret`), named in messages.
    ///   - provider: The provider's name, for messages.
    ///   - digits: Digits per code.
    ///   - period: The time step in seconds.
    ///   - algorithm: The HMAC's digest.
    /// - Throws: ``LexiconError`` `config` when the text is empty or not base32; the message never shows it.
    public init(
        base32: String, option: String, provider: String? = nil, digits: Int = 6, period: Int = 30,
        algorithm: Digest.Algorithm = .sha1
    ) throws {
        guard let secret = Base32.decode(base32), !secret.isEmpty else {
            throw LexiconError(
                .config,
                "The value of \(option) is not a base32 TOTP secret (letters A-Z and digits 2-7, as the site shows "
                    + "it when two-factor login is set up).", provider: provider)
        }
        self.init(secret: secret, digits: digits, period: period, algorithm: algorithm)
    }

    /// The code for a moment.
    /// - Parameter unixTime: Seconds since 1970-01-01 UTC.
    public func code(at unixTime: Int) -> String {
        let counter = UInt64(max(unixTime, 0) / period)
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> UInt64(56 - 8 * $0)) }
        let mac = Digest.hmac(algorithm, key: secret, message)
        guard let last = mac.last else { return "" }
        // RFC 4226 §5.3: dynamic truncation to 31 bits, then the low decimal digits.
        let offset = Int(last & 0x0F)
        let value = mac[offset..<(offset + 4)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & 0x7FFF_FFFF
        var modulus: UInt64 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(value % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The code for now.
    public func code() -> String { code(at: Int(time(nil))) }

    /// Seconds until the current code changes: a caller that gets less than a few may wait for the next one
    /// rather than send a code the server sees as expired.
    public func secondsLeft(at unixTime: Int = Int(time(nil))) -> Int { period - max(unixTime, 0) % period }

    /// Never the secret.
    public var description: String { "TOTP(\(digits) digits, \(period) s, HMAC-\(algorithm))" }
}
