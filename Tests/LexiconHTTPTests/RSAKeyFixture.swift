import Lexicon
import LexiconTesting
import Testing

/// An RSA key made once per test run by the openssl command, in both PEM forms, with its public key, and openssl
/// runs against it (each in a temporary directory removed afterwards).
struct RSAKeyFixture: Sendable {
    let openssl: String
    /// PKCS#8 (`BEGIN PRIVATE KEY`).
    let pkcs8: String
    /// PKCS#1 (`BEGIN RSA PRIVATE KEY`), the same key.
    let pkcs1: String
    /// The public key (`BEGIN PUBLIC KEY`).
    let publicKey: String

    static let shared = Task<RSAKeyFixture, any Error> {
        guard let openssl = CommandRunner.which("openssl") else {
            throw LexiconError(.config, "the openssl command is not installed")
        }
        let key = try await text(openssl, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        return RSAKeyFixture(
            openssl: openssl, pkcs8: key, pkcs1: try await text(openssl, ["pkey", "-traditional"], input: key),
            publicKey: try await text(openssl, ["pkey", "-pubout"], input: key))
    }

    /// The fixture, or a test failure saying why there is none.
    static func get() async throws -> RSAKeyFixture { try await shared.value }

    /// Runs an openssl command with `-out` (and `-in` when given input) put after its name; `@name` arguments are
    /// files in a temporary directory, written from `files` first. Returns what it wrote.
    static func run(
        _ openssl: String, _ arguments: [String], input: String? = nil, files: [String: [UInt8]] = [:]
    ) async throws -> [UInt8] {
        let directory = try TemporaryDirectory(prefix: "lexicon-rsa")
        defer { directory.remove() }
        for (name, bytes) in files { try FileIO.writeAtomically(directory.file(name), bytes) }
        var options = ["-out", directory.file("out")]
        if let input { options += ["-in", try directory.write("in.pem", input)] }
        let rest = arguments.dropFirst().map { $0.hasPrefix("@") ? directory.file(String($0.dropFirst())) : $0 }
        let result = await CommandRunner.run(openssl, [arguments[0]] + options + rest)
        guard result.status == 0 else { throw LexiconError(.config, "openssl \(arguments[0]): \(result.stderr)") }
        return try FileIO.read(directory.file("out"))
    }

    /// ``run(_:_:input:files:)`` as text.
    static func text(_ openssl: String, _ arguments: [String], input: String? = nil) async throws -> String {
        String(decoding: try await run(openssl, arguments, input: input), as: UTF8.self)
    }

    /// Whether `openssl dgst -verify` accepts a signature of data with the public key.
    func verify(_ signature: [UInt8], of data: [UInt8], digest: String) async throws -> Bool {
        let output = try? await Self.run(
            openssl, ["dgst", "-\(digest)", "-verify", "@public.pem", "-signature", "@sig", "@data"],
            files: ["public.pem": Array(publicKey.utf8), "sig": signature, "data": data])
        return output.map { String(decoding: $0, as: UTF8.self) }?.contains("Verified OK") == true
    }

    /// What `openssl dgst -sign` makes of data (PKCS#1 v1.5 signatures are deterministic).
    func opensslSignature(of data: [UInt8], digest: String) async throws -> [UInt8] {
        try await Self.run(
            openssl, ["dgst", "-\(digest)", "-binary", "-sign", "@key.pem", "@data"],
            files: ["key.pem": Array(pkcs8.utf8), "data": data])
    }

    /// Runs openssl on the private key (`-in`) and returns what it wrote.
    func derive(_ arguments: [String]) async throws -> String { try await Self.text(openssl, arguments, input: pkcs8) }

    /// Runs openssl without input and returns what it wrote.
    func make(_ arguments: [String]) async throws -> String { try await Self.text(openssl, arguments) }
}
