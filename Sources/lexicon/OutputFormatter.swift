import Lexicon

/// dns-lexicon's four output formats, byte for byte.
enum OutputFormat: String, CaseIterable {
    case table = "TABLE"
    case tableNoHeader = "TABLE-NO-HEADER"
    case json = "JSON"
    case quiet = "QUIET"

    /// Parses a format name in any case.
    static func parse(_ text: String?) throws -> OutputFormat {
        guard let text else { return .table }
        guard let format = OutputFormat(rawValue: text.uppercased()) else {
            throw LexiconError(.usage, "unknown output format \"\(text)\"; use TABLE, TABLE-NO-HEADER, JSON or QUIET.")
        }
        return format
    }
}

/// Renders results as dns-lexicon does (`handle_output`).
enum OutputFormatter {
    /// The text for a list result, or nil when nothing is printed. The text has no final line feed.
    static func list(_ records: [Record], format: OutputFormat) -> String? {
        switch format {
        case .quiet: return nil
        case .json: return json(records)
        case .table, .tableNoHeader:
            var rows = records.map { record in
                // Cells are shown, never obeyed: control characters from the server are escaped (JSON keeps values).
                [record.id, record.type.rawValue, IDNA.toUnicode(record.name), record.content, String(record.ttl)]
                    .map { TerminalText.escaped($0) }
            }
            if format == .table { rows.insert(["ID", "TYPE", "NAME", "CONTENT", "TTL"], at: 0) }
            var widths = [0, 0, 0, 0, 0]
            for row in rows {
                for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.unicodeScalars.count) }
            }
            if format == .table { rows.insert(widths.map { String(repeating: "-", count: $0) }, at: 1) }
            let lines = rows.map { row in
                row.enumerated().map { index, cell in
                    cell + String(repeating: " ", count: widths[index] - cell.unicodeScalars.count)
                }.joined(separator: " ")
            }
            let table = lines.joined(separator: "\n")
            return table.isEmpty ? nil : table
        }
    }

    /// The text for a create/update/delete result.
    static func boolean(_ value: Bool, format: OutputFormat) -> String? {
        let text = value ? "True" : "False"
        switch format {
        case .quiet: return nil
        case .json: return value ? "true" : "false"
        case .tableNoHeader: return text
        case .table: return ["RESULT", String(repeating: "-", count: max(6, text.count)), text].joined(separator: "\n")
        }
    }

    /// Records as Python's `json.dumps` writes them (`", "` and `": "` separators, ASCII-only escapes), keys in the
    /// order most of dns-lexicon's providers build them: type, name, ttl, content, id, then options.
    static func json(_ records: [Record]) -> String {
        let items = records.map { record -> String in
            var fields = [
                "\"type\": \(quote(record.type.rawValue))", "\"name\": \(quote(record.name))", "\"ttl\": \(record.ttl)",
                "\"content\": \(quote(record.content))", "\"id\": \(quote(record.id))",
            ]
            if let priority = record.priority { fields.append("\"options\": {\"mx\": {\"priority\": \(priority)}}") }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    /// A JSON string literal with Python's `ensure_ascii` escaping.
    static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let value = scalar.value - 0x10000
                        output += hex4(0xD800 + (value >> 10)) + hex4(0xDC00 + (value & 0x3FF))
                    } else {
                        output += hex4(scalar.value)
                    }
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
