/// Record content in presentation format (zone files, PowerDNS's API, RFC 2136 tools): TXT quoted and escaped,
/// names with their trailing dot, MX with its priority in front. The record contract's content is the unescaped,
/// dotless form; this is the one place that converts between the two.
public enum RecordPresentation {
    /// The presentation-format RDATA of a record.
    /// - Parameter record: A record in the contract's form.
    /// - Returns: For example `"v=spf1 -all"`, `mail.example.com.` or `10 mail.example.com.`.
    public static func rdata(of record: Record) -> String {
        switch record.type {
        case .txt, "SPF":
            return TXTPresentation.encode(record.content)
        case .cname, .ns, .ptr, "DNAME":
            return fqdn(record.content)
        case .mx:
            return "\(record.priority ?? 0) \(fqdn(record.content))"
        case .srv:
            var fields = record.content.split(separator: " ").map(String.init)
            if fields.count == 4 { fields[3] = fqdn(fields[3]) }
            return fields.joined(separator: " ")
        default:
            return record.content
        }
    }

    /// The contract's content (and MX priority) of presentation-format RDATA.
    /// - Parameters:
    ///   - text: RDATA as a server or zone file gives it.
    ///   - type: The record's type.
    /// - Returns: The content, and the priority for MX.
    public static func content(of text: String, type: RecordType) -> (content: String, priority: Int?) {
        switch type {
        case .txt, "SPF":
            return (TXTPresentation.decode(text) ?? text, nil)
        case .cname, .ns, .ptr, "DNAME":
            return (bare(Substring(text)), nil)
        case .mx:
            let fields = text.split(separator: " ")
            guard fields.count == 2, let priority = Int(fields[0]) else { return (text, nil) }
            return (bare(fields[1]), priority)
        case .srv:
            var fields = text.split(separator: " ").map(String.init)
            if fields.count == 4 { fields[3] = bare(Substring(fields[3])) }
            return (fields.joined(separator: " "), nil)
        default:
            return (text, nil)
        }
    }

    /// A name with its trailing dot (the root stays `.`).
    public static func fqdn(_ name: String) -> String { name == "." || name.hasSuffix(".") ? name : name + "." }

    /// A name in lower case without its trailing dot (the root stays `.`).
    public static func bare(_ name: Substring) -> String {
        let lower = name.lowercased()
        return lower == "." ? "." : String(lower.dropLast(lower.hasSuffix(".") ? 1 : 0))
    }
}
