import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// Secrets from files (`LEXICON_…_FILE`, systemd credentials) instead of the command line, where `ps` shows them.
@Suite("secrets from files")
struct SecretFileTests {
    static let key = "file-secret-0123456789"

    /// A PowerDNS API that knows one key and one empty zone.
    func serve() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            guard request.header("x-api-key") == Self.key else { return .respond(HTTPResponse(status: 401)) }
            let zone = JSONValue.object([("name", .string("example.com.")), ("rrsets", .array([]))])
            return .respond(
                HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: zone.encoded()))
        }
    }

    @Test func aFileVariableAndACredentialGiveTheSecretAndNeverShowIt() async throws {
        let server = try serve()
        defer { server.stop() }
        let cli = try CLI()
        defer { cli.directory.remove() }
        let file = try cli.directory.write("token", Self.key + "\n", mode: 0o600)
        let list = ["powerdns", "list", "example.com", "TXT", "--pdns-server", server.url, "--log-level", "DEBUG"]
        let fromFile = await cli.run(list, environment: ["LEXICON_POWERDNS_AUTH_TOKEN_FILE": file])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(!(fromFile.stdout + fromFile.stderr).contains(Self.key))
        let credentials = try TemporaryDirectory(prefix: "lexicon-credentials")
        defer { credentials.remove() }
        _ = try credentials.write("LEXICON_POWERDNS_AUTH_TOKEN", Self.key, mode: 0o600)
        let fromCredential = await cli.run(list, environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(fromCredential.status == 0, "\(fromCredential.stderr)")
        #expect(!(fromCredential.stdout + fromCredential.stderr).contains(Self.key))
        // A variable set directly wins over the file.
        let direct = await cli.run(
            list, environment: ["LEXICON_POWERDNS_AUTH_TOKEN": "wrong", "LEXICON_POWERDNS_AUTH_TOKEN_FILE": file])
        #expect(direct.status == 3)
    }

    @Test func aFileOthersCanReadWarnsAndAMissingOneIsRefused() async throws {
        let server = try serve()
        defer { server.stop() }
        let cli = try CLI()
        defer { cli.directory.remove() }
        let open = try cli.directory.write("token", Self.key, mode: 0o644)
        let list = ["powerdns", "list", "example.com", "TXT", "--pdns-server", server.url]
        let loose = await cli.run(list, environment: ["LEXICON_POWERDNS_AUTH_TOKEN_FILE": open])
        #expect(loose.status == 0, "\(loose.stderr)")
        #expect(loose.stderr.contains("run: chmod 600 \(open)"), "\(loose.stderr)")
        let missing = await cli.run(
            list, environment: ["LEXICON_POWERDNS_AUTH_TOKEN_FILE": cli.directory.file("nothing")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("LEXICON_POWERDNS_AUTH_TOKEN_FILE names"), "\(missing.stderr)")
        #expect(server.requests.count == 1, "the missing file must stop the command before any request")
    }

    @Test func aTSIGKeyFileOthersCanReadIsNamed() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let key = try cli.directory.write(
            "update.key", "key \"update\" {\n\talgorithm hmac-sha256;\n\tsecret \"c2VjcmV0c2VjcmV0c2VjcmV0\";\n};\n",
            mode: 0o644)
        let result = await cli.run([
            "rfc2136", "list", "example.com", "A", "--name", "www", "--ddns-server",
            "127.0.0.1:\(LoopbackPorts.free())",
            "--ddns-timeout", "0.2", "--auth-key-file", key,
        ])
        #expect(
            result.stderr.contains("\(key) holds a TSIG key and is readable by others; run: chmod 600 \(key)"),
            "\(result.stderr)")
        #expect(!result.stderr.contains("c2VjcmV0"))
    }
}
