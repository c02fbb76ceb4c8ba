import Lexicon
import LexiconProviders
import LexiconYAML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A zone as `export` writes it and `apply` reads it: a BIND zone file, or the contract's records in JSON or YAML.
enum ZoneDocument {
    /// The formats.
    enum Format: String, CaseIterable {
        case bind, json, yaml

        /// Parses `--format`.
        static func parse(_ text: String?) throws -> Format? {
            guard let text else { return nil }
            guard let format = Format(rawValue: text.lowercased()) else {
                throw LexiconError(.usage, "unknown --format \"\(text)\"; use bind, json or yaml.")
            }
            return format
        }

        /// The format of a document, from its first significant line: `[`/`{` JSON, `- `/`---` YAML, else a zone file.
        static func guess(_ text: String) -> Format {
            // Line by line up to the first significant one (splitting a 1,000-record file whole cost a millisecond).
            var rest = Substring(text)
            while !rest.isEmpty {
                let end = rest.firstIndex(where: \.isNewline) ?? rest.endIndex
                let first = rest[..<end].drop { $0 == " " || $0 == "\t" }
                rest = end == rest.endIndex ? "" : rest[rest.index(after: end)...]
                guard !first.isEmpty, !first.hasPrefix("#"), !first.hasPrefix(";") else { continue }
                if first.hasPrefix("[") || first.hasPrefix("{") { return .json }
                if first.hasPrefix("- ") || first == "-" || first.hasPrefix("---") { return .yaml }
                return .bind
            }
            return .bind
        }
    }

    /// The records in a format.
    /// - Parameters:
    ///   - records: The zone's records.
    ///   - zone: The zone name.
    ///   - format: The format.
    static func render(_ records: [Record], zone: String, format: Format) -> String {
        let sorted = ZoneSnapshot(zone: zone, records: records).records
        switch format {
        case .json:
            return OutputFormatter.json(sorted)
        case .yaml:
            return sorted.map { record in
                var lines = [
                    "- type: \(OutputFormatter.quote(record.type.rawValue))",
                    "  name: \(OutputFormatter.quote(record.name))", "  ttl: \(record.ttl)",
                    "  content: \(OutputFormatter.quote(record.content))",
                ]
                if let priority = record.priority { lines += ["  options:", "    mx:", "      priority: \(priority)"] }
                return lines.joined(separator: "\n")
            }
            .joined(separator: "\n")
        case .bind:
            return zoneFile(sorted, zone: zone)
        }
    }

    /// A zone file `named-checkzone` accepts: the SOA first (one made up when the provider lists none, as most
    /// APIs do), owner names relative to `$ORIGIN`.
    static func zoneFile(_ records: [Record], zone: String) -> String {
        let names = try? NameNormalizer(zone: zone)
        func owner(_ name: String) -> String {
            names?.contains(name) == true ? names!.relative(name) : RecordPresentation.fqdn(name)
        }
        var lines = ["$ORIGIN \(RecordPresentation.fqdn(zone))"]
        let soa = records.filter { $0.type == .soa && $0.name == zone }
        if soa.isEmpty {
            let primary = records.first { $0.type == .ns && $0.name == zone }.map(\.content) ?? "ns1.\(zone)"
            lines.append("; the provider lists no SOA: this one is made up so that the file loads")
            lines.append(
                "@ 3600 IN SOA \(RecordPresentation.fqdn(primary)) hostmaster.\(RecordPresentation.fqdn(zone)) "
                    + "1 7200 3600 1209600 3600")
        }
        for record in soa + records.filter({ !($0.type == .soa && $0.name == zone) }) {
            var rdata = RecordPresentation.rdata(of: record)
            if record.type == .soa {
                // The contract's SOA names have no trailing dot; in a zone file they would be relative.
                var fields = rdata.split(separator: " ").map(String.init)
                for index in fields.indices.prefix(2) { fields[index] = RecordPresentation.fqdn(fields[index]) }
                rdata = fields.joined(separator: " ")
            }
            lines.append("\(owner(record.name)) \(record.ttl) IN \(record.type.rawValue) \(rdata)")
        }
        return lines.joined(separator: "\n")
    }

    /// One record of the JSON or YAML export.
    struct Item: Decodable {
        struct Options: Decodable {
            struct MX: Decodable { var priority: Int? }
            var mx: MX?
        }
        var type: String
        var name: String
        var ttl: Int?
        var content: String
        var options: Options?
    }

    /// The desired state in a document.
    /// - Parameters:
    ///   - text: The document.
    ///   - path: Where it came from, for messages (`-` for standard input).
    ///   - format: Its format; nil to guess.
    ///   - client: The client of the target zone (its zone and default TTL; names made absolute in its zone).
    ///   - registry: Where the zone-file reader (localzone) comes from.
    static func read(
        _ text: String, path: String, format: Format?, client: Client, registry: ProviderRegistry,
        logger: LexiconLogger
    ) async throws -> ZoneSnapshot {
        let shown = path == "-" ? "standard input" : path
        switch format ?? Format.guess(text) {
        case .bind:
            return try await zoneFile(text, path: path, zone: client.zone, registry: registry, logger: logger)
        case .json:
            let items: [Item]
            do {
                items = try Self.items(JSONValue(parsing: text))
            } catch {
                throw LexiconError.invalidInput("\(shown) is not the JSON of `export`: \(error)")
            }
            return try snapshot(items, zone: client.zone, names: client.names)
        case .yaml:
            let items: [Item]
            do {
                items = try YAMLDecoder(unknownKeys: .ignore).decode([Item].self, from: text, file: shown)
            } catch {
                throw LexiconError.invalidInput("\(error)")
            }
            return try snapshot(items, zone: client.zone, names: client.names)
        }
    }

    static func items(_ json: JSONValue) throws -> [Item] {
        guard let array = json.array else { throw LexiconError.invalidInput("a list of records is expected") }
        return try array.enumerated().map { index, value in
            guard let type = value["type"]?.string, let name = value["name"]?.string,
                let content = value["content"]?.string
            else {
                throw LexiconError.invalidInput("record \(index + 1) lacks a type, name or content string")
            }
            return Item(
                type: type, name: name, ttl: value["ttl"]?.int, content: content,
                options: value["options"]?["mx"]?["priority"]?.int.map { .init(mx: .init(priority: $0)) })
        }
    }

    static func snapshot(_ items: [Item], zone: String, names: NameNormalizer) throws -> ZoneSnapshot {
        let records = try items.map { item in
            Record(
                type: try RecordType.parse(item.type), name: try names.absolute(item.name), ttl: item.ttl ?? 3600,
                content: item.content, priority: item.options?.mx?.priority)
        }
        return ZoneSnapshot(zone: zone, records: records)
    }

    /// A zone file read by localzone's reader (the one `named-checkzone` agrees with), from a copy when it comes
    /// from standard input.
    static func zoneFile(
        _ text: String, path: String, zone: String, registry: ProviderRegistry, logger: LexiconLogger
    ) async throws -> ZoneSnapshot {
        var file = path
        var directory: String?
        if path == "-" {
            var template = Array("/tmp/lexicon-apply-XXXXXX".utf8CString)
            guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
                throw LexiconError(.config, "cannot create a temporary directory for the zone file read from stdin.")
            }
            let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            directory = temporary
            file = temporary + "/stdin.zone"
            try FileIO.writeAtomically(file, Array(text.utf8), mode: 0o600)
        }
        defer {
            if let directory {
                for name in (try? FileIO.list(directory)) ?? [] { unlink(directory + "/" + name) }
                rmdir(directory)
            }
        }
        let config = ConfigResolver().withDict([
            "provider_name": "localzone", "domain": .value(zone), "zone": .value(zone),
            "localzone": ["filename": .value(file)],
        ])
        let reader = try Client(config: config, registry: registry, logger: logger)
        return ZoneSnapshot(zone: zone, records: try await reader.listRecords())
    }
}
