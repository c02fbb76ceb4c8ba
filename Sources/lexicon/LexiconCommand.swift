import Lexicon
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
            let invocation = try CommandLineParser(registry: registry).parse(arguments)
            if let levelName = invocation.options["log_level"] {
                guard let level = LexiconLogger.Level(name: levelName) else {
                    throw LexiconError(
                        .usage, "unknown log level \"\(levelName)\"; use CRITICAL, ERROR, WARNING, INFO or DEBUG.")
                }
                logger.level = level
            }
            switch invocation.command {
            case .version:
                write("lexicon \(HelpText.version)")
            case .help(let provider):
                if let provider, !CommandLineParser.commands.contains(provider) {
                    write(HelpText.provider(try registry.require(provider)))
                } else {
                    write(HelpText.general(registry))
                }
            case .providers:
                write(HelpText.providers(registry))
            case .completion(let shell):
                write(try CompletionScript.script(for: shell, registry: registry))
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
            logger.sink("lexicon: \(error.description)")
            return error.code.exitStatus
        } catch {
            logger.sink("lexicon: unexpected error: \(error)")
            return 1
        }
    }

    static func write(_ text: String) {
        print(text)
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
        var arguments: [String: String?] = options
        arguments["provider_name"] = provider
        arguments["action"] = action
        arguments["domain"] = domain
        arguments["type"] = type
        var config = try ConfigResolver()
            .withArgs(arguments)
            .withEnv()
            .withConfigDir(options["config_dir"] ?? ".", mustExist: options["config_dir"] != nil)
        config.logger = logger
        for warning in config.warnings { logger.warning(warning) }
        logger.debug(config.description)
        let client = try Client(config: config, registry: registry, logger: logger)
        let name = options["name"]
        let content = options["content"]
        let identifier = options["identifier"]
        switch action {
        case "list":
            let records = try await client.listRecords(type: recordType, name: name, content: content)
            return OutputFormatter.list(records, format: format)
        case "create":
            guard let content else { throw LexiconError(.usage, "create needs --content.") }
            let result = try await client.createRecord(
                type: recordType!, name: name, content: content, ttl: ttl, priority: priority)
            return OutputFormatter.boolean(result, format: format)
        case "update":
            let result = try await client.updateRecord(
                identifier: identifier, type: recordType!, name: name, content: content, ttl: ttl, priority: priority)
            return OutputFormatter.boolean(result, format: format)
        default:
            let result = try await client.deleteRecord(
                identifier: identifier, type: recordType, name: name, content: content)
            return OutputFormatter.boolean(result, format: format)
        }
    }
}
