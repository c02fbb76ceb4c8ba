import Lexicon
import LexiconTesting
import Testing

/// `lexicon ionos` end to end against `IONOSFake`: the `--api-key` option (no `auth-` prefix), its variable and its
/// `_FILE`, the key never shown, and a wrong key named in the message.
@Suite("IONOS command line")
struct IONOSCommandLineTests {
    @Test func theKeyComesFromTheOptionOrAFileAndIsNeverShown() async throws {
        let fake = try IONOSFake(zones: ["example.com"])
        defer { fake.stop() }
        let cli = try CLI()
        defer { cli.directory.remove() }
        let create = [
            "ionos", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "token",
            "--api-endpoint", fake.endpoint, "--log-level", "DEBUG",
        ]
        let file = try cli.directory.write("ionos-key", fake.key + "\n", mode: 0o600)
        let fromFile = await cli.run(create, environment: ["LEXICON_IONOS_API_KEY_FILE": file])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(!(fromFile.stdout + fromFile.stderr).contains(fake.key))
        #expect(fake.stored("example.com").contains { $0.name == "_acme-challenge.example.com" })

        let list = ["ionos", "list", "example.com", "TXT", "--api-endpoint", fake.endpoint]
        let fromOption = await cli.run(list + ["--api-key", fake.key, "--log-level", "DEBUG"])
        #expect(fromOption.status == 0 && fromOption.stdout.contains("_acme-challenge"), "\(fromOption.stderr)")
        #expect(!fromOption.stderr.contains(fake.key))

        let wrong = await cli.run(list, environment: ["LEXICON_IONOS_API_KEY": "prefix.wrong"])
        #expect(wrong.status == 3)
        #expect(wrong.stderr.contains("--api-key or LEXICON_IONOS_API_KEY"), "\(wrong.stderr)")
        let unknown = await cli.run(
            ["ionos", "list", "other.com", "TXT", "--api-endpoint", fake.endpoint, "--api-key", fake.key])
        #expect(unknown.status == 3 && unknown.stderr.contains("No domain found for other.com"), "\(unknown.stderr)")
    }
}
