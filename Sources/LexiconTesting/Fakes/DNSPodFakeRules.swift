import Lexicon

/// A record as DNSPod stores it, for the fakes of both its APIs (Tencent Cloud API 3.0 and the legacy dnsapi.cn).
public struct DNSPodStoredRecord: Sendable, Equatable, Identifiable {
    public var id: Int
    /// Relative to the domain; `@` for the apex.
    public var name: String
    public var type: String
    public var value: String
    public var ttl: Int
    /// The MX priority; 0 for other types.
    public var mx: Int
    public var line: String
}

/// What DNSPod refuses in a record, whichever API wrote it; each fake answers with its own API's code.
public enum DNSPodProblem: Sendable, Equatable {
    case badType, badName, badValue, badTTL, badMX, badLine, duplicate, cnameConflict
}

/// DNSPod's checks of a record, for both fakes.
public enum DNSPodFakeRules {
    /// The types the fakes accept.
    public static let types = ["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA"]
    /// The free plan's TTL range.
    public static let ttlRange = 600...604800
    /// The MX priorities DNSPod accepts.
    public static let mxRange = 1...20
    /// The default line, in its Chinese name.
    public static let defaultLine = "默认"

    /// Why DNSPod refuses `record` beside `others` (the domain's other records), or nil.
    public static func problem(_ record: DNSPodStoredRecord, others: [DNSPodStoredRecord]) -> DNSPodProblem? {
        guard types.contains(record.type) else { return .badType }
        guard record.line == defaultLine else { return .badLine }
        guard
            record.name == "@"
                || (!record.name.hasSuffix(".") && !record.name.contains(" ")
                    && !record.name.isEmpty && record.name.allSatisfy(\.isASCII))
        else { return .badName }
        guard ttlRange.contains(record.ttl) else { return .badTTL }
        if record.type == "MX", !mxRange.contains(record.mx) { return .badMX }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.value):
            return .badValue
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.value)) == nil:
            return .badValue
        case "SRV" where record.value.split(separator: " ").count != 4:
            return .badValue
        case _ where record.value.isEmpty:
            return .badValue
        default:
            break
        }
        let same = others.filter { $0.id != record.id && $0.name == record.name }
        if same.contains(where: { $0.type == record.type && $0.value == record.value }) { return .duplicate }
        if FakeRules.cnameConflict(record.type, with: same.map(\.type)) { return .cnameConflict }
        return nil
    }
}
