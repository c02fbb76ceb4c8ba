import Foundation
import LexiconTesting
import Testing

/// Help and completion output compared with the files in `Snapshots/`; run with `LEXICON_UPDATE_SNAPSHOTS=1` to
/// rewrite them after an intended change, and review the diff.
@Suite("help snapshots")
struct HelpSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots")

    @Test(arguments: [
        (["--help"], "help.txt"),
        (["localzone", "--help"], "localzone-help.txt"),
        (["providers"], "providers.txt"),
        (["completion", "bash"], "completion.bash"),
        (["completion", "zsh"], "completion.zsh"),
        (["completion", "fish"], "completion.fish"),
    ])
    func snapshot(arguments: [String], file: String) async throws {
        let result = await CommandRunner.run(Testbed.lexiconBinary, arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let url = Self.directory.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["LEXICON_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try result.stdout.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(result.stdout == expected, "lexicon \(arguments.joined(separator: " ")) differs from Snapshots/\(file)")
    }

    @Test func helpFitsEightyColumnsWhereItCan() async {
        let help = await CommandRunner.run(Testbed.lexiconBinary, ["--help"]).stdout
        let wide = help.split(separator: "\n").filter { $0.count > 110 }
        #expect(wide.isEmpty, "\(wide)")
    }
}
