/// A DNS message (RFC 1035 §4) with its four sections. EDNS0's OPT record and a TSIG record stay in
/// ``additional`` as read; ``edns`` and ``tsig`` find them.
public struct DNSMessage: Sendable, Equatable {
    /// A question.
    public struct Question: Sendable, Hashable {
        /// The name asked about.
        public var name: DNSName
        /// The type asked for.
        public var type: DNSType
        /// The class (1 for IN; 255 ANY; 254 NONE).
        public var dnsClass: UInt16

        /// Creates a question.
        public init(name: DNSName, type: DNSType, dnsClass: UInt16 = DNSClass.internet) {
            self.name = name
            self.type = type
            self.dnsClass = dnsClass
        }
    }

    /// The message id.
    public var id: UInt16
    /// Whether this is a response.
    public var isResponse = false
    /// The opcode (0 QUERY, 4 NOTIFY, 5 UPDATE).
    public var opcode: UInt8 = 0
    /// Authoritative answer.
    public var isAuthoritative = false
    /// Truncated: the answer did not fit (retry over TCP).
    public var isTruncated = false
    /// Recursion desired.
    public var recursionDesired = false
    /// Recursion available.
    public var recursionAvailable = false
    /// The response code (the low 4 bits; EDNS extends it).
    public var rcode: UInt8 = 0
    /// Questions (the zone section in an UPDATE).
    public var questions: [Question] = []
    /// Answers (prerequisites in an UPDATE).
    public var answers: [DNSResourceRecord] = []
    /// Authority records (the update section in an UPDATE).
    public var authority: [DNSResourceRecord] = []
    /// Additional records (OPT and TSIG live here).
    public var additional: [DNSResourceRecord] = []

    /// Opcode of a standard query.
    public static let query: UInt8 = 0
    /// Opcode of a dynamic update (RFC 2136).
    public static let update: UInt8 = 5

    /// Creates a message.
    public init(id: UInt16, opcode: UInt8 = DNSMessage.query) {
        self.id = id
        self.opcode = opcode
    }

    /// A query for one name and type, with EDNS0 advertising a 1232-byte UDP payload.
    public static func query(_ name: DNSName, _ type: DNSType, id: UInt16 = .random(in: 0...UInt16.max)) -> DNSMessage {
        var message = DNSMessage(id: id)
        message.questions = [Question(name: name, type: type)]
        message.additional = [DNSResourceRecord(name: .root, type: .opt, dnsClass: 1232, ttl: 0, rdata: [])]
        return message
    }

    /// The EDNS0 UDP payload size the sender advertises, or nil without OPT.
    public var ednsPayloadSize: UInt16? { additional.first { $0.type == .opt }.map { $0.dnsClass } }

    /// The TSIG record, which must be the last additional record.
    public var tsig: DNSResourceRecord? { additional.last.flatMap { $0.type == .tsig ? $0 : nil } }

    /// The response code's name (`NOERROR`, `REFUSED`, …).
    public var rcodeName: String { DNSRCode.name(rcode) }

    /// Decodes a message. Never traps: anything malformed is a ``DNSWireError``.
    /// - Parameter bytes: The message.
    public init(decoding bytes: [UInt8]) throws(DNSWireError) {
        var reader = WireReader(bytes)
        guard bytes.count >= 12 else { throw DNSWireError("a DNS message is shorter than its 12-byte header") }
        id = try reader.u16()
        let flags = try reader.u16()
        isResponse = flags & 0x8000 != 0
        opcode = UInt8(flags >> 11 & 0xF)
        isAuthoritative = flags & 0x0400 != 0
        isTruncated = flags & 0x0200 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        rcode = UInt8(flags & 0xF)
        let counts = [try reader.u16(), try reader.u16(), try reader.u16(), try reader.u16()]
        // Each record needs at least 11 bytes, each question 5: reject impossible counts before allocating.
        guard Int(counts[0]) * 5 + (Int(counts[1]) + Int(counts[2]) + Int(counts[3])) * 11 <= reader.remaining
        else { throw DNSWireError("the DNS message's section counts exceed its length") }
        for _ in 0..<counts[0] {
            let name = try reader.name()
            questions.append(
                Question(name: name, type: DNSType(rawValue: try reader.u16()), dnsClass: try reader.u16()))
        }
        for _ in 0..<counts[1] { answers.append(try DNSResourceRecord.read(from: &reader)) }
        for _ in 0..<counts[2] { authority.append(try DNSResourceRecord.read(from: &reader)) }
        for _ in 0..<counts[3] { additional.append(try DNSResourceRecord.read(from: &reader)) }
        guard reader.remaining == 0 else {
            throw DNSWireError("the DNS message has \(reader.remaining) bytes after its records")
        }
        if let opt = additional.first(where: { $0.type == .opt }) {
            rcode = UInt8(truncatingIfNeeded: UInt16(rcode) | UInt16(opt.ttl >> 24) << 4)
        }
    }

    /// Encodes the message with name compression.
    public func encoded() -> [UInt8] {
        var writer = WireWriter()
        writeHeader(to: &writer, additionalCount: additional.count)
        for question in questions {
            writer.name(question.name)
            writer.u16(question.type.rawValue)
            writer.u16(question.dnsClass)
        }
        for record in answers + authority + additional { record.write(to: &writer) }
        return writer.bytes
    }

    func writeHeader(to writer: inout WireWriter, additionalCount: Int) {
        writer.u16(id)
        var flags = UInt16(opcode & 0xF) << 11 | UInt16(rcode & 0xF)
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        writer.u16(flags)
        writer.u16(UInt16(questions.count))
        writer.u16(UInt16(answers.count))
        writer.u16(UInt16(authority.count))
        writer.u16(UInt16(additionalCount))
    }
}

/// DNS response codes (RFC 1035, 2136, 8945).
public enum DNSRCode {
    public static let noError: UInt8 = 0
    public static let formErr: UInt8 = 1
    public static let servFail: UInt8 = 2
    public static let nxDomain: UInt8 = 3
    public static let notImp: UInt8 = 4
    public static let refused: UInt8 = 5
    public static let yxDomain: UInt8 = 6
    public static let yxRRSet: UInt8 = 7
    public static let nxRRSet: UInt8 = 8
    public static let notAuth: UInt8 = 9
    public static let notZone: UInt8 = 10

    /// The mnemonic of a response code (or TSIG error: 16 BADSIG, 17 BADKEY, 18 BADTIME, 22 BADTRUNC).
    public static func name(_ code: UInt16) -> String {
        let names: [UInt16: String] = [
            0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 6: "YXDOMAIN",
            7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 16: "BADSIG", 17: "BADKEY", 18: "BADTIME",
            22: "BADTRUNC",
        ]
        return names[code] ?? "RCODE\(code)"
    }

    /// The mnemonic of a response code.
    public static func name(_ code: UInt8) -> String { name(UInt16(code)) }
}
