import Lexicon

/// Values as APIs hold them that keep the priority of MX and SRV in a field of its own and targets without their
/// final dot (Exoscale; Vultr and Porkbun map the same way): the contract's content and priority to the API's
/// value and priority, and back.
enum PriorityField {
    /// The API's value and priority of a record: targets bare, SRV as `WEIGHT PORT TARGET` with its priority
    /// apart, the MX priority (0 when missing); nil priority for other types.
    /// - Throws: ``LexiconError`` `invalidInput` for SRV content that is not four fields.
    static func split(_ record: Record) throws -> (value: String, priority: Int?) {
        switch record.type {
        case .cname, .ns:
            return (RecordPresentation.bare(Substring(record.content)), nil)
        case .mx:
            return (RecordPresentation.bare(Substring(record.content)), record.priority ?? 0)
        case .srv:
            let (priority, value) = try SRVFields.split(record.content)
            return (value, priority)
        default:
            return (record.content, nil)
        }
    }

    /// The contract's content and priority of an API's value and priority field.
    static func join(type: RecordType, value: String, priority: Int) -> (content: String, priority: Int?) {
        switch type {
        case .cname, .ns: return (RecordPresentation.bare(Substring(value)), nil)
        case .mx: return (RecordPresentation.bare(Substring(value)), priority)
        case .srv: return (SRVFields.join(priority: priority, value), nil)
        default: return (value, nil)
        }
    }
}
