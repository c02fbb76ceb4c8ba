/// A plan shown to people (text) and to programs (JSON).
extension ZonePlan {
    /// The plan as lines of text, one block per change:
    /// ```
    /// + www.example.com A 3600 192.0.2.1
    /// ~ mail.example.com MX 3600 10 mx1.example.com. -> 3600 10 mx2.example.com.
    /// - old.example.com TXT 300 "gone"
    /// ```
    public var text: String {
        var lines: [String] = []
        for change in changes {
            let key = change.key
            switch change.action {
            case .create:
                lines.append("+ \(key) \(Self.shown(change.new!))")
            case .delete:
                lines.append("- \(key) \(Self.shown(change.old!))")
            case .update:
                lines.append("~ \(key) \(Self.shown(change.old!)) -> \(Self.shown(change.new!))")
            }
        }
        lines.append("Plan for \(zone): \(summary).")
        return lines.joined(separator: "\n")
    }

    /// The plan as JSON: `{"zone", "changes": [{"action", "name", "type", "old", "new"}], "summary", "refused"}`;
    /// `old` and `new` are `{"ttl", "values": [...]}` in presentation format, or null.
    public var json: JSONValue {
        func set(_ set: ZoneRecordSet?) -> JSONValue {
            guard let set else { return .null }
            return .object([
                ("ttl", .number(String(set.ttl))), ("values", .array(set.presentedValues.map(JSONValue.string))),
            ])
        }
        let items: [JSONValue] = changes.map { change in
            .object([
                ("action", .string(change.action.rawValue)), ("name", .string(change.key.name)),
                ("type", .string(change.key.type.rawValue)), ("old", set(change.old)), ("new", set(change.new)),
            ])
        }
        return .object([
            ("zone", .string(zone)), ("changes", .array(items)),
            ("summary", .object(Action.allCases.map { ($0.rawValue, .number(String(count($0)))) })),
            ("threshold_exceeded", thresholdExceeded.map(JSONValue.string) ?? .null),
        ])
    }

    private static func shown(_ set: ZoneRecordSet) -> String {
        "\(set.ttl) " + set.presentedValues.joined(separator: " | ")
    }
}
