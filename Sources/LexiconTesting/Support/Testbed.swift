import Foundation

/// How tests find the real tools they need, and whether a missing one is a skip or a failure.
public enum Testbed {
    /// Whether `LEXICON_REQUIRE_TESTBED=1` is set (CI): then a missing tool fails the test instead of skipping it.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["LEXICON_REQUIRE_TESTBED"] == "1"
    }

    /// The path of a tool, or nil (a skip on a developer machine, a failure in CI; the caller reports which).
    public static func tool(_ name: String) -> String? {
        CommandRunner.which(name)
    }

    /// Whether tests needing a tool should run: true when it exists or when the testbed is required (so the test
    /// runs and fails loudly).
    public static func shouldRun(needing name: String) -> Bool {
        isRequired || tool(name) != nil
    }

    /// The built `lexicon` binary: `LEXICON_BIN`, or beside the test bundle in the build directory.
    public static var lexiconBinary: String {
        if let path = ProcessInfo.processInfo.environment["LEXICON_BIN"] { return path }
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("lexicon").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return ".build/debug/lexicon"
    }
}
