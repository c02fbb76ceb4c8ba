import Foundation
import Lexicon
import LexiconTesting
import Testing

/// Lock, state and zone files cannot be turned against the user by files or links another local user planted.
@Suite("local files")
struct LocalFileSafetyTests {
    @Test func theLockDirectoryMustBePrivate() async throws {
        let scratch = try TemporaryDirectory(prefix: "lexicon-locks")
        defer { scratch.remove() }
        let good = scratch.file("mine")
        let lock = try await ZoneLock.acquire(
            path: ZoneLock.path(directory: good, provider: "p", endpoint: "e", zone: "example.com"), timeout: 1,
            what: "the zone")
        lock.release()
        #expect(FileIO.permissions(good) == 0o700)
        let open = scratch.file("open")
        mkdir(open, 0o777)
        chmod(open, 0o777)
        let link = scratch.file("link")
        symlink(good, link)
        for directory in [open, link] {
            await #expect(throws: LexiconError.self) {
                _ = try await ZoneLock.acquire(path: directory + "/x.lock", timeout: 1, what: "the zone")
            }
        }
        // A link planted where the lock file goes is not followed.
        let target = scratch.file("target")
        _ = try scratch.write("target", "keep")
        symlink(target, good + "/planted.lock")
        await #expect(throws: LexiconError.self) {
            _ = try await ZoneLock.acquire(path: good + "/planted.lock", timeout: 1, what: "the zone")
        }
        #expect(try scratch.read("target") == "keep")
    }

    @Test func aSecondWriterWaitsAndThenSaysWhoHoldsTheLock() async throws {
        let scratch = try TemporaryDirectory(prefix: "lexicon-locks")
        defer { scratch.remove() }
        let path = ZoneLock.path(directory: scratch.path, provider: "p", endpoint: "e", zone: "example.com")
        let first = try await ZoneLock.acquire(path: path, timeout: 1, what: "the zone example.com at p")
        do {
            _ = try await ZoneLock.acquire(path: path, timeout: 0.3, what: "the zone example.com at p")
            Issue.record("two writers held the lock")
        } catch let error as LexiconError {
            #expect(error.message.contains("process \(getpid()) still holds its lock"), "\(error)")
        }
        first.release()
        _ = try await ZoneLock.acquire(path: path, timeout: 1, what: "the zone example.com at p")
    }

    @Test func stateDirectoriesOfOthersAreRefused() throws {
        let scratch = try TemporaryDirectory(prefix: "lexicon-state")
        defer { scratch.remove() }
        try FileIO.makeOwnDirectory(scratch.file("new/state"))
        #expect(FileIO.permissions(scratch.file("new/state")) == 0o700)
        let open = scratch.file("open")
        mkdir(open, 0o777)
        chmod(open, 0o777)
        #expect(throws: LexiconError.self) { try FileIO.makeOwnDirectory(open) }
        chmod(open, 0o1777)  // sticky, as /tmp
        try FileIO.makeOwnDirectory(open)
        if geteuid() == 0 {
            let foreign = scratch.file("foreign")
            mkdir(foreign, 0o755)
            chown(foreign, 1, 1)
            #expect(throws: LexiconError.self) { try FileIO.makeOwnDirectory(foreign) }
        }
    }

    @Test func anAtomicRewriteKeepsModeAndOwner() throws {
        let scratch = try TemporaryDirectory(prefix: "lexicon-zone")
        defer { scratch.remove() }
        let path = try scratch.write("zone", "old", mode: 0o640)
        if geteuid() == 0 { chown(path, 1, 1) }
        try FileIO.writeAtomically(path, Array("new".utf8))
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o7777 == 0o640)
        if geteuid() == 0 { #expect(info.st_uid == 1 && info.st_gid == 1) }
        #expect(try scratch.read("zone") == "new")
    }

    @Test func secretFilesOthersCanReadAreNamed() throws {
        let scratch = try TemporaryDirectory(prefix: "lexicon-secret")
        defer { scratch.remove() }
        let open = try scratch.write("key", "k", mode: 0o644)
        let closed = try scratch.write("key2", "k", mode: 0o600)
        #expect(
            FileIO.secretPermissionWarning(open, holding: "a TSIG key")
                == "\(open) holds a TSIG key and is readable by others; run: chmod 600 \(open)")
        #expect(FileIO.secretPermissionWarning(closed) == nil)
    }
}
