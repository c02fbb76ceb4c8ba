import Lexicon

/// A value of XML-RPC (http://xmlrpc.com/spec.md): what INWX's DomRobot and Gandi's v4 API take and answer.
public enum XMLRPCValue: Sendable, Hashable {
    /// `<string>`, and a `<value>` with no type element.
    case string(String)
    /// `<int>`, `<i4>`, `<i8>`.
    case int(Int)
    /// `<boolean>` (0 or 1 on the wire).
    case bool(Bool)
    /// `<double>`.
    case double(Double)
    /// `<dateTime.iso8601>`, as written (`20250101T12:00:00`).
    case dateTime(String)
    /// `<base64>`, decoded.
    case base64([UInt8])
    /// `<array>`.
    case array([XMLRPCValue])
    /// `<struct>`: members in document order.
    case structure([(String, XMLRPCValue)])
    /// `<nil/>` (a common extension).
    case null

    public static func == (lhs: XMLRPCValue, rhs: XMLRPCValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.dateTime(let a), .dateTime(let b)): return a == b
        case (.base64(let a), .base64(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.structure(let a), .structure(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.null, .null): return true
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let value): hasher.combine(value)
        case .int(let value): hasher.combine(value)
        case .bool(let value): hasher.combine(value)
        case .double(let value): hasher.combine(value)
        case .dateTime(let value): hasher.combine(value)
        case .base64(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .structure(let members):
            for (name, value) in members {
                hasher.combine(name)
                hasher.combine(value)
            }
        case .null: hasher.combine(0)
        }
    }

    /// A member of a struct (the first, if repeated); nil for a missing member or another kind.
    public subscript(name: String) -> XMLRPCValue? {
        guard case .structure(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }

    /// The string, or nil for other kinds.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, or nil for other kinds.
    public var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The boolean, or nil for other kinds.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, or nil for other kinds.
    public var array: [XMLRPCValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// The members, or nil for other kinds.
    public var members: [(String, XMLRPCValue)]? {
        if case .structure(let members) = self { return members }
        return nil
    }
}

extension XMLRPCValue {
    /// The value as XML: `<value><string>a &amp; b</string></value>`.
    public var xml: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        output += "<value>"
        switch self {
        case .string(let text): output += "<string>\(XMLElement.escape(text))</string>"
        case .int(let value): output += "<int>\(value)</int>"
        case .bool(let value): output += "<boolean>\(value ? 1 : 0)</boolean>"
        case .double(let value): output += "<double>\(value)</double>"
        case .dateTime(let text): output += "<dateTime.iso8601>\(XMLElement.escape(text))</dateTime.iso8601>"
        case .base64(let bytes): output += "<base64>\(Base64.encode(bytes))</base64>"
        case .array(let values):
            output += "<array><data>"
            for value in values { value.write(to: &output) }
            output += "</data></array>"
        case .structure(let members):
            output += "<struct>"
            for (name, value) in members {
                output += "<member><name>\(XMLElement.escape(name))</name>"
                value.write(to: &output)
                output += "</member>"
            }
            output += "</struct>"
        case .null: output += "<nil/>"
        }
        output += "</value>"
    }

    /// Reads a `<value>` element.
    /// - Throws: A description of what is wrong, for the caller's message.
    init(element: XMLElement) throws(XMLRPCFormatError) {
        guard element.name == "value" else { throw XMLRPCFormatError("<\(element.name)> where a <value> belongs") }
        guard let typed = element.children.first else {
            self = .string(element.text)
            return
        }
        guard element.children.count == 1 else { throw XMLRPCFormatError("a <value> with several elements") }
        let text = typed.text
        let trimmed = text.filter { !" \t\r\n".contains($0) }
        switch typed.name {
        case "string": self = .string(text)
        case "int", "i4", "i8":
            guard let value = Int(trimmed) else { throw XMLRPCFormatError("an <\(typed.name)> that is not an integer") }
            self = .int(value)
        case "boolean":
            switch trimmed {
            case "1", "true": self = .bool(true)
            case "0", "false": self = .bool(false)
            default: throw XMLRPCFormatError("a <boolean> that is not 0 or 1")
            }
        case "double":
            guard let value = Double(trimmed) else { throw XMLRPCFormatError("a <double> that is not a number") }
            self = .double(value)
        case "dateTime.iso8601": self = .dateTime(trimmed)
        case "base64":
            guard let bytes = Base64.decode(trimmed) else { throw XMLRPCFormatError("a <base64> that is not base64") }
            self = .base64(bytes)
        case "nil": self = .null
        case "array":
            guard let data = typed.child("data") else { throw XMLRPCFormatError("an <array> without <data>") }
            var values: [XMLRPCValue] = []
            for child in data.children { values.append(try XMLRPCValue(element: child)) }
            self = .array(values)
        case "struct":
            var members: [(String, XMLRPCValue)] = []
            for member in typed.children {
                guard member.name == "member", let name = member.child("name"), let value = member.child("value")
                else { throw XMLRPCFormatError("a <struct> member without <name> and <value>") }
                members.append((name.text, try XMLRPCValue(element: value)))
            }
            self = .structure(members)
        default: throw XMLRPCFormatError("an unknown type <\(typed.name)>")
        }
    }
}

/// Why an XML document is not the XML-RPC it should be.
struct XMLRPCFormatError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
