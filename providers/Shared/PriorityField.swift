import Lexicon

/// Values as the APIs hold them that keep the priority of MX and SRV in a field of their own and targets without
/// their final dot (Vultr, Porkbun, Name.com, INWX, Exoscale): the contract's content and priority to the API's
/// value and priority, and back.
enum PriorityField {
    /// The types whose whole value is one domain name, held without its final dot.
    static let targetTypes: Set<RecordType> = [.cname, .ns, .ptr, "ANAME", "ALIAS", "DNAME"]

    /// The API's value and priority of a record: targets bare, SRV as `WEIGHT PORT TARGET` with its priority
    /// apart, the MX priority (0 when missing); nil priority for other types.
    /// - Throws: ``LexiconError`` `invalidInput` for SRV content that is not four fields.
    static func split(_ record: Record) throws -> (value: String, priority: Int?) {
        switch record.type {
        case .mx:
            return (RecordPresentation.bare(Substring(record.content)), record.priority ?? 0)
        case .srv:
            let (priority, value) = try SRVFields.split(record.content)
            return (value, priority)
        case let type where targetTypes.contains(type):
            return (RecordPresentation.bare(Substring(record.content)), nil)
        default:
            return (record.content, nil)
        }
    }

    /// The contract's content and priority (MX only) of an API's value and priority field.
    static func join(type: RecordType, value: String, priority: Int) -> (content: String, priority: Int?) {
        switch type {
        case .mx: return (RecordPresentation.bare(Substring(value)), priority)
        case .srv: return (SRVFields.join(priority: priority, value), nil)
        case let type where targetTypes.contains(type): return (RecordPresentation.bare(Substring(value)), nil)
        default: return (value, nil)
        }
    }
}
