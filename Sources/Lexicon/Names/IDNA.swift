/// Why a name could not be converted to its ASCII (IDNA) form.
public struct IDNAError: Error, Sendable, Hashable {
    /// One line saying what is wrong.
    public var message: String
}

/// Converts between Unicode domain names and their ASCII (`xn--`) form.
///
/// Labels are lower-cased and, when not ASCII, Punycode-encoded. Characters are taken as given (no NFC mapping:
/// names typed on keyboards are already composed), which covers the names users write.
public enum IDNA {
    /// The ASCII form of a name: lower-case, `xn--` for non-ASCII labels; a trailing dot is kept.
    /// - Parameter name: A name in any case, Unicode allowed.
    /// - Returns: The ASCII form.
    /// - Throws: ``IDNAError`` when a label cannot be encoded or is longer than 63 bytes once encoded.
    public static func toASCII(_ name: String) throws(IDNAError) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return name.lowercased() }
        var labels: [String] = []
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            let lower = label.lowercased()
            if lower.utf8.allSatisfy({ $0 < 0x80 }) {
                labels.append(lower)
                continue
            }
            guard let encoded = Punycode.encode(Array(lower.unicodeScalars)) else {
                throw IDNAError(message: "the label \"\(label)\" cannot be encoded")
            }
            let ascii = "xn--" + encoded
            guard ascii.utf8.count <= 63 else {
                throw IDNAError(message: "the label \"\(label)\" is longer than 63 bytes once encoded")
            }
            labels.append(ascii)
        }
        return labels.joined(separator: ".")
    }

    /// The Unicode form of a name: `xn--` labels decoded; labels that do not decode stay as they are.
    /// - Parameter name: An ASCII name.
    /// - Returns: The readable form.
    public static func toUnicode(_ name: String) -> String {
        guard name.utf8.count >= 4, name.lowercased().contains("xn--") else { return name }
        return name.split(separator: ".", omittingEmptySubsequences: false).map { label -> String in
            guard label.count > 4, label.lowercased().hasPrefix("xn--"),
                let scalars = Punycode.decode(label.dropFirst(4)), !scalars.isEmpty
            else { return String(label) }
            return String(String.UnicodeScalarView(scalars))
        }.joined(separator: ".")
    }
}
