// libFuzzer entry point for the localzone zone-file reader and editor: every input must parse or fail with an error,
// never trap; and every edit lexicon makes to a file that parses must re-read as exactly the expected records (the
// check ZoneFile.verify runs before a write), or a valid file would become one lexicon refuses to write.
// Built and run by `scripts/fuzz zonefile`, which compiles this file with the Lexicon core and providers/localzone.

#if canImport(Glibc)
    import Glibc
#endif

/// A directory holding files the inputs may `$INCLUDE` (`inc.zone`, `bad.zone`, `owner.zone`); the zone file "lives"
/// there too.
let fuzzDirectory: String = {
    var template = Array("/tmp/lexicon-fuzz-zonefile-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    try! FileIO.writeAtomically(path + "/inc.zone", Array("inc 300 IN A 192.0.2.7\n  IN TXT \"included\"\n".utf8))
    try! FileIO.writeAtomically(path + "/bad.zone", Array("bad IN A not-an-address\n".utf8))
    try! FileIO.writeAtomically(path + "/owner.zone", Array("inherited 600 IN TXT \"x\"\n  IN TXT \"y\"\n".utf8))
    return path
}()

/// Contents an edit writes: plain, with every character the zone syntax gives a meaning to, and over 255 bytes.
let txtValues = [
    "v=spf1 -all", "say \"hi\"; (x) \\ back\\slash $ORIGIN é\u{1}", String(repeating: "x", count: 300), "",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    // $INCLUDE reads files: keep it to the fuzz directory (no devices that never end, no escapes to spell one).
    let lower = String(decoding: bytes, as: UTF8.self).lowercased()
    if lower.contains("$include"),
        ["/dev", "/proc", "/sys", "..", "\\", "/", "~"].contains(where: { lower.contains($0) })
            && !lower.contains(fuzzDirectory)
    {
        return 0
    }
    guard let file = try? ZoneFile(path: fuzzDirectory + "/zone.db", bytes: bytes, zone: "example.com") else {
        return 0
    }
    _ = try? ZoneFile(path: fuzzDirectory + "/zone.db", bytes: bytes, zone: "")
    // Edits are made to files BIND loads whose sets have one TTL each, as lexicon edits only those safely.
    guard file.records.count <= 64, file.problems.isEmpty, !file.mixedSets else { return 0 }
    let serial = file.serial.map { ZoneFile.nextSerial($0.value, today: 20_260_101) }
    var edits: [(String, ZoneEdit)] = []
    let editable = file.records.filter { $0.entryIndex != nil && $0.record.type != .soa }
    for (position, fileRecord) in editable.prefix(6).enumerated() {
        let record = fileRecord.record
        let index = fileRecord.entryIndex!
        var removal = ZoneEdit()
        removal.removed.insert(index)
        edits.append(("remove \(record)", removal))
        var ttlChange = ZoneEdit()
        ttlChange.replaced[index] = Record(
            type: record.type, name: record.name, ttl: record.ttl == 3600 ? 7200 : 3600, content: record.content,
            priority: record.priority)
        edits.append(("change the TTL of \(record)", ttlChange))
        if record.type == .txt {
            var contentChange = ZoneEdit()
            contentChange.replaced[index] = Record(
                type: .txt, name: record.name, ttl: record.ttl, content: txtValues[position % txtValues.count])
            edits.append(("change the content of \(record)", contentChange))
        }
        var insertion = ZoneEdit()
        insertion.inserted.append(
            (
                file.insertionPoint(for: record.name),
                Record(type: .txt, name: record.name, ttl: 300, content: txtValues[(position + 1) % txtValues.count])
            ))
        edits.append(("add a TXT beside \(record)", insertion))
    }
    if editable.count >= 2 {
        var both = ZoneEdit()
        both.removed.insert(editable[0].entryIndex!)
        both.replaced[editable[1].entryIndex!] = Record(
            type: .a, name: editable[1].record.name, ttl: 60, content: "192.0.2.1")
        edits.append(("remove the first record and make the second an A", both))
    }
    for (offset, name) in ["new.example.com", "example.com", "deep.sub.example.com"].enumerated() {
        var insertion = ZoneEdit()
        insertion.inserted.append(
            (file.insertionPoint(for: name), Record(type: .txt, name: name, ttl: 120, content: txtValues[offset])))
        insertion.inserted.append(
            (
                file.insertionPoint(for: name),
                Record(type: .mx, name: name, ttl: 120, content: "mail.example.com", priority: 10)
            ))
        edits.append(("add records at \(name)", insertion))
    }
    let values = Set(file.records.map { ZoneFile.valueKey($0.record) })
    for (what, unaligned) in edits {
        // As the provider: a set has one TTL, and a value already there is not added again.
        guard let edit = try? file.aligningSetTTLs(unaligned),
            !edit.inserted.contains(where: { values.contains(ZoneFile.valueKey($0.record)) })
        else { continue }
        let edited = file.apply(edit, serial: serial)
        // An edit that would leave a file BIND refuses (the last NS gone) is refused, not a bug.
        if let reread = try? ZoneFile(path: fuzzDirectory + "/zone.db", bytes: edited, zone: "example.com"),
            !reread.problems.isEmpty
        {
            continue
        }
        do {
            try file.verify(edited, edit: edit, serial: serial)
        } catch {
            fputs(
                "--- input:\n\(String(decoding: bytes, as: UTF8.self))\n--- \(what):\n\(String(decoding: edited, as: UTF8.self))\n",
                stderr)
            if let reread = try? ZoneFile(path: fuzzDirectory + "/zone.db", bytes: edited, zone: "example.com") {
                fputs(
                    "--- reread records:\n" + reread.records.map { "\($0.record)" }.joined(separator: "\n") + "\n",
                    stderr)
            }
            fatalError("a valid zone file fails its check after an edit (\(what)): \(error)")
        }
    }
    return 0
}
