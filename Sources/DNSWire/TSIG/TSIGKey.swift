import Lexicon

/// A TSIG key: its name, algorithm and secret. The secret never appears in descriptions.
public struct TSIGKey: Sendable, CustomStringConvertible {
    /// The key's name, as the server knows it.
    public let name: DNSName
    /// The HMAC algorithm.
    public let algorithm: TSIGAlgorithm
    /// The secret bytes.
    public let secret: [UInt8]

    /// Creates a key.
    public init(name: DNSName, algorithm: TSIGAlgorithm, secret: [UInt8]) {
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
    }

    public var description: String { "TSIG key \(name.bare) (\(algorithm.shortName))" }

    /// Parses dns-lexicon's `ALG:KEYNAME:SECRET` form (`hmac-sha256:update-key:c2VjcmV0...`).
    /// - Throws: ``DNSWireError`` saying which part is wrong, never showing the secret.
    public init(token: String) throws(DNSWireError) {
        let parts = token.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw DNSWireError("the TSIG key should be ALGORITHM:KEYNAME:SECRET, e.g. hmac-sha256:update-key:BASE64")
        }
        try self.init(algorithm: parts[0], name: parts[1], base64Secret: parts[2])
    }

    /// Reads a key file as `tsig-keygen` writes it (`key "NAME" { algorithm hmac-sha256; secret "BASE64"; };`).
    /// - Parameters:
    ///   - text: The file's text.
    ///   - path: The file's path, for messages.
    /// - Throws: ``DNSWireError`` naming the file and what is missing.
    public init(keyFile text: String, path: String) throws(DNSWireError) {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var comment = false
        for character in text {
            if comment {
                if character == "\n" { comment = false }
                continue
            }
            if quoted {
                if character == "\"" {
                    quoted = false
                    tokens.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "#": comment = true
            case "{", "}", ";", " ", "\t", "\n", "\r":
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if character == "{" || character == "}" || character == ";" { tokens.append(String(character)) }
            default: current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        let keyCount = tokens.indices.filter { tokens[$0] == "key" && $0 + 2 < tokens.count && tokens[$0 + 2] == "{" }
        guard keyCount.count == 1, let start = keyCount.first else {
            throw DNSWireError(
                keyCount.isEmpty
                    ? "\(path) holds no key block; expected key \"NAME\" { algorithm ...; secret \"...\"; }; as tsig-keygen writes"
                    : "\(path) holds \(keyCount.count) keys; give a file with one key")
        }
        var algorithm: String?
        var secret: String?
        var index = start + 3
        while index + 1 < tokens.count, tokens[index] != "}" {
            if tokens[index] == "algorithm" { algorithm = tokens[index + 1] }
            if tokens[index] == "secret" { secret = tokens[index + 1] }
            index += 1
        }
        guard let algorithm else { throw DNSWireError("the key in \(path) has no algorithm") }
        guard let secret else { throw DNSWireError("the key in \(path) has no secret") }
        try self.init(algorithm: algorithm, name: tokens[start + 1], base64Secret: secret)
    }

    private init(algorithm: String, name: String, base64Secret: String) throws(DNSWireError) {
        guard let parsed = TSIGAlgorithm(name: algorithm) else {
            let known = TSIGAlgorithm.allCases.map(\.shortName).joined(separator: ", ")
            throw DNSWireError("unknown TSIG algorithm \"\(algorithm)\"; use one of \(known)")
        }
        guard !name.isEmpty else { throw DNSWireError("the TSIG key name is empty") }
        guard let bytes = Base64.decode(base64Secret), !bytes.isEmpty else {
            throw DNSWireError("the TSIG secret of key \(name) is not base64 (as tsig-keygen prints it)")
        }
        self.init(name: try DNSName(name), algorithm: parsed, secret: bytes)
    }
}
