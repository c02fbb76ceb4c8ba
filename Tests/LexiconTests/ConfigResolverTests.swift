import Lexicon
import LexiconTesting
import Testing

@Suite("configuration")
struct ConfigResolverTests {
    @Test func precedenceIsCallOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "lexicon.yml", "ttl: 100\ncloudflare:\n  auth_token: from-global-file\n  zone_id: z1\n", mode: 0o600)
        try directory.write("lexicon_cloudflare.yml", "auth_token: from-provider-file\n", mode: 0o600)
        let env = ["LEXICON_CLOUDFLARE_AUTH_USERNAME": "env-user", "LEXICON_CLOUDFLARE_ZONE_ID": ""]
        let config = try ConfigResolver()
            .withArgs(["auth_username": "arg-user"])
            .withEnv(env)
            .withConfigDir(directory.path)
            .withDict(["cloudflare": ["auth_password": "dict-password"]])
        #expect(config.resolve("lexicon:cloudflare:auth_username") == "arg-user")
        #expect(config.resolve("lexicon:cloudflare:auth_token") == "from-provider-file")
        #expect(config.resolve("lexicon:cloudflare:zone_id") == "z1", "an empty variable counts as unset")
        #expect(config.resolve("lexicon:cloudflare:auth_password") == "dict-password")
        #expect(config.resolve("lexicon:ttl") == "100")
        #expect(ConfigResolver().resolve("lexicon:ttl") == "3600")
    }

    @Test func environmentNamesAndLegacyAlias() {
        #expect(ConfigResolver.environmentName(for: "lexicon:cloudflare:auth_token") == "LEXICON_CLOUDFLARE_AUTH_TOKEN")
        let lines = LineCollector()
        var config = ConfigResolver().withEnv(["LEXICON_CLOUDFLARE_TOKEN": "legacy"])
        config.logger = LexiconLogger(level: .warning, sink: { lines.append($0) })
        #expect(config.resolve("lexicon:cloudflare:auth_token") == "legacy")
        #expect(lines.lines.contains { $0.contains("LEXICON_CLOUDFLARE_TOKEN is deprecated") })
    }

    @Test func yamlExtensionIsReadToo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("lexicon_localzone.yaml", "filename: zone.db\n")
        let config = try ConfigResolver().withConfigDir(directory.path)
        #expect(config.resolve("lexicon:localzone:filename") == "zone.db")
    }

    @Test func legacyDict() {
        let config = ConfigResolver().withLegacyDict([
            "provider_name": "cloudflare", "auth_token": "t", "domain": "example.com",
        ])
        #expect(config.resolve("lexicon:cloudflare:auth_token") == "t")
        #expect(config.resolve("lexicon:domain") == "example.com")
    }

    @Test func secretsAreRedacted() throws {
        let config = ConfigResolver()
            .withArgs(["auth_token": "s3cr3t-arg"])
            .withEnv(["LEXICON_CLOUDFLARE_AUTH_PASSWORD": "s3cr3t-env"])
            .withDict(["cloudflare": ["api_key": "s3cr3t-dict", "zone_id": "visible"]])
        let text = config.description
        #expect(!text.contains("s3cr3t"))
        #expect(text.contains("<redacted>") && text.contains("visible"))
    }

    @Test func looseSecretFileWarns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("lexicon_cloudflare.yml", "auth_token: abc\n", mode: 0o644)
        let config = try ConfigResolver().withConfigDir(directory.path)
        #expect(config.warnings.count == 1)
        #expect(config.warnings.first?.contains("chmod 600 \(directory.path)/lexicon_cloudflare.yml") == true)
        #expect(config.warnings.first?.contains("abc") == false)
    }

    @Test(arguments: [
        ("lexicon.yml", "cloudflare:\n\tauth_token: x\n", ":2:"),
        ("lexicon.yml", "- a\n- b\n", "expected a mapping"),
        ("lexicon.yml", "localzone:\n  filename: a\n  filename: b\n", "duplicate key"),
        ("lexicon.yml", "localzone:\n  filename: [a, b]\n", "key \"localzone.filename\""),
        ("lexicon_localzone.yml", "filename:\n  nested: x\n", "expected a single value"),
    ])
    func badFilesNameFileLineAndKey(file: String, text: String, message: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(file, text)
        do {
            _ = try ConfigResolver().withConfigDir(directory.path)
            Issue.record("accepted a bad config file")
        } catch let error as LexiconError {
            #expect(error.code == .config)
            #expect(error.message.contains(file), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func unknownProviderSectionIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("lexicon.yml", "ttl: 60\ncloudfare:\n  auth_token: x\n", mode: 0o600)
        let config = try ConfigResolver().withConfigDir(directory.path)
        do {
            try config.validate(providers: ["cloudflare", "localzone"])
            Issue.record("accepted an unknown provider")
        } catch let error as LexiconError {
            #expect(error.message.contains("lexicon.yml:2: key \"cloudfare\": unknown provider"), "\(error.message)")
        }
    }

    @Test func emptyFileIsEmpty() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("lexicon.yml", "")
        let config = try ConfigResolver().withConfigDir(directory.path)
        #expect(config.resolve("lexicon:delegated") == nil)
    }
}

/// Collects log lines from a logger sink.
final class LineCollector: @unchecked Sendable {
    private var storage: [String] = []
    func append(_ line: String) { storage.append(line) }
    var lines: [String] { storage }
}
