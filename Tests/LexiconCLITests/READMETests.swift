import Foundation
import LexiconTesting
import Testing

/// The README stays true: its localzone commands run as written against the example zone, and its Swift snippets
/// compile against this package's modules.
@Suite("the README is tested")
struct READMETests {
    static var readme: String {
        get throws {
            try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)
        }
    }

    /// The checkout: found upwards from this test file.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    /// The fenced blocks of a language, in order.
    static func blocks(_ language: String) throws -> [String] {
        var result: [String] = []
        var current: [String]?
        for line in try readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(language)" {
                current = []
            } else if current != nil, line == "```" {
                result.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return result
    }

    @Test func theLocalzoneCommandsRunAsWritten() async throws {
        let scratch = try TemporaryDirectory(prefix: "lexicon-readme")
        defer { scratch.remove() }
        try FileManager.default.copyItem(
            atPath: Self.packageRoot + "/config/example.com.zone", toPath: scratch.file("example.com.zone"))
        let lines = try Self.blocks("sh").flatMap { $0.split(separator: "\n").map(String.init) }.filter {
            $0.hasPrefix("lexicon localzone ") || $0.hasPrefix("lexicon providers")
                || $0.hasPrefix("lexicon dyndns --help")
        }
        #expect(lines.count >= 6, "\(lines)")
        for line in lines {
            let command = line.components(separatedBy: " #").first!.trimmingCharacters(in: .whitespaces)
            let arguments = command.split(separator: " ").dropFirst().map(String.init)
            let result = await CommandRunner.run(Testbed.lexiconBinary, arguments, directory: scratch.path)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(command) printed nothing")
            if arguments.contains("list") {
                #expect(result.stdout.contains("\"name\": \"blog.example.com\""), "\(command): \(result.stdout)")
            }
        }
        let zone = try scratch.read("example.com.zone")
        #expect(!zone.contains("blog"), "the README's sequence leaves the zone as it found it")
        if let checker = Testbed.tool("named-checkzone") {
            #expect(
                await CommandRunner.run(checker, ["-q", "example.com", scratch.file("example.com.zone")]).status == 0)
        }
    }

    @Test func theSampleErrorLineIsWhatTheCommandPrints() async throws {
        let readme = try Self.readme.replacing("\n", with: " ")
        let start = try #require(readme.firstRange(of: "Errors are one line: `"))
        let rest = readme[start.upperBound...]
        let sample = String(rest[..<rest.firstIndex(of: "`")!])
        let scratch = try TemporaryDirectory(prefix: "lexicon-readme")
        defer { scratch.remove() }
        try FileManager.default.copyItem(
            atPath: Self.packageRoot + "/config/example.com.zone", toPath: scratch.file("example.com.zone"))
        let result = await CommandRunner.run(
            Testbed.lexiconBinary,
            [
                "localzone", "create", "example.com", "A", "--name", "www.myexample.com", "--content", "192.0.2.1",
                "--filename", "example.com.zone",
            ], directory: scratch.path)
        #expect(result.status == 2)
        #expect(result.stderr == sample + "\n")
    }

    /// Merged branches once left a provider's section twice; a reader finds one of each.
    @Test func noSectionIsThereTwice() throws {
        var headings: [Substring] = []
        var inFence = false
        for line in try Self.readme.split(separator: "\n") {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence && line.hasPrefix("#") { headings.append(line) }
        }
        let repeated = Dictionary(grouping: headings, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "headings given twice: \(repeated)")
    }

    @Test func theSwiftSnippetsCompile() async throws {
        let modules = URL(fileURLWithPath: Testbed.lexiconBinary).deletingLastPathComponent().appendingPathComponent(
            "Modules"
        ).path
        guard FileManager.default.fileExists(atPath: modules + "/Lexicon.swiftmodule") else {
            Issue.record("no built modules beside \(Testbed.lexiconBinary) to compile the README's snippets against")
            return
        }
        let swiftc = try #require(CommandRunner.which("swiftc"), "swiftc is needed to compile the README's snippets")
        let snippets = try Self.blocks("swift")
        #expect(snippets.count >= 2)
        let scratch = try TemporaryDirectory(prefix: "lexicon-snippets")
        defer { scratch.remove() }
        for (index, snippet) in snippets.enumerated() {
            let file = try scratch.write("snippet\(index).swift", snippet)
            let includes = ["CCurl", "CYAML", "COpenSSL"].flatMap { ["-I", Self.packageRoot + "/Sources/" + $0] }
            let result = await CommandRunner.run(
                swiftc, ["-typecheck", "-warnings-as-errors", "-I", modules] + includes + [file])
            #expect(result.status == 0, "README snippet \(index + 1) does not compile:\n\(snippet)\n\(result.stderr)")
        }
    }
}
