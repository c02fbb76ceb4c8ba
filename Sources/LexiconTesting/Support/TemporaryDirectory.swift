import Foundation
import Lexicon

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A directory under the system's temporary directory, removed with everything in it by ``remove()``.
public struct TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    /// Creates a fresh directory.
    /// - Parameter prefix: The start of its name.
    public init(prefix: String = "lexicon-test") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw LexiconError(.config, "cannot create a temporary directory")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes a file inside the directory.
    /// - Returns: Its path.
    @discardableResult
    public func write(_ name: String, _ text: String, mode: UInt32 = 0o644) throws -> String {
        let target = file(name)
        try FileIO.writeAtomically(target, Array(text.utf8), mode: mode)
        chmod(target, mode_t(mode))
        return target
    }

    /// Reads a file inside the directory as text.
    public func read(_ name: String) throws -> String {
        String(decoding: try FileIO.read(file(name)), as: UTF8.self)
    }

    /// Removes the directory and its content.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
