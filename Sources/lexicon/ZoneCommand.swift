import Lexicon

/// `export`, `apply` and `batch`: a zone as a whole from the command line.
struct ZoneCommand {
    let registry: ProviderRegistry
    let logger: LexiconLogger
    let provider: String
    let action: String
    let domain: String
    let options: [String: String]

    /// Runs the command; returns the exit status (batch: the worst of its lines).
    func run(write: (String) -> Void) async throws -> Int32 {
        let client = try await CommandClient.make(
            registry: registry, logger: logger, provider: provider, domain: domain, options: options,
            extra: ["action": action])
        switch action {
        case "export":
            let format = try ZoneDocument.Format.parse(options["format"]) ?? .bind
            let records = try await client.listRecords()
            write(ZoneDocument.render(records, zone: client.zone, format: format))
            return 0
        case "apply":
            return try await apply(client, write: write)
        default:
            return await batch(client, write: write)
        }
    }

    static func isOn(_ value: String?) -> Bool {
        value.map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false
    }

    /// The plan options from the command line (`--prune`, `--force`, `--ignore`, `--threshold`, `--manage-apex-ns`).
    func planOptions() throws -> PlanOptions {
        var plan = PlanOptions(
            prune: Self.isOn(options["prune"]), manageApexNS: Self.isOn(options["manage_apex_ns"]),
            ignore: options["ignore"]?.split(separator: ",").map(String.init) ?? [], force: Self.isOn(options["force"]))
        if let text = options["threshold"] {
            let number = Double(text.hasSuffix("%") ? String(text.dropLast()) : text)
            guard let number, number >= 0, number <= 100 else {
                throw LexiconError(.usage, "--threshold takes a percentage from 0 to 100 (25 or 25%), not \"\(text)\".")
            }
            plan.threshold = number / 100
        }
        return plan
    }

    private func apply(_ client: Client, write: (String) -> Void) async throws -> Int32 {
        guard let path = options["file"] else {
            throw LexiconError(.usage, "apply needs --file FILE (or --file - for standard input).")
        }
        let format = try ZoneDocument.Format.parse(options["format"])
        let json = try OutputFormat.parse(options["output"]) == .json
        let planOnly = Self.isOn(options["plan"]) || Self.isOn(options["dry_run"])
        let planOptions = try planOptions()
        // The live zone is read while the file is parsed.
        async let live = client.snapshot()
        let text: String
        if path == "-" {
            var lines: [String] = []
            while let line = readLine(strippingNewline: false) { lines.append(line) }
            text = lines.joined()
        } else {
            text = String(decoding: try FileIO.read(path), as: UTF8.self)
        }
        let desired = try await ZoneDocument.read(
            text, path: path, format: format, client: client, registry: registry, logger: logger)
        let plan = try await client.plan(desired: desired, live: live, options: planOptions)
        if planOnly || plan.isEmpty {
            write(json ? plan.json.text : plan.text)
            if let exceeded = plan.thresholdExceeded, !planOptions.force {
                logger.warning("applying this plan needs --force: \(exceeded).")
            }
            return 0
        }
        if !json { write(plan.text) }
        let result: ApplyResult
        do {
            result = try await client.apply(plan)
        } catch let error as LexiconError {
            if json { write(plan.json.text) }
            throw error
        }
        if json {
            guard case .object(var fields) = plan.json else { return 1 }
            fields.append(("applied", .bool(result.isComplete)))
            fields.append(
                (
                    "not_applied",
                    .array(
                        result.outcomes.compactMap { outcome in
                            if case .applied = outcome.status { return nil }
                            var error: JSONValue = .null
                            if case .failed(let failure) = outcome.status { error = .string(failure.description) }
                            return .object([
                                ("action", .string(outcome.change.action.rawValue)),
                                ("name", .string(outcome.change.key.name)),
                                ("type", .string(outcome.change.key.type.rawValue)), ("error", error),
                            ])
                        })
                ))
            write(JSONValue.object(fields).text)
        } else {
            write(result.summary)
        }
        if let error = result.firstError {
            logger.sink("lexicon: \(TerminalText.escaped(error.commandLineDescription))")
            return error.code.exitStatus
        }
        return result.isComplete ? 0 : 1
    }

    /// One JSON object a line on standard input, one result line each, in order.
    private func batch(_ client: Client, write: (String) -> Void) async -> Int32 {
        var worst: Int32 = 0
        while let line = readLine() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            do {
                write(try await batchLine(line, client))
            } catch let error as LexiconError {
                worst = max(worst, error.code.exitStatus)
                write(
                    JSONValue.object([
                        ("error", .string(error.description)), ("status", .int(Int(error.code.exitStatus))),
                    ]).text)
            } catch {
                worst = max(worst, 1)
                write(JSONValue.object([("error", .string("\(error)")), ("status", .int(1))]).text)
            }
        }
        return worst
    }

    private func batchLine(_ line: String, _ client: Client) async throws -> String {
        let object: JSONValue
        do {
            object = try JSONValue(parsing: line)
        } catch {
            throw LexiconError.invalidInput("the line is not JSON: \(error)")
        }
        guard case .object = object, let action = object["action"]?.string else {
            throw LexiconError.invalidInput("each line is a JSON object with an \"action\".")
        }
        func text(_ key: String) throws -> String? {
            guard let value = object[key], value != .null else { return nil }
            if let string = value.string { return string }
            if let number = value.int { return String(number) }
            throw LexiconError.invalidInput("\"\(key)\" must be a string.")
        }
        let type = try text("type")
        let recordType = try type.map(RecordType.parse)
        let ttl = try text("ttl").map(RecordContent.ttl)
        let priority = try text("priority").map { text -> Int in
            guard let value = Int(text), (0...65_535).contains(value) else {
                throw LexiconError.invalidInput("the priority \"\(text)\" is not a number from 0 to 65535.")
            }
            return value
        }
        let (name, content, identifier) = (try text("name"), try text("content"), try text("identifier"))
        switch action {
        case "list":
            return OutputFormatter.json(try await client.listRecords(type: recordType, name: name, content: content))
        case "create", "update":
            guard let recordType else { throw LexiconError.invalidInput("\(action) needs a \"type\".") }
            if action == "create" {
                guard let content else { throw LexiconError.invalidInput("create needs \"content\".") }
                let done = try await client.createRecord(
                    type: recordType, name: name, content: content, ttl: ttl, priority: priority)
                return done ? "true" : "false"
            }
            let done = try await client.updateRecord(
                identifier: identifier, type: recordType, name: name, content: content, ttl: ttl, priority: priority)
            return done ? "true" : "false"
        case "delete":
            let done = try await client.deleteRecord(
                identifier: identifier, type: recordType, name: name, content: content)
            return done ? "true" : "false"
        default:
            throw LexiconError.invalidInput("unknown action \"\(action)\"; use create, list, update or delete.")
        }
    }
}
