// libFuzzer entry point for the dyndns2 answer reader: whatever a server answers must become a logged answer or an
// error, never a trap; a hold (do not retry) only ever follows the codes that ask for it.
// Built and run by `scripts/fuzz dyndns2`, which compiles this file with the Lexicon core and DynDNS2Answer.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let statuses = [200, 200, 200, 401, 403, 404, 429, 500, 502, 503, 0, 999]
    let status = bytes.first.map { statuses[Int($0) % statuses.count] } ?? 200
    let body = String(decoding: bytes.dropFirst(), as: UTF8.self)
    do {
        let answer = try DynDNS2Answer.check(status: status, body: body, host: "home.example.com")
        require(!answer.contains(where: \.isNewline), "the logged answer is more than one line")
        let code = answer.split(separator: " ").first
        require(code == "good" || code == "nochg", "a success that is neither good nor nochg: \(answer)")
        require(status != 401, "HTTP 401 taken as a success")
    } catch {
        require(!error.message.isEmpty, "an error without a message")
        if let hold = error.holdSeconds {
            require(hold == 0 || hold == 1800, "an unexpected hold of \(hold) seconds")
        }
        require(error.message.count < 400, "the message grows with the answer: \(error.message.count) characters")
    }
    return 0
}

/// A check that says what failed in optimised builds too (where `precondition` drops its message).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
