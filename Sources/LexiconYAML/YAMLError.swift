/// A YAML syntax or decoding error: the file, line, key path and what is wrong, as one line.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or other source name).
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The dotted key path (`pools.0.check.timeout`), when known.
    public var keyPath: String?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int?, keyPath: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `FILE:LINE: key "a.b": MESSAGE`, leaving out what is not known.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let keyPath, !keyPath.isEmpty { text += "key \"\(keyPath)\": " }
        return text + message
    }
}
