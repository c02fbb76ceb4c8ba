import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// What this host last published for one record (and family), and any hold on sending to it, kept in the state
/// directory as `<fqdn>-<TYPE>.state` (address, time, action) and `<fqdn>-<TYPE>.hold` (until, fingerprint,
/// reason). Without a directory nothing is kept.
struct RecordState {
    /// A hold: no request before `until` (0: until the settings' fingerprint changes).
    struct Hold {
        var until: Int
        var fingerprint: String
        var reason: String
        /// The category of the answer that caused it (`authentication` after badauth), so a held run keeps its status.
        var code: String = "provider"
    }

    let directory: String?
    let key: String

    /// The state of a record; `type` is `A`, `AAAA` or `A+AAAA`.
    init(directory: String?, fqdn: String, type: String) {
        self.directory = directory
        key = "\(fqdn.lowercased())-\(type.uppercased())"
    }

    private func lines(_ suffix: String) -> [String]? {
        guard let directory, let bytes = try? FileIO.read("\(directory)/\(key).\(suffix)") else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private func write(_ suffix: String, _ lines: [String]) throws {
        guard let directory else { return }
        try FileIO.makeOwnDirectory(directory)
        try FileIO.writeAtomically("\(directory)/\(key).\(suffix)", Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// The last published value, when, and what was done.
    var published: (value: String, time: Int?, action: String?)? {
        guard let lines = lines("state"), let value = lines.first else { return nil }
        return (value, lines.count > 1 ? Int(lines[1]) : nil, lines.count > 2 ? lines[2] : nil)
    }

    /// Records a value as published now.
    func record(_ value: String, action: String) throws {
        try write("state", [value, String(Int(time(nil))), action])
    }

    /// The hold on this record, if any.
    var hold: Hold? {
        guard let lines = lines("hold"), lines.count > 2, let until = Int(lines[0]) else { return nil }
        return Hold(
            until: until, fingerprint: lines[1], reason: lines[2], code: lines.count > 3 ? lines[3] : "provider")
    }

    /// Holds further requests for `seconds` (0: until the settings change).
    func setHold(seconds: Int, fingerprint: String, reason: String, code: String = "provider") {
        try? write("hold", [String(seconds == 0 ? 0 : Int(time(nil)) + seconds), fingerprint, reason, code])
    }

    /// Lifts the hold.
    /// The hold file's path, when there is a state directory.
    var holdPath: String? { directory.map { "\($0)/\(key).hold" } }

    func clearHold() {
        if let directory { unlink("\(directory)/\(key).hold") }
    }
}
