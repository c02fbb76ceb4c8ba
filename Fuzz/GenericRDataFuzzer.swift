// libFuzzer entry point for record content: RFC 3597 `\# LENGTH HEX` and every type's content check
// (RecordContent.normalize). Every input must be accepted or refused with an error, never trap; and what is accepted
// must survive the round trips lexicon puts it through: normalising again changes nothing, the presentation form
// reads back as the same content, and the zone-file line localzone writes re-reads as the same record.
// Built and run by `scripts/fuzz generic`, which compiles this file with the Lexicon core and providers/localzone.

/// The types of the record contract; the first input byte picks one.
let types: [RecordType] = [
    .a, .aaaa, .cname, .mx, .ns, .txt, .srv, .caa, .ptr, .loc, .soa, "SPF", "DNAME", "NAPTR", "SSHFP", "TLSA",
    "SMIMEA", "DS", "CDS", "DNSKEY", "CDNSKEY", "OPENPGPKEY", "HTTPS", "SVCB", "URI", "HINFO", "RP", "AFSDB",
    "TYPE65280", "TYPE1", "NSEC", "X-UNKNOWN",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let selector = bytes.first else { return 0 }
    let type = types[Int(selector) % types.count]
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    // The generic form on its own: what parses formats and parses back to the same bytes.
    if let tokens = try? TXTPresentation.tokens(text, decodingUnquotedEscapes: false), GenericRData.isGeneric(tokens),
        let data = try? GenericRData.bytes(tokens.dropFirst())
    {
        let formatted = GenericRData.format(data)
        let again = try? GenericRData.bytes(
            (try? TXTPresentation.tokens(formatted, decodingUnquotedEscapes: false))?.dropFirst() ?? [])
        require(again == data, "\\# round trip changed the bytes: \(formatted)")
    }
    _ = RecordContent.writeRefusal(type, genericTypes: selector & 0x80 != 0)
    _ = RecordContent.comparable(text, type: type)
    let priority: Int? = selector & 0x40 != 0 ? Int(selector & 0x3f) : nil
    guard let normalized = try? RecordContent.normalize(type: type, content: text, priority: priority) else {
        return 0
    }
    // Normalising is idempotent.
    guard
        let again = try? RecordContent.normalize(type: type, content: normalized.content, priority: normalized.priority)
    else {
        fatalError("normalised \(type) content \"\(normalized.content)\" is refused when given again")
    }
    require(
        again.content == normalized.content && again.priority == normalized.priority,
        "normalising \(type) \"\(normalized.content)\" again gives \"\(again.content)\"")
    // Presentation form and back (PowerDNS, RFC 2136 and zone files speak it).
    let record = Record(
        type: type, name: "www.example.com", ttl: 300, content: normalized.content, priority: normalized.priority)
    let rdata = RecordPresentation.rdata(of: record)
    let parsed = RecordPresentation.content(of: rdata, type: type)
    require(
        parsed.content == normalized.content && (type != .mx || parsed.priority == normalized.priority ?? 0),
        "\(type) \"\(normalized.content)\" presents as \(rdata) and reads back as \"\(parsed.content)\"")
    // The line localzone writes for it re-reads as the same record (ZoneFile.verify checks this before a write).
    let line = ZoneFile.line(record, origin: "example.com")
    let zone = "$ORIGIN example.com.\n" + line + "\n"
    let reread: [Record]
    do {
        reread = try ZoneFile(path: "/nonexistent/zone.db", bytes: Array(zone.utf8), zone: "example.com").records.map(
            \.record)
    } catch {
        fatalError("the localzone line for \(type) \"\(normalized.content)\" does not parse: \(line)\n\(error)")
    }
    require(
        reread.count == 1 && reread[0].content == record.content && reread[0].priority == record.priority
            && reread[0].type == type && reread[0].name == record.name && reread[0].ttl == 300,
        "the localzone line \(line) for \(type) \"\(normalized.content)\" re-reads as \(reread)")
    return 0
}

/// A check that says what failed in optimised builds too (where `precondition` drops its message).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
