// libFuzzer entry point for the DNS message reader: every input must decode or fail with DNSWireError, never trap.
// Built and run by `scripts/fuzz dnswire`, which compiles this file with DNSWire's codec sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    if let message = try? DNSMessage(decoding: bytes) {
        // What decodes must also re-encode, format and re-decode without trapping.
        let again = try? DNSMessage(decoding: message.encoded())
        for record in message.answers + message.authority + message.additional {
            _ = record.rdataText
            _ = try? RDataText.parse(type: record.type, text: record.rdataText)
        }
        _ = again
    }
    _ = try? TSIGSigner.locateTSIG(bytes)
    if let xml = try? XMLElement(parsing: bytes) { _ = xml.find("Error") }
    if let json = try? JSONValue(parsing: bytes) {
        // What parses must encode and parse back to the same value.
        precondition((try? JSONValue(parsing: json.encoded())) == json, "JSON round trip changed the value")
    }
    if let text = String(validatingUTF8: bytes.map { CChar(bitPattern: $0 == 0 ? 32 : $0) } + [0]) {
        _ = try? DNSName(text)
        _ = try? RDataText.parse(type: .txt, text: text)
        _ = try? RDataText.parse(type: .caa, text: text)
        _ = try? DNSServerAddress(parsing: text)
        _ = try? DNSServerAddress.list(parsing: text, code: .usage, setting: "--nameserver")
        _ = TXTPresentation.decode(text)
        if let decoded = Base64.decode(text) { _ = Base64.encode(decoded) }
    }
    return 0
}
