import Lexicon

extension ZoneFile {
    /// Type codes no record may have: OPT, the query and meta types (TKEY, TSIG, IXFR, AXFR, MAILB, MAILA, ANY and
    /// the rest of 128-255), and the reserved 0 and 65535.
    static let metaTypes: Set<UInt16> = Set([0, 41, 65_535]).union(128...255)

    /// Records why BIND would refuse to load the zone, as named-checkzone words it: a CNAME beside other data, no SOA
    /// or NS at the apex, an apex NS inside the zone without an address.
    mutating func checkAsBIND() {
        var types: [String: Set<RecordType>] = [:]
        for fileRecord in records { types[fileRecord.record.name, default: []].insert(fileRecord.record.type) }
        // DNSSEC records may stand beside a CNAME (RFC 4035 §2.5).
        let besideCNAME: Set<RecordType> = [.cname, "RRSIG", "NSEC", "KEY", "SIG", "NXT"]
        for fileRecord in records where fileRecord.record.type == .cname {
            let name = fileRecord.record.name
            if !(types[name] ?? []).subtracting(besideCNAME).isEmpty {
                problems.append("\(fileRecord.file):\(fileRecord.line): \(name): CNAME and other data")
            }
        }
        let apex = types[zone] ?? []
        if !apex.contains(.soa) {
            problems.append("\(path):1: zone \(zone): has no SOA record at its apex")
        } else if !apex.contains(.ns) {
            problems.append("\(path):1: zone \(zone): has no NS records")
        }
        for fileRecord in records where fileRecord.record.type == .ns && fileRecord.record.name == zone {
            let target = fileRecord.record.content
            guard NameNormalizer.isName(target, inside: zone) else { continue }
            let targetTypes = types[target] ?? []
            if !targetTypes.contains(.a) && !targetTypes.contains(.aaaa) {
                problems.append(
                    "\(fileRecord.file):\(fileRecord.line): NS '\(target)' has no address records (A or AAAA)")
            }
        }
    }
}
