import Foundation
import Lexicon
import LexiconTesting
import Testing

@testable import LexiconProviders

/// localzone against BIND: every file is read by lexicon and by `named-checkzone -D`, whose canonical dump (absolute
/// names, one TTL and class on every line) is read back and must hold exactly the records lexicon lists; a file BIND
/// refuses, lexicon must refuse to edit.
@Suite("localzone against named-checkzone")
struct LocalZoneDifferentialTests {
    /// A zone file for the comparison, with the files it includes (`$INCLUDE {DIR}name` includes the one named `name`).
    struct Case: Sendable {
        var zone: String
        var text: String
        var includes: [String: String] = [:]
        /// Whether BIND loads it.
        var valid = true
    }

    @Test func handWrittenFiles() async throws {
        try await Self.compare(ZoneFileSamples.valid + ZoneFileSamples.invalid, label: "hand-written", seed: nil)
    }

    @Test func randomFiles() async throws {
        let seed =
            ProcessInfo.processInfo.environment["LEXICON_ZONE_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64.max)
        var generator = ZoneFileGenerator(seed: seed)
        let cases = (0..<60).map { _ in generator.validFile() } + (0..<30).map { _ in generator.invalidFile() }
        try await Self.compare(cases, label: "random", seed: seed)
    }

    /// Runs named-checkzone on every case in one shell, then compares file by file.
    static func compare(_ cases: [Case], label: String, seed: UInt64?) async throws {
        guard let checker = Testbed.tool("named-checkzone") else {
            if Testbed.isRequired { Issue.record("named-checkzone is missing (install bind9-utils/bind9-dnsutils)") }
            return
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let seedNote = seed.map { " (seed \($0): rerun with LEXICON_ZONE_SEED=\($0))" } ?? ""
        var script = ""
        for (index, zoneCase) in cases.enumerated() {
            let prefix = directory.file("f\(index)-")
            for (name, text) in zoneCase.includes {
                try directory.write("f\(index)-\(name)", text.replacingOccurrences(of: "{DIR}", with: prefix))
            }
            try directory.write("f\(index).db", zoneCase.text.replacingOccurrences(of: "{DIR}", with: prefix))
            let file = directory.file("f\(index)")
            script += "'\(checker)' -D -o '\(file).out' '\(zoneCase.zone)' '\(file).db' >'\(file).log' 2>&1; "
            script += "echo $? >'\(file).rc'\n"
        }
        let run = await CommandRunner.run("/bin/sh", ["-c", script])
        #expect(run.status == 0, "\(run.stderr)")
        var records = 0
        var mismatches = 0
        for (index, zoneCase) in cases.enumerated() {
            let file = directory.file("f\(index)")
            let bindLoads = (try? directory.read("f\(index).rc"))?.hasPrefix("0") == true
            let log = (try? directory.read("f\(index).log")) ?? ""
            let ours = try? ZoneFile(
                path: file + ".db", bytes: FileIO.read(file + ".db"), zone: zoneName(zoneCase.zone))
            let oursLoads = ours.map { $0.problems.isEmpty } ?? false
            let context = "\(label) file \(index)\(seedNote), zone \(zoneCase.zone):\n\(zoneCase.text)\nBIND: \(log)"
            guard zoneCase.valid else {
                #expect(!bindLoads, "BIND loads a file meant to be invalid: \(context)")
                #expect(!oursLoads, "lexicon would edit a file BIND refuses: \(context)")
                if bindLoads || oursLoads { mismatches += 1 }
                continue
            }
            #expect(bindLoads, "BIND refuses a file meant to be valid: \(context)")
            #expect(oursLoads, "lexicon refuses a file BIND loads: \(ours?.problems ?? []) \(context)")
            guard bindLoads, let ours else {
                mismatches += 1
                continue
            }
            let dump = try ZoneFile(
                path: file + ".out", bytes: FileIO.read(file + ".out"), zone: zoneName(zoneCase.zone))
            let expected = dump.records.map { key($0.record) }.sorted()
            let actual = ours.records.map { key($0.record) }.sorted()
            records += expected.count
            if expected != actual {
                mismatches += 1
                let missing = expected.filter { !actual.contains($0) }
                let extra = actual.filter { !expected.contains($0) }
                Issue.record("records differ: BIND has \(missing), lexicon has \(extra) in \(context)")
            }
        }
        print(
            "localzone against named-checkzone, \(label): \(cases.count) files compared, \(records) records compared, "
                + "\(mismatches) mismatches\(seedNote)")
    }

    static func zoneName(_ zone: String) -> String {
        zone == "." ? "." : String(zone.lowercased().dropLast(zone.hasSuffix(".") ? 1 : 0))
    }

    static func key(_ record: Record) -> String {
        "\(record.name) \(record.ttl) \(record.type) \(record.priority.map(String.init) ?? "-") \(record.content)"
    }
}
