import COpenSSL
import Lexicon

/// Signs bytes with an RSA private key (RSASSA-PKCS1-v1_5), from the libcrypto libcurl already loads: RS256 for
/// Google's service-account JWT, RSA-SHA512 for TransIP's `/auth` body.
///
/// The key stays inside libcrypto and never appears in a message or a description.
public final class RSASigner: @unchecked Sendable, CustomStringConvertible {
    // libcrypto allows concurrent signing with one key: each signature gets its own digest context.
    private let key: OpaquePointer

    /// Reads a private key from PEM text: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    /// Line breaks written as `\n` (a key pasted on one line, or copied out of a JSON file) are accepted.
    /// - Parameters:
    ///   - pem: The PEM text.
    ///   - option: The option that holds the key (`--auth-api-key`), named in messages.
    ///   - provider: The provider's name, for messages.
    /// - Throws: ``LexiconError`` `config` when the text holds no unencrypted RSA private key; the message never
    ///   shows the text.
    public init(pem: String, option: String, provider: String? = nil) throws {
        var text = pem
        if !text.contains("\n") && text.contains("\\n") { text = text.replacing("\\n", with: "\n") }
        let bytes = Array(text.utf8)
        var notRSA: Int32 = 0
        let loaded = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                lexicon_rsa_private_key($0.baseAddress, Int32($0.count), &notRSA)
            }
        }
        guard let loaded else {
            throw Self.unreadable(text, notRSA: notRSA != 0, option: option, provider: provider)
        }
        key = loaded
    }

    deinit { lexicon_key_free(key) }

    /// The size of the key's signatures in bytes (256 for a 2048-bit key).
    public var signatureSize: Int { Int(lexicon_key_size(key)) }

    /// Never the key.
    public var description: String { "RSASigner(\(signatureSize * 8)-bit key)" }

    /// The RSASSA-PKCS1-v1_5 signature of data.
    /// - Parameters:
    ///   - data: The bytes to sign, exactly as they are sent.
    ///   - algorithm: The digest: `.sha256` for RS256, `.sha512` for RSA-SHA512.
    /// - Throws: ``LexiconError`` `config` if libcrypto refuses (a key too small for the digest).
    public func sign(_ data: [UInt8], digest algorithm: Digest.Algorithm) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(signatureSize, 1))
        let capacity = out.count
        let length = lexicon_rsa_sign(key, algorithm.rawValue, data, data.count, &out, capacity)
        guard length > 0 else {
            throw LexiconError(.config, "The \(signatureSize * 8)-bit RSA key cannot make a \(algorithm) signature.")
        }
        return Array(out.prefix(length))
    }

    /// Why PEM text gave no key, without showing it.
    private static func unreadable(_ text: String, notRSA: Bool, option: String, provider: String?) -> LexiconError {
        let reason: String
        if notRSA || text.contains("EC PRIVATE KEY") {
            reason = "it is not an RSA key; an RSA private key is needed"
        } else if text.contains("ENCRYPTED") {
            reason = "the key is encrypted; give an unencrypted key (openssl pkey -in KEY -out PLAIN)"
        } else if text.contains("PUBLIC KEY") && !text.contains("PRIVATE KEY") {
            reason = "it is a public key; the private key is needed"
        } else if !text.contains("-----BEGIN") {
            reason = "it holds no PEM block (-----BEGIN PRIVATE KEY-----)"
        } else {
            reason = "it is not a readable RSA private key in PEM (PKCS#8 or PKCS#1)"
        }
        return LexiconError(.config, "The value of \(option) is not usable: \(reason).", provider: provider)
    }
}
