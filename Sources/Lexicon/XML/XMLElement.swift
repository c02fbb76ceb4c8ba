/// An XML element as provider APIs send it (Namecheap, Route 53): name, attributes, child elements and text.
/// Parsing is strict enough for API answers, never traps on any input, and limits nesting.
public struct XMLElement: Sendable, Equatable {
    /// The element's name without a namespace prefix.
    public var name: String
    /// Attributes by name (prefixes removed), entities decoded.
    public var attributes: [String: String]
    /// Child elements in order.
    public var children: [XMLElement]
    /// The element's own text (entities and CDATA decoded), concatenated.
    public var text: String

    /// Creates an element.
    public init(name: String, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child with a name.
    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Every child with a name.
    public func all(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The first descendant with a name, depth first.
    public func find(_ name: String) -> XMLElement? {
        for child in children {
            if child.name == name { return child }
            if let found = child.find(name) { return found }
        }
        return nil
    }

    /// Parses a document and returns its root element.
    /// - Throws: ``XMLParseError``; never traps, whatever the input.
    public init(parsing bytes: [UInt8]) throws(XMLParseError) {
        var parser = XMLParser(bytes: bytes)
        self = try parser.document()
    }

    /// Escapes text for an XML body or attribute.
    public static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            default: output.append(character)
            }
        }
        return output
    }
}

/// Why bytes are not an XML document, and where.
public struct XMLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The byte offset.
    public let offset: Int

    public var description: String { "\(message) at byte \(offset)" }
}

struct XMLParser {
    let bytes: [UInt8]
    var index = 0

    func error(_ message: String) -> XMLParseError { XMLParseError(message: message, offset: index) }

    func peek(_ text: String) -> Bool {
        let pattern = Array(text.utf8)
        return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
    }

    mutating func skip(until text: String) throws(XMLParseError) {
        while index < bytes.count && !peek(text) { index += 1 }
        guard index < bytes.count else { throw error("unterminated markup") }
        index += text.utf8.count
    }

    mutating func skipMisc() throws(XMLParseError) {
        while index < bytes.count {
            if bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            } else if peek("<?") {
                try skip(until: "?>")
            } else if peek("<!--") {
                try skip(until: "-->")
            } else if peek("<!DOCTYPE") {
                try skip(until: ">")
            } else {
                return
            }
        }
    }

    mutating func document() throws(XMLParseError) -> XMLElement {
        try skipMisc()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { throw error("no root element") }
        let root = try element(depth: 0)
        try skipMisc()
        guard index == bytes.count else { throw error("text after the root element") }
        return root
    }

    mutating func name() throws(XMLParseError) -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
            {
                break
            }
            index += 1
        }
        guard index > start else { throw error("a name is missing") }
        let full = String(decoding: bytes[start..<index], as: UTF8.self)
        return full.split(separator: ":").last.map(String.init) ?? full
    }

    mutating func spaces() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
        {
            index += 1
        }
    }

    mutating func element(depth: Int) throws(XMLParseError) -> XMLElement {
        guard depth < 128 else { throw error("nesting deeper than 128") }
        index += 1
        var node = XMLElement(name: try name())
        while true {
            spaces()
            guard index < bytes.count else { throw error("unterminated tag") }
            if peek("/>") {
                index += 2
                return node
            }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                break
            }
            let key = try name()
            spaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw error("an attribute without =") }
            index += 1
            spaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw error("an attribute value without quotes")
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count && bytes[index] != quote { index += 1 }
            guard index < bytes.count else { throw error("an unterminated attribute value") }
            node.attributes[key] = try decode(bytes[start..<index])
            index += 1
        }
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("element \(node.name) is not closed") }
            if peek("</") {
                index += 2
                let closing = try name()
                guard closing == node.name else { throw error("</\(closing)> closes <\(node.name)>") }
                spaces()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else {
                    throw error("an unterminated end tag")
                }
                index += 1
                node.text = try decode(text[...])
                return node
            } else if peek("<!--") {
                try skip(until: "-->")
            } else if peek("<![CDATA[") {
                index += 9
                let start = index
                try skip(until: "]]>")
                text += Array(bytes[start..<(index - 3)]).flatMap {
                    $0 == UInt8(ascii: "&") ? Array("&amp;".utf8) : [$0]
                }
            } else if peek("<?") {
                try skip(until: "?>")
            } else if bytes[index] == UInt8(ascii: "<") {
                node.children.append(try element(depth: depth + 1))
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
    }

    func decode(_ slice: ArraySlice<UInt8>) throws(XMLParseError) -> String {
        var output: [UInt8] = []
        var position = slice.startIndex
        while position < slice.endIndex {
            let byte = slice[position]
            guard byte == UInt8(ascii: "&") else {
                output.append(byte)
                position += 1
                continue
            }
            guard let end = slice[position...].firstIndex(of: UInt8(ascii: ";")), end - position <= 10 else {
                throw error("an unterminated entity")
            }
            let entity = String(decoding: slice[(position + 1)..<end], as: UTF8.self)
            switch entity {
            case "lt": output.append(UInt8(ascii: "<"))
            case "gt": output.append(UInt8(ascii: ">"))
            case "amp": output.append(UInt8(ascii: "&"))
            case "quot": output.append(UInt8(ascii: "\""))
            case "apos": output.append(UInt8(ascii: "'"))
            default:
                let number =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                guard let number, let scalar = Unicode.Scalar(number) else {
                    throw error("an unknown entity &\(entity);")
                }
                output += Array(String(Character(scalar)).utf8)
            }
            position = end + 1
        }
        guard let text = String(validating: output, as: UTF8.self) else { throw error("text that is not UTF-8") }
        return text
    }
}
