import LexiconYAML
import Testing

@Suite("YAML parser")
struct YAMLParserTests {
    @Test func treeWithLines() throws {
        let text = """
            # comment
            name: web
            pool:
              addresses: [127.0.0.2, "127.0.0.3"]
              check:
                kind: http
            """
        let root = try #require(try YAMLParser.parse(text, file: "a.yml"))
        #expect(root["name"]?.scalarValue == "web")
        #expect(root["name"]?.line == 2)
        let addresses = try #require(root["pool"]?["addresses"]?.sequenceItems)
        #expect(addresses.map(\.scalarValue) == ["127.0.0.2", "127.0.0.3"])
        #expect(addresses[1].content == .scalar("127.0.0.3", isPlain: false))
        #expect(root["pool"]?["check"]?["kind"]?.line == 6)
    }

    @Test(arguments: ["", "# only a comment\n", "\n\n"])
    func emptyDocuments(text: String) throws {
        #expect(try YAMLParser.parse(text, file: "e.yml") == nil)
    }

    @Test func anchorsAndAliases() throws {
        let root = try #require(try YAMLParser.parse("base: &b {a: 1}\ncopy: *b\n", file: "a.yml"))
        #expect(root["copy"]?["a"]?.scalarValue == "1")
    }

    @Test(arguments: [
        ("a:\n\tb: 1\n", "x.yml:2: a tab indents this line; YAML indents with spaces only"),
        ("a: 1\nb: 2\na: 3\n", "x.yml:3: duplicate key \"a\" (first at line 1)"),
        ("a: 1\n---\nb: 2\n", "only one YAML document"),
        ("a: *nothing\n", "names no anchor"),
        ("a: [1, 2\n", "x.yml:"),
        ("key: \"unterminated\n", "x.yml:"),
    ])
    func errorsNameTheLine(text: String, expected: String) {
        do {
            _ = try YAMLParser.parse(text, file: "x.yml")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: YAMLError.self) { try YAMLParser.parse(text, file: "deep.yml") }
    }

    @Test func garbageNeverTraps() {
        let inputs = [
            "\u{0}\u{1}: :", "{{{{", "- - - -\n  - : ]", String(decoding: [0xFF, 0xFE, 0x3A, 0x20], as: UTF8.self),
            "? ? ?",
        ]
        for input in inputs {
            _ = try? YAMLParser.parse(input, file: "g.yml")
        }
    }
}
