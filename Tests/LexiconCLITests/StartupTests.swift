import Foundation
import Testing

/// Start-up time is a feature (a hook or a cron job runs the binary thousands of times): no module the `lexicon`
/// binary links imports Foundation, which brings ICU and tens of megabytes to map at every start (DESIGN.md §2;
/// one `import Foundation` in the hook command made the binary 88 MB instead of 31 MB).
@Suite("start-up")
struct StartupTests {
    @Test func noModuleOfTheBinaryImportsFoundation() throws {
        let root = READMETests.packageRoot
        let folders = [
            "Sources/lexicon", "Sources/Lexicon", "Sources/LexiconHTTP", "Sources/LexiconActions",
            "Sources/LexiconYAML",
            "Sources/DNSWire", "providers",
        ]
        var importing: [String] = []
        for folder in folders {
            let enumerator = try #require(FileManager.default.enumerator(atPath: root + "/" + folder))
            for case let file as String in enumerator where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root + "/" + folder + "/" + file, encoding: .utf8)
                let imports = text.split(separator: "\n").contains { line in
                    let words = line.split(separator: " ")
                    guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { return false }
                    return words[index + 1].hasPrefix("Foundation")
                }
                if imports { importing.append(folder + "/" + file) }
            }
        }
        #expect(importing.isEmpty, "these import Foundation: \(importing)")
    }
}
