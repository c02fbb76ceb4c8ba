import Lexicon

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The program's arguments and the environment it reads, decoded strictly: bytes that are not UTF-8 are an input
/// error (status 2) instead of U+FFFD replacements that would become a different name (`xn--zn7ca`).
enum StrictArguments {
    /// The variables whose values lexicon reads.
    static let environmentPrefixes = ["LEXICON_", "CERTBOT_"]

    /// The arguments after the program name.
    /// - Throws: ``LexiconError`` `invalidInput` naming the first argument that is not UTF-8.
    static func decode() throws -> [String] {
        try decode(Array(UnsafeBufferPointer(start: CommandLine.unsafeArgv, count: Int(CommandLine.argc))))
    }

    static func decode(_ argv: [UnsafeMutablePointer<CChar>?]) throws -> [String] {
        var arguments: [String] = []
        for pointer in argv.dropFirst() {
            guard let pointer else { break }
            guard let argument = String(validatingCString: pointer) else {
                let bytes = Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
                throw LexiconError.invalidInput(invalidMessage(bytes, after: arguments.last))
            }
            arguments.append(argument)
        }
        try ProcessEnvironment.checkUTF8(prefixes: environmentPrefixes)
        return arguments
    }

    /// Names the argument by its option; shows its bytes escaped unless the option holds a secret.
    private static func invalidMessage(_ bytes: [UInt8], after previous: String?) -> String {
        let flag = bytes.first == UInt8(ascii: "-") ? nil : previous.flatMap { $0.hasPrefix("--") ? $0 : nil }
        let option = String(bytes.prefix { $0 != UInt8(ascii: "=") }.map { Character(Unicode.Scalar($0)) })
        let secret =
            ConfigResolver.isSecretKey(flag ?? "")
            || (bytes.first == UInt8(ascii: "-") && ConfigResolver.isSecretKey(option))
        let what = flag.map { "the value of \($0)" } ?? "an argument"
        let shown = secret ? "" : " (\"\(DisplayText.escaped(bytes))\")"
        return "\(what)\(shown) is not valid UTF-8; give UTF-8 text (a non-ASCII domain name can also be given in "
            + "punycode, xn--...)."
    }
}
