import DNSWire
import Lexicon
import LexiconActions
import LexiconHTTP
import LexiconProviders

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `lexicon` program: parses the line, runs the command, prints the result, and exits with SPEC's statuses.
enum LexiconCommand {
    static func main(arguments: [String]) async -> Int32 {
        let registry = ProviderRegistry.standard
        var logger = LexiconLogger(level: .warning)
        do {
            // Only as the client or the word after it: a value a client passes later may start with `-`.
            if arguments.first == "hook",
                arguments.dropFirst().prefix(2).contains(where: { $0 == "--help" || $0 == "-h" })
            {
                write(HelpText.hook(client: arguments.dropFirst().first))
                return 0
            }
            if arguments.first == "hook" {
                if let level = ProcessEnvironment.variables["LEXICON_LOG_LEVEL"].flatMap(
                    LexiconLogger.Level.init(name:))
                {
                    logger.level = level
                }
                try await HookCommand.run(Array(arguments.dropFirst()), registry: registry, logger: logger)
                return 0
            }
            let invocation = try CommandLineParser(registry: registry).parse(arguments)
            if let levelName = invocation.options["log_level"] {
                guard let level = LexiconLogger.Level(name: levelName) else {
                    throw LexiconError(
                        .usage, "unknown log level \"\(levelName)\"; use CRITICAL, ERROR, WARNING, INFO or DEBUG.")
                }
                logger.level = level
            }
            if invocation.options["output"] != nil {
                switch invocation.command {
                case .record, .providers, .zone: break
                default:
                    throw LexiconError(
                        .usage,
                        "--output applies to record actions (create, list, update, delete, sync-ip) and `lexicon providers`; "
                            + "status commands take --json.")
                }
            }
            switch invocation.command {
            case .version:
                write("lexicon \(HelpText.version)")
            case .help(let provider):
                if let provider, let page = HelpText.command([provider], registry: registry) {
                    write(page)
                } else if let provider, provider != "help" {
                    write(HelpText.provider(try registry.require(provider)))
                } else {
                    write(HelpText.general(registry))
                }
            case .providers:
                switch try OutputFormat.parse(invocation.options["output"]) {
                case .json: write(HelpText.providersJSON(registry))
                case .quiet: break
                case .table, .tableNoHeader: write(HelpText.providers(registry))
                }
            case .manpage:
                write(ManPage.roff(registry))
            case .dyndns(let sub):
                try await DynDNSCommand.run(sub, options: invocation.options, registry: registry, logger: logger)
            case .failover(let sub):
                CurlTransport.preload()
                try await FailoverCommand.run(sub, options: invocation.options, registry: registry, logger: logger)
            case .dyndnsPresets:
                let width = (DynDNS2Provider.presets.keys.map(\.count).max() ?? 0) + 2
                for (name, url) in DynDNS2Provider.presets.sorted(by: { $0.key < $1.key }) {
                    write(name + String(repeating: " ", count: width - name.count) + url)
                }
            case .completion(let shell):
                write(try CompletionScript.script(for: shell, registry: registry))
            case .waitPropagation(let fqdn, let type, let value):
                let recordType = try RecordType.parse(type)
                let present =
                    !(invocation.options["absent"].map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false)
                let checker = try DNSCommandOptions(options: invocation.options, logger: logger).checker()
                let result = try await checker.wait(fqdn: fqdn, type: recordType, content: value, present: present)
                let servers = result.servers.map(\.description).joined(separator: ", ")
                let count = Plural.count(result.servers.count, "authoritative server")
                write(
                    "\(result.name.bare) \(recordType) \(present ? "served" : "gone") on \(count) (\(servers)) after \(PropagationChecker.seconds(result.elapsed)) s"
                )
            case .zone(let provider, let action, let domain):
                // An HTTP provider's transport starts loading libcurl when it is made (unless its endpoint is
                // plain http://).
                return try await ZoneCommand(
                    registry: registry, logger: logger, provider: provider, action: action, domain: domain,
                    options: invocation.options
                ).run(write: write)
            case .record(let provider, let action, let domain, let type):
                let format = try OutputFormat.parse(invocation.options["output"])
                let output = try await RecordCommand(
                    registry: registry, logger: logger, provider: provider, action: action, domain: domain,
                    type: type, options: invocation.options
                ).run(format: format)
                if let output { write(output) }
            }
            return 0
        } catch let error as LexiconError {
            logger.sink("lexicon: \(TerminalText.escaped(error.commandLineDescription))")
            return error.code.exitStatus
        } catch {
            logger.sink("lexicon: unexpected error: \(TerminalText.escaped(String(describing: error)))")
            return 1
        }
    }

    /// Prints a line of output, flushed at once (the daemons' lines reach a log file or pipe as they happen). Control
    /// characters other than tabs and line breaks, which only servers put there, are escaped.
    static func write(_ text: String) {
        print(TerminalText.escapedLines(text))
        fflush(nil)
    }
}

/// One record operation from the command line.
struct RecordCommand {
    let registry: ProviderRegistry
    let logger: LexiconLogger
    let provider: String
    let action: String
    let domain: String
    let type: String
    let options: [String: String]

    func run(format: OutputFormat) async throws -> String? {
        let allTypes = action == "list" && ["ANY", "ALL", "*"].contains(type.uppercased())
        let recordType = allTypes ? nil : try RecordType.parse(type)
        let ttl = try options["ttl"].map(RecordContent.ttl)
        let priority = try options["priority"].map { text -> Int in
            guard let value = Int(text), (0...65_535).contains(value) else {
                throw LexiconError.invalidInput("the priority \"\(text)\" is not a number from 0 to 65535.")
            }
            return value
        }
        let dns = DNSCommandOptions(options: options, logger: logger)
        let wait = options["wait"].map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false
        if wait && action == "list" { throw LexiconError(.usage, "--wait applies to create, update and delete.") }
        let client = try await CommandClient.make(
            registry: registry, logger: logger, provider: provider, domain: domain, options: options,
            extra: ["action": action, "type": type])
        let name = options["name"]
        let content = options["content"]
        let identifier = options["identifier"]
        switch action {
        case "list":
            let records = try await client.listRecords(type: recordType, name: name, content: content)
            return OutputFormatter.list(records, format: format)
        case "sync-ip":
            return try await syncIP(client, type: recordType!, name: name, format: format)
        case "create":
            guard let content else { throw LexiconError(.usage, "create needs --content.") }
            let result = try await client.createRecord(
                type: recordType!, name: name, content: content, ttl: ttl, priority: priority)
            if wait { try await waitFor(client, dns, name: name, type: recordType!, content: content, present: true) }
            return OutputFormatter.boolean(result, format: format)
        case "update":
            let result = try await client.updateRecord(
                identifier: identifier, type: recordType!, name: name, content: content, ttl: ttl, priority: priority)
            if wait, let content {
                try await waitFor(client, dns, name: name, type: recordType!, content: content, present: true)
            }
            return OutputFormatter.boolean(result, format: format)
        default:
            let result = try await client.deleteRecord(
                identifier: identifier, type: recordType, name: name, content: content)
            if wait {
                guard let recordType, name != nil else {
                    throw LexiconError(.usage, "--wait on delete needs the type and --name of the record.")
                }
                try await waitFor(client, dns, name: name, type: recordType, content: content, present: false)
            }
            return OutputFormatter.boolean(result, format: format)
        }
    }

    /// `sync-ip`: the address (given or detected), then the record changed only when it differs.
    private func syncIP(_ client: Client, type: RecordType, name: String?, format: OutputFormat) async throws -> String?
    {
        guard let family = IPAddress.Family(type) else {
            throw LexiconError(.usage, "sync-ip keeps an A or AAAA record, not \(type).")
        }
        guard let name else { throw LexiconError(.usage, "sync-ip needs --name (use @ for the domain itself).") }
        let allowNonPublic = options["allow_nonpublic"].map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false
        let address: IPAddress
        if let given = options["ip"] {
            guard let parsed = IPAddress(given), parsed.family == family else {
                throw LexiconError.invalidInput(
                    "--ip \(given) is not an \(family.rawValue) address for \(Plural.article(type.rawValue)) record.")
            }
            if let reason = parsed.nonPublicReason, !allowNonPublic {
                throw LexiconError.invalidInput(
                    "--ip \(parsed) is \(reason), not public; add --allow-nonpublic to publish it anyway.")
            }
            address = parsed
        } else {
            let sources =
                try options["detect"].map {
                    try $0.split(separator: "\n").map { try AddressSource(parsing: String($0)) }
                }
                ?? AddressSource.defaults(family)
            let quorumText = options["quorum"] ?? String(min(2, sources.count))
            guard let quorum = Int(quorumText) else {
                throw LexiconError(.usage, "--quorum must be a number, not \"\(quorumText)\".")
            }
            address = try await AddressDetector(
                sources: sources, quorum: quorum, timeout: 5, allowNonPublic: allowNonPublic, logger: logger
            ).detect(family)
        }
        let dryRun = options["dry_run"].map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false
        let state = options["state_dir"] ?? SyncIP.defaultStateDirectory(ProcessEnvironment.variables)
        // The settings that matter to the service, digested (no secret reaches the state directory): a hold after
        // an answer that needs the user lasts until they change.
        let settings = options.filter {
            !["ip", "detect", "dry_run", "state_dir", "log_level", "quorum"].contains($0.key)
        }
        .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let environment = ProcessEnvironment.variables.filter { $0.key.hasPrefix("LEXICON_") }.sorted {
            $0.key < $1.key
        }
        .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let fingerprint = Digest.hex(
            Digest.hash(.sha256, Array("\(provider)|\(domain)|\(settings)|\(environment)".utf8)))
        let outcome = try await SyncIP(client: client, stateDirectory: state, fingerprint: fingerprint).run(
            name: name, address: address, dryRun: dryRun)
        let fqdn = try client.names.absolute(name)
        switch format {
        case .quiet:
            return nil
        case .json:
            return JSONValue.object([
                ("name", .string(fqdn)), ("type", .string(type.rawValue)), ("address", .string(address.description)),
                ("action", .string(outcome.action)), ("replaced", outcome.replaced.map(JSONValue.string) ?? .null),
                ("before", .array(outcome.before.map(JSONValue.string))),
            ]).text
        case .table, .tableNoHeader:
            // "(was X)" names only the value the update replaced.
            return "\(fqdn) \(type) \(address): \(outcome.action)" + (outcome.replaced.map { " (was \($0))" } ?? "")
        }
    }

    /// Waits until every authoritative server serves (or dropped) the value just written. A wait that fails says the
    /// change itself was made, with its own exit status (5), so a script or hook can tell it from a failed change.
    private func waitFor(
        _ client: Client, _ dns: DNSCommandOptions, name: String?, type: RecordType, content: String?, present: Bool
    ) async throws {
        let fqdn = try client.names.absolute(name ?? "@")
        do {
            try await dns.checker().wait(fqdn: fqdn, type: type, content: content, present: present)
        } catch let error as LexiconError where error.code == .network || error.code == .provider {
            throw LexiconError(
                .propagation, "the \(action) was made, but the wait for it failed: \(error.message)",
                provider: client.descriptor.name)
        }
    }
}
