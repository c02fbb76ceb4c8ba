#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process environment, read without Foundation and strictly: an entry that is not valid UTF-8 is left out
/// (never read with U+FFFD in place of its bytes); ``checkUTF8(prefixes:)`` turns such entries into an error.
public enum ProcessEnvironment {
    /// All variables of the current process whose name and value are valid UTF-8.
    public static var variables: [String: String] {
        var result: [String: String] = [:]
        forEachEntry { entry in
            guard let text = String(validatingCString: entry), let equals = text.firstIndex(of: "=") else { return }
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return result
    }

    /// Fails when a variable whose name starts with one of the prefixes is not valid UTF-8.
    /// - Parameter prefixes: The names the program reads, e.g. `LEXICON_`.
    /// - Throws: ``LexiconError`` `invalidInput` naming the variable and showing its bytes escaped.
    public static func checkUTF8(prefixes: [String]) throws {
        var failure: LexiconError?
        forEachEntry { entry in
            guard failure == nil, String(validatingCString: entry) == nil else { return }
            let bytes = Array(UnsafeRawBufferPointer(start: entry, count: strlen(entry)))
            let name = bytes.prefix { $0 != UInt8(ascii: "=") }
            guard prefixes.contains(where: { name.starts(with: $0.utf8) }) else { return }
            // The value is not shown: it may be a secret.
            failure = LexiconError.invalidInput(
                "the environment variable \(DisplayText.escaped(name)) is not valid UTF-8; set it to UTF-8 text.")
        }
        if let failure { throw failure }
    }

    private static func forEachEntry(_ body: (UnsafeMutablePointer<CChar>) -> Void) {
        var pointer = environ
        while let entry = pointer.pointee {
            body(entry)
            pointer += 1
        }
    }
}
