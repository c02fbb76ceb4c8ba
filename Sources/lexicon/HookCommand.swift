import Lexicon
import LexiconActions

/// `lexicon hook certbot|dehydrated|lego …`: ACME DNS-01 hooks. Arguments after the client name are taken as the
/// client passes them (tokens may start with `-`); the provider and its options come from the environment
/// (`LEXICON_PROVIDER`, `LEXICON_<PROVIDER>_*`) and config files, as dns-lexicon's hook scripts used them.
enum HookCommand {
    static let usage =
        "usage: lexicon hook certbot auth|cleanup | lexicon hook dehydrated HANDLER ARGS... | lexicon hook lego present|cleanup FQDN VALUE (or -- DOMAIN TOKEN KEYAUTH)"

    static func run(_ arguments: [String], registry: ProviderRegistry, logger: LexiconLogger) async throws {
        let environment = ProcessEnvironment.variables
        var config = try ConfigResolver().withEnv()
            .withConfigDir(
                environment["LEXICON_CONFIG_DIR"] ?? ".", mustExist: environment["LEXICON_CONFIG_DIR"] != nil)
        config.logger = logger
        let challenge = ACMEChallenge(config: config, registry: registry, logger: logger)
        guard let client = arguments.first else { throw LexiconError(.usage, usage) }
        let rest = Array(arguments.dropFirst())
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
        default:
            throw LexiconError(.usage, "unknown ACME client \"\(client)\"; " + usage)
        }
    }
}
