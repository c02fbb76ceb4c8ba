import Foundation
import Lexicon

/// Runs programs as a user would and captures what they print.
public enum CommandRunner {
    /// What a program did.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var stdout: String
        /// Everything written to standard error.
        public var stderr: String
        /// Seconds from the start of the program to its exit, measured on the thread that waited for it: unlike a
        /// clock read around an `await`, it does not include the time the test waited for a thread afterwards.
        public var duration: Double = 0
    }

    /// Runs a program to completion on a thread of its own (see ``Blocking``): use this one in async code.
    /// - Parameters:
    ///   - executable: The program's path.
    ///   - arguments: Its arguments.
    ///   - environment: Variables to set on top of (or, with `inherit: false`, instead of) the current ones.
    ///   - directory: The working directory.
    ///   - inherit: Whether the current environment is passed on.
    /// - Returns: The status and output.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
        inherit: Bool = true
    ) async -> Result {
        await Blocking.run {
            runBlocking(executable, arguments, environment: environment, directory: directory, inherit: inherit)
        }
    }

    /// Runs a program to completion, blocking the calling thread until it exits.
    /// - Parameters:
    ///   - executable: The program's path.
    ///   - arguments: Its arguments.
    ///   - environment: Variables to set on top of (or, with `inherit: false`, instead of) the current ones.
    ///   - directory: The working directory.
    ///   - inherit: Whether the current environment is passed on.
    /// - Returns: The status and output.
    @available(*, noasync, message: "blocks a thread of the cooperative pool: use the async run")
    @discardableResult
    public static func runBlocking(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
        inherit: Bool = true
    ) -> Result {
        var env = inherit ? ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LEXICON_") } : [:]
        env.merge(environment) { _, new in new }
        let child: Spawn.Child
        let started = MonotonicClock.now()
        do {
            child = try Spawn.start(executable, arguments, environment: env, directory: directory, output: .pipes)
        } catch {
            return Result(status: 127, stdout: "", stderr: "cannot run \(executable): \(error)")
        }
        let result = Spawn.finish(child)
        return Result(
            status: result.status, stdout: String(decoding: result.stdout, as: UTF8.self),
            stderr: String(decoding: result.stderr, as: UTF8.self), duration: MonotonicClock.now() - started)
    }

    /// Runs several programs at the same time (all are started before any is waited for), as concurrent users would,
    /// waiting for them on a thread of its own (see ``Blocking``).
    /// - Parameters:
    ///   - executable: The program's path.
    ///   - argumentLists: The arguments of each run.
    ///   - environment: Variables to set on top of the current ones, for every run.
    /// - Returns: The result of each run, in the order given.
    public static func runConcurrently(
        _ executable: String, _ argumentLists: [[String]], environment: [String: String] = [:]
    ) async -> [Result] {
        await Blocking.run { runConcurrentlyBlocking(executable, argumentLists, environment: environment) }
    }

    private static func runConcurrentlyBlocking(
        _ executable: String, _ argumentLists: [[String]], environment: [String: String]
    ) -> [Result] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LEXICON_") }
        env.merge(environment) { _, new in new }
        let children = argumentLists.map { arguments in
            Swift.Result { try Spawn.start(executable, arguments, environment: env, directory: nil, output: .pipes) }
        }
        return children.map { child in
            switch child {
            case .failure(let error):
                return Result(status: 127, stdout: "", stderr: "cannot run \(executable): \(error)")
            case .success(let child):
                let result = Spawn.finish(child)
                return Result(
                    status: result.status, stdout: String(decoding: result.stdout, as: UTF8.self),
                    stderr: String(decoding: result.stderr, as: UTF8.self))
            }
        }
    }

    /// The path of a program on `PATH` (and the sbin directories, where BIND and PowerDNS live), or nil.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
