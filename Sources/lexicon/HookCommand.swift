import Lexicon
import LexiconActions

/// `lexicon hook certbot|dehydrated|lego …`: ACME DNS-01 hooks. Arguments after the client name are taken as the
/// client passes them (tokens may start with `-`); the provider and its options come from the environment
/// (`LEXICON_PROVIDER`, `LEXICON_<PROVIDER>_*`) and config files, as dns-lexicon's hook scripts used them.
enum HookCommand {
    static let usage =
        "usage: lexicon hook certbot auth|cleanup | lexicon hook dehydrated HANDLER ARGS... | lexicon hook lego present|cleanup FQDN VALUE (or -- DOMAIN TOKEN KEYAUTH) | lexicon hook install [DIR]"

    /// The clients, each with the program name that acts as `lexicon hook CLIENT` (made by `lexicon hook install`).
    static let clients = ["certbot", "dehydrated", "lego"]

    /// The prefix of the program names: `lexicon-hook-lego` runs as `lexicon hook lego`.
    static let programPrefix = "lexicon-hook-"

    /// The arguments as `lexicon` takes them: `lexicon-hook-CLIENT ARGS...` (the binary called through a link of
    /// that name, as lego's `EXEC_PATH` and dehydrated's `HOOK` run one program) becomes `hook CLIENT ARGS...`.
    static func arguments(programPath: String, _ arguments: [String]) -> [String] {
        let name = programPath.split(separator: "/").last.map(String.init) ?? programPath
        guard name.hasPrefix(programPrefix), clients.contains(String(name.dropFirst(programPrefix.count))) else {
            return arguments
        }
        return ["hook", String(name.dropFirst(programPrefix.count))] + arguments
    }

    /// What a client does when its challenge hook fails after publishing the value.
    static func afterFailedWait(_ client: String, _ arguments: [String]) -> String {
        switch client {
        case "certbot":
            return " certbot logs this, goes on (the CA may still find the value) and runs the cleanup hook, which "
                + "removes it."
        case "lego": return " lego runs the cleanup next, which removes it."
        default:
            return " dehydrated stops without running clean_challenge: remove it with lexicon-hook-dehydrated "
                + "clean_challenge " + arguments.joined(separator: " ") + "."
        }
    }

    static func run(_ arguments: [String], registry: ProviderRegistry, logger: LexiconLogger) async throws {
        let environment = ProcessEnvironment.variables
        var config = try ConfigResolver().withEnv()
            .withConfigDir(
                environment["LEXICON_CONFIG_DIR"] ?? ".", mustExist: environment["LEXICON_CONFIG_DIR"] != nil)
        config.logger = logger
        let challenge = ACMEChallenge(config: config, registry: registry, logger: logger)
        guard let client = arguments.first else { throw LexiconError(.usage, usage) }
        let rest = Array(arguments.dropFirst())
        do {
            try await run(client, rest, challenge: challenge, environment: environment)
        } catch var error as LexiconError where error.message.hasSuffix("stays until cleanup removes it.") {
            error.message += afterFailedWait(client, Array(rest.dropFirst()))
            throw error
        }
    }

    private static func run(
        _ client: String, _ rest: [String], challenge: ACMEChallenge, environment: [String: String]
    ) async throws {
        switch client {
        case "certbot":
            guard let phase = rest.first, phase == "auth" || phase == "cleanup", rest.count == 1 else {
                throw LexiconError(
                    .usage, "usage: lexicon hook certbot auth|cleanup (as --manual-auth-hook / --manual-cleanup-hook)")
            }
            guard let domain = environment["CERTBOT_DOMAIN"], let value = environment["CERTBOT_VALIDATION"] else {
                throw LexiconError(
                    .usage, "CERTBOT_DOMAIN and CERTBOT_VALIDATION are not set: run this as certbot's manual hook.")
            }
            let entry = ACMEChallenge.Entry(domain: domain, value: value)
            if phase == "auth" { try await challenge.deploy([entry]) } else { try await challenge.clean([entry]) }
        case "dehydrated":
            guard let handler = rest.first else { throw LexiconError(.usage, usage) }
            // Every other handler (startup_hook, deploy_cert, dehydrated's probe with a made-up name…) succeeds silently.
            guard handler == "deploy_challenge" || handler == "clean_challenge" else { return }
            let triples = Array(rest.dropFirst())
            guard !triples.isEmpty, triples.count % 3 == 0 else {
                throw LexiconError(
                    .usage,
                    "dehydrated \(handler) passes DOMAIN TOKEN_FILENAME VALUE triples; got \(triples.count) arguments.")
            }
            let entries = stride(from: 0, to: triples.count, by: 3).map {
                ACMEChallenge.Entry(domain: triples[$0], value: triples[$0 + 2])
            }
            if handler == "deploy_challenge" {
                try await challenge.deploy(entries)
            } else {
                try await challenge.clean(entries)
            }
        case "lego":
            guard let phase = rest.first, phase == "present" || phase == "cleanup" else {
                // lego asks for "timeout" too; it then uses its own defaults.
                if rest.first == "timeout" { return }
                throw LexiconError(.usage, usage)
            }
            let entry: ACMEChallenge.Entry
            if rest.count == 5, rest[1] == "--" {
                entry = ACMEChallenge.Entry(domain: rest[2], value: ACMEChallenge.value(fromKeyAuthorization: rest[4]))
            } else if rest.count == 3 {
                entry = ACMEChallenge.Entry(fqdn: rest[1], value: rest[2])
            } else {
                throw LexiconError(.usage, "lego \(phase) passes FQDN VALUE, or -- DOMAIN TOKEN KEYAUTH in RAW mode.")
            }
            if phase == "present" { try await challenge.deploy([entry]) } else { try await challenge.clean([entry]) }
        case "install":
            guard rest.count <= 1 else { throw LexiconError(.usage, "usage: lexicon hook install [DIR]") }
            for line in try install(in: rest.first) { LexiconCommand.write(line) }
        default:
            throw LexiconError(.usage, "unknown ACME client \"\(client)\"; " + usage)
        }
    }

    /// Links `lexicon-hook-certbot`, `lexicon-hook-dehydrated` and `lexicon-hook-lego` to this binary, in `directory`
    /// or beside the binary. A name that is already such a link stays; anything else there is left alone and
    /// reported (nothing is made then).
    /// - Returns: One line per link.
    static func install(in directory: String?) throws -> [String] {
        let binary = FileIO.linkTarget("/proc/self/exe") ?? CommandLine.arguments[0]
        let target = FileIO.resolved(binary) ?? binary
        let folder = directory ?? FileIO.parentDirectory(of: target)
        guard FileIO.isDirectory(folder) else {
            throw LexiconError(.config, "\(folder) is not a directory; give the directory for the links.")
        }
        var toMake: [String] = []
        var lines: [String] = []
        for client in clients {
            let link = folder + "/" + programPrefix + client
            if let existing = FileIO.linkTarget(link) {
                if FileIO.resolved(link) == target {
                    lines.append("\(link) -> \(existing) (already there)")
                    continue
                }
                throw LexiconError(
                    .config, "\(link) is a link to \(existing), not to \(target); remove it first, or give another DIR."
                )
            }
            if FileIO.exists(link) {
                throw LexiconError(
                    .config, "\(link) exists and is not a link to lexicon; remove it first, or give another DIR.")
            }
            toMake.append(link)
        }
        for link in toMake {
            try FileIO.makeLink(link, to: target)
            lines.append("\(link) -> \(target)")
        }
        return lines
    }
}
