import Foundation
import LexiconTesting
import Testing

/// Every command explains itself: its own help page, a man page from the same text, and completion scripts that
/// their shells accept.
@Suite("help for every command")
struct CommandHelpTests {
    @Test(arguments: [
        (["dyndns", "--help"], "Usage: lexicon dyndns run|check|status"),
        (["failover", "--help"], "Usage: lexicon failover run|once|status"),
        (["wait-propagation", "--help"], "Usage: lexicon wait-propagation <fqdn>"),
        (["hook", "--help"], "Usage: lexicon hook certbot|dehydrated|lego"),
        (["hook", "certbot", "--help"], "Usage: lexicon hook certbot auth|cleanup"),
        (["hook", "dehydrated", "--help"], "Usage: lexicon hook dehydrated HANDLER"),
        (["hook", "lego", "--help"], "Usage: lexicon hook lego present|cleanup"),
        (["auto", "--help"], "Usage: lexicon auto <action>"),
        (["completion", "--help"], "Usage: lexicon completion bash|zsh|fish"),
        (["--log-level", "DEBUG", "dyndns", "-h"], "Usage: lexicon dyndns"),
        (["help", "failover"], "Usage: lexicon failover"),
    ])
    func eachCommandHasItsPage(_ arguments: [String], _ usage: String) async throws {
        let result = await CommandRunner.run(Testbed.lexiconBinary, arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        #expect(result.stdout.hasPrefix(usage), "\(arguments): \(result.stdout.prefix(200))")
        #expect(result.stdout.contains("Example"), "\(arguments) has no example")
    }

    @Test func syncIPIsAnOperation() async {
        let general = await CommandRunner.run(Testbed.lexiconBinary, ["--help"])
        #expect(general.stdout.contains("  sync-ip  keep an A or AAAA record"))
        let providers = await CommandRunner.run(Testbed.lexiconBinary, ["providers"])
        #expect(providers.stdout.contains("create,update,sync-ip"), "\(providers.stdout)")
        let refused = await CommandRunner.run(
            Testbed.lexiconBinary,
            ["dyndns2", "list", "example.com", "A", "--preset", "noip", "--auth-username", "u", "--auth-password", "p"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("supports only: create, update, sync-ip"), "\(refused.stderr)")
    }

    @Test func theManPageRenders() async throws {
        guard Testbed.shouldRun(needing: "man") else {
            print("skipping the man page check: man (Debian man-db) is not installed")
            return
        }
        let scratch = try TemporaryDirectory(prefix: "lexicon-man")
        defer { scratch.remove() }
        let page = await CommandRunner.run(Testbed.lexiconBinary, ["manpage"])
        #expect(page.status == 0)
        let path = try scratch.write("lexicon.1", page.stdout)
        let man = try #require(Testbed.tool("man"), "man is required")
        let rendered = await CommandRunner.run(
            man, ["--warnings", "-l", path], environment: ["MANWIDTH": "100", "MANPAGER": "cat"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stderr.isEmpty, "roff warnings: \(rendered.stderr)")
        for text in ["LEXICON(1)", "SYNOPSIS", "lexicon dyndns run|check|status", "--auth-token TOKEN", "EXIT STATUS"] {
            #expect(rendered.stdout.contains(text), "the man page lacks \(text)")
        }
    }

    func completeInBash(_ words: String, in directory: String? = nil) async throws -> String {
        let scratch = try TemporaryDirectory(prefix: "lexicon-completion")
        defer { scratch.remove() }
        let script = try scratch.write(
            "lexicon.bash", await CommandRunner.run(Testbed.lexiconBinary, ["completion", "bash"]).stdout)
        let result = await CommandRunner.run(
            "/bin/bash",
            [
                "-c",
                "source '\(script)'; COMP_WORDS=(\(words)); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _lexicon; echo \"${COMPREPLY[*]}\"",
            ], directory: directory)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func bashCompletesAfterGlobalOptionsAndKnowsAliasesHooksAndFiles() async throws {
        #expect(
            try await completeInBash("lexicon --log-level DEBUG localzone ''")
                == "create list update delete sync-ip export apply batch")
        #expect(try await completeInBash("lexicon --output=JSON --delegated sub cloudflare ''").hasPrefix("create"))
        #expect(try await completeInBash("lexicon hook certbot ''") == "auth cleanup")
        #expect(try await completeInBash("lexicon hook lego ''") == "present cleanup")
        #expect(try await completeInBash("lexicon lin") == "linode4 linode")
        #expect(try await completeInBash("lexicon dd") == "ddns")
        #expect(try await completeInBash("lexicon au") == "auto")
        #expect(try await completeInBash("lexicon ddns create example.com TXT --auth-k").contains("--auth-key-file"))
        let scratch = try TemporaryDirectory(prefix: "lexicon-files")
        defer { scratch.remove() }
        _ = try scratch.write("pools.yml", "")
        for flag in ["--config", "--filename", "--auth-key-file", "--state-file", "--state-dir"] {
            #expect(
                try await completeInBash("lexicon failover run \(flag) po", in: scratch.path) == "pools.yml", "\(flag)")
        }
    }

    @Test(arguments: ["zsh", "fish"])
    func zshAndFishAcceptTheirScripts(_ shell: String) async throws {
        guard Testbed.shouldRun(needing: shell) else {
            print("skipping the \(shell) syntax check: \(shell) is not installed")
            return
        }
        let scratch = try TemporaryDirectory(prefix: "lexicon-completion")
        defer { scratch.remove() }
        let script = try scratch.write(
            "lexicon.\(shell)", await CommandRunner.run(Testbed.lexiconBinary, ["completion", shell]).stdout)
        let program = try #require(Testbed.tool(shell), "\(shell) is required")
        let checked = await CommandRunner.run(program, ["-n", script])
        #expect(checked.status == 0, "\(shell) -n: \(checked.stderr)")
    }
}
