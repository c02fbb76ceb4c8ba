/// Random zone files from a seed: valid ones with the constructs BIND reads (names with escapes, omitted owners, TTL
/// forms, classes, `$ORIGIN`, `$TTL`, `$INCLUDE`, parentheses, comments, generic data), and invalid ones, each a valid
/// file with one fault BIND refuses.
struct ZoneFileGenerator {
    typealias Case = LocalZoneDifferentialTests.Case

    /// SplitMix64: small, seedable, the same sequence everywhere.
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    private mutating func number(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    private mutating func chance(_ percent: Int) -> Bool { number(0...99) < percent }

    private mutating func pick<T>(_ items: [T]) -> T { items[number(0...(items.count - 1))] }

    private mutating func label() -> String {
        let plain = pick(["www", "mail", "host", "a", "b1", "_sip._tcp", "x-y", "Mixed", "deep.er", "_acme-challenge"])
        switch number(0...9) {
        case 0: return plain + "\\065"
        case 1: return "\\" + pick(["."]) + plain
        case 2: return plain + "\\200"
        default: return plain + (chance(30) ? String(number(0...9)) : "")
        }
    }

    private mutating func ttl() -> String {
        pick(["60", "300", "3600", "1h", "30m", "1h30m", "2d", "1W", "86400", "0"])
    }

    private mutating func text() -> String {
        let words = [
            "hello", "v=spf1 -all", "a;b", "quote\\\"d", "back\\\\slash", "\\065\\066", "(paren)", "caf\\195\\169",
        ]
        return (0..<number(1...3)).map { _ in "\"" + pick(words) + "\"" }.joined(separator: " ")
    }

    /// RDATA of a type whose names are relative or absolute at random.
    private mutating func record(_ zone: String) -> String {
        let target = pick(["target", "t.sub", "elsewhere.example.net.", "@", "."])
        let outside = pick(["mail.example.net.", "sip.example.org."])
        switch number(0...17) {
        case 0: return "A 192.0.2.\(number(1...254))"
        case 1: return "AAAA 2001:db8::\(String(number(1...65_535), radix: 16))"
        case 2: return "MX \(number(0...20)) \(outside)"
        case 3: return "TXT \(text())"
        case 4: return "SRV \(number(0...9)) \(number(0...9)) \(number(1...65_535)) \(outside)"
        case 5: return "CAA 0 issue \"ca.example.net\""
        case 6: return "PTR \(target)"
        case 7: return "NAPTR 100 10 \"S\" \"SIP+D2U\" \"\" \(target == "@" ? "_sip._udp" : target)"
        case 8: return "RP \(target) \(pick(["info", "."]))"
        case 9: return "KX 10 \(target)"
        case 10: return "AFSDB 1 \(target)"
        case 11: return "HTTPS 1 \(target) alpn=h2"
        case 12: return "URI 10 1 \"https://example.net/\""
        case 13: return "HINFO \"PC\" \"Linux\""
        case 14: return "TYPE65000 \\# 3 abcdef"
        case 15: return "A \\# 4 c0000201"
        case 16: return "TYPE1 192.0.2.7"
        default: return "TXT ( \"multi\"\n    \"line\" ) ; comment"
        }
    }

    /// A zone file BIND loads.
    mutating func validFile() -> Case {
        let zone = pick(["example.com", "lan", "sub.example.org", "2.0.192.in-addr.arpa", "home.arpa", "test"])
        var lines: [String] = []
        var includes: [String: String] = [:]
        if chance(50) { lines.append("$ORIGIN \(zone).") }
        let soaData = "ns hostmaster \(number(1...4_000_000_000)) 7200 3600 1209600 \(number(60...3600))"
        let soa =
            chance(30)
            ? "( \(soaData.split(separator: " ").prefix(3).joined(separator: " ")) ; serial\n  "
                + soaData.split(separator: " ").dropFirst(3).joined(separator: " ") + " )" : soaData
        let soaOwner = lines.isEmpty && chance(30) ? "\(zone)." : "@"
        switch number(0...2) {
        case 0: lines += ["$TTL \(ttl())", "\(soaOwner) IN SOA \(soa)"]
        case 1: lines.append("\(soaOwner) \(ttl()) SOA \(soa)")
        default: lines.append("\(soaOwner) SOA \(soa)")
        }
        lines += ["  NS ns", "ns A 192.0.2.53", "target A 192.0.2.54", "t.sub AAAA 2001:db8::54"]
        var canInherit = true
        for index in 0..<number(4...18) {
            var owner = chance(25) && canInherit ? "" : pick([label(), label() + ".\(zone).", "@", "cn\(index)"])
            if owner.hasPrefix("cn") {
                lines.append("\(owner) CNAME \(pick(["target", "elsewhere.example.net."]))")
                canInherit = false
                continue
            }
            if owner.isEmpty { owner = " " }
            var fields = [owner]
            switch number(0...3) {
            case 0: fields.append(ttl())
            case 1: fields += [ttl(), "IN"]
            case 2: fields += ["IN", ttl()]
            default: break
            }
            fields.append(record(zone))
            lines.append(fields.joined(separator: " ") + (chance(20) ? " ; note" : ""))
            canInherit = true
            switch number(0...19) {
            case 0: lines.append("$TTL \(ttl())")
            case 1:
                lines.append(
                    "$GENERATE \(number(0...3))-\(number(4...9)) gen\(index)-$ \(pick(["", "60 "]))A 192.0.2.$")
            case 2: lines += ["; a comment line", ""]
            case 3:
                let name = "inc\(index).db"
                includes[name] =
                    (chance(50) ? "$TTL \(ttl())\n" : "") + "inc\(index) \(ttl()) A 192.0.2.\(index + 1)\n"
                    + "  TXT \"included\"\n"
                lines.append("$INCLUDE {DIR}\(name)" + (chance(50) ? " sub.\(zone)." : ""))
                canInherit = false
            default: break
            }
        }
        return Case(zone: zone, text: lines.joined(separator: "\n") + "\n", includes: includes)
    }

    /// A valid file with one fault that makes BIND refuse it.
    mutating func invalidFile() -> Case {
        var zoneCase = validFile()
        let fault = pick([
            "cnx CNAME target\ncnx A 192.0.2.1", "bad A 256.1.1.1", "bad FOOBAR 1", "bad 300 TKEY \\# 0",
            "bad A ( 192.0.2.1", "bad\\999 A 192.0.2.1", "bad 300 MX mail", "bad TXT \"open",
        ])
        if chance(20) {
            zoneCase.text = zoneCase.text.replacingOccurrences(of: "  NS ns\n", with: "")
        } else {
            zoneCase.text += fault + "\n"
        }
        zoneCase.valid = false
        return zoneCase
    }
}
