import Lexicon

/// Records as the Chinese clouds hold them, DNSPod (Tencent Cloud's API 3.0, `qcloud`, and the legacy dnsapi.cn,
/// `dnspod`) and Alibaba Cloud DNS (`aliyun`) alike: a host relative to the zone (`@` for the apex), the type, the
/// value (targets without their final dot, SRV as `PRIORITY WEIGHT PORT TARGET`), the TTL, and the MX priority apart.
enum HostValueFields {
    /// DNSPod's default line, which every record this package writes there is on.
    static let dnspodDefaultLine = "默认"
    /// The shortest TTL of DNSPod's free plan and of Alibaba's free edition; shorter ones are raised to it.
    static let minimumTTL = 600
    /// The record types the three APIs take.
    static let recordTypes: [RecordType] = [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt]

    /// The record a listed entry describes.
    /// - Parameters:
    ///   - context: The zone, for absolute names.
    ///   - name: The host relative to the zone.
    ///   - type: The type as listed.
    ///   - value: The value as listed.
    ///   - ttl: The TTL, if listed.
    ///   - mx: The MX priority, if listed.
    static func record(
        _ context: ProviderContext, name: String, type: String, value: String, ttl: Int?, mx: Int?
    ) -> Record {
        let type = RecordType(rawValue: type.uppercased())
        var content = value
        let fields = value.split(separator: " ")
        switch type {
        case .cname, .ns, .mx:
            content = RecordPresentation.bare(Substring(value))
        case .srv where fields.count == 4:
            content = SRVFields.join(priority: Int(fields[0]) ?? 0, fields.dropFirst().joined(separator: " "))
        default:
            break
        }
        return Record(
            type: type, name: context.absoluteName(name.lowercased()), ttl: ttl ?? minimumTTL, content: content,
            priority: type == .mx ? mx ?? 0 : nil)
    }

    /// What a create or an update sends: the relative host, the value, the TTL raised to the minimum, and the MX
    /// priority for MX records.
    /// - Throws: ``LexiconError`` `invalidInput` for SRV content that is not four fields.
    static func fields(_ context: ProviderContext, _ record: Record) throws -> (
        host: String, value: String, ttl: Int, mx: Int?
    ) {
        var value = record.content
        switch record.type {
        case .cname, .ns, .mx:
            value = RecordPresentation.bare(Substring(record.content))
        case .srv:
            let (priority, rest) = try SRVFields.split(record.content)
            value = SRVFields.join(priority: priority, rest)
        default:
            break
        }
        return (
            context.relativeName(record.name), value, max(record.ttl, minimumTTL),
            record.type == .mx ? record.priority ?? 10 : nil
        )
    }
}
