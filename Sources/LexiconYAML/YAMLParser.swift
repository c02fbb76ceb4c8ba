import CYAML

/// Parses YAML text into a ``YAMLNode`` tree with libyaml.
public enum YAMLParser {
    /// The deepest nesting accepted.
    public static let maximumDepth = 256

    /// Parses one YAML document.
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - file: The file name used in errors.
    /// - Returns: The root node, or nil for an empty document (nothing, or only comments).
    /// - Throws: ``YAMLError`` naming the line: syntax errors, tab indentation, duplicate keys, several
    ///   documents, unknown aliases, nesting deeper than ``maximumDepth``.
    public static func parse(_ text: String, file: String) throws(YAMLError) -> YAMLNode? {
        var builder = TreeBuilder(file: file, lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(file: file, line: nil, message: "cannot start the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer { buffer.deallocate() }
        buffer.initialize(from: bytes, count: bytes.count)
        yaml_parser_set_input_string(&parser, buffer, bytes.count)
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw builder.syntaxError(parser)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            try builder.handle(event)
        }
        return builder.root
    }
}

/// Builds the node tree from libyaml events.
private struct TreeBuilder {
    enum Frame {
        case sequence(items: [YAMLNode], line: Int, column: Int, anchor: String?)
        case mapping(
            entries: [YAMLMappingEntry], pendingKey: YAMLNode?, keyLines: [String: Int], line: Int, column: Int,
            anchor: String?)
    }

    let file: String
    let lines: [Substring]
    var stack: [Frame] = []
    var anchors: [String: YAMLNode] = [:]
    var root: YAMLNode?
    var documents = 0

    init(file: String, lines: [Substring]) {
        self.file = file
        self.lines = lines
    }

    func syntaxError(_ parser: yaml_parser_t) -> YAMLError {
        let line = Int(parser.problem_mark.line) + 1
        if line >= 1 && line <= lines.count {
            let indentation = lines[line - 1].prefix { $0 == " " || $0 == "\t" }
            if indentation.contains("\t") {
                return YAMLError(
                    file: file, line: line, message: "a tab indents this line; YAML indents with spaces only")
            }
        }
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { " " + String(cString: $0) } ?? ""
        return YAMLError(file: file, line: line, message: problem + context)
    }

    private func string(_ pointer: UnsafeMutablePointer<UInt8>?, length: Int? = nil) -> String? {
        guard let pointer else { return nil }
        if let length { return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self) }
        return String(cString: pointer)
    }

    mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw YAMLError(
                    file: file, line: line, message: "only one YAML document is allowed (found a second ---)")
            }
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard var node = anchors[name] else {
                throw YAMLError(file: file, line: line, message: "the alias *\(name) names no anchor")
            }
            node.line = line
            node.column = column
            try add(node)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = string(scalar.value, length: Int(scalar.length)) ?? ""
            let node = YAMLNode(
                .scalar(text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE), line: line, column: column)
            if let anchor = string(scalar.anchor) { anchors[anchor] = node }
            try add(node)
        case YAML_SEQUENCE_START_EVENT:
            try push(
                .sequence(items: [], line: line, column: column, anchor: string(event.data.sequence_start.anchor)),
                line: line)
        case YAML_MAPPING_START_EVENT:
            try push(
                .mapping(
                    entries: [], pendingKey: nil, keyLines: [:], line: line, column: column,
                    anchor: string(event.data.mapping_start.anchor)), line: line)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let node: YAMLNode
            let anchor: String?
            switch frame {
            case .sequence(let items, let line, let column, let name):
                node = YAMLNode(.sequence(items), line: line, column: column)
                anchor = name
            case .mapping(let entries, _, _, let line, let column, let name):
                node = YAMLNode(.mapping(entries), line: line, column: column)
                anchor = name
            }
            if let anchor { anchors[anchor] = node }
            try add(node)
        default:
            break
        }
    }

    private mutating func push(_ frame: Frame, line: Int) throws(YAMLError) {
        guard stack.count < YAMLParser.maximumDepth else {
            throw YAMLError(file: file, line: line, message: "nesting deeper than \(YAMLParser.maximumDepth) levels")
        }
        stack.append(frame)
    }

    private mutating func add(_ node: YAMLNode) throws(YAMLError) {
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .sequence(var items, let line, let column, let anchor):
            items.append(node)
            stack.append(.sequence(items: items, line: line, column: column, anchor: anchor))
        case .mapping(var entries, let pendingKey, var keyLines, let line, let column, let anchor):
            if let key = pendingKey {
                entries.append(YAMLMappingEntry(key: key, value: node))
                stack.append(
                    .mapping(
                        entries: entries, pendingKey: nil, keyLines: keyLines, line: line, column: column,
                        anchor: anchor))
            } else {
                if let text = node.scalarValue {
                    if let first = keyLines[text] {
                        throw YAMLError(
                            file: file, line: node.line, message: "duplicate key \"\(text)\" (first at line \(first))")
                    }
                    keyLines[text] = node.line
                }
                stack.append(
                    .mapping(
                        entries: entries, pendingKey: node, keyLines: keyLines, line: line, column: column,
                        anchor: anchor))
            }
        }
    }
}
