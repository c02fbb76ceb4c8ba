import Lexicon

/// Edits a BIND master zone file on this machine: the embedded default that needs no account.
///
/// Reads a zone file as BIND's named-checkzone does: `$ORIGIN`, `$TTL`, `$INCLUDE`, `$GENERATE`, `$DATE`, relative
/// and absolute names (in the data of every type too), omitted owner, TTL and class, parentheses, quoted strings,
/// comments, the generic `\#`, `TYPEnn` and `CLASS1` forms, BIND's TTL rules; out-of-zone data is ignored with
/// BIND's warning. Writes change only the lines they must, raise the SOA serial, are atomic, are serialised between
/// processes with a lock on the file, and are refused for a file BIND would not load.
public actor LocalZoneProvider: Provider {
    public static let descriptor = ProviderDescriptor(
        name: "localzone",
        summary: "A BIND master zone file on this machine; no account needed.",
        options: [
            ProviderOption(
                "filename", help: "The zone file to read and edit (BIND master format).", isRequired: true,
                isSecret: false, valueName: "FILE")
        ],
        genericTypes: true, writeShape: .selfGuarded, ownZone: { option in option("filename").flatMap(declaredZone) },
        factory: { try LocalZoneProvider(context: $0) })

    /// The zone a zone file names (its SOA owner, absolute or under `$ORIGIN`); nil when it names none or cannot be
    /// read (loading it then says why).
    static func declaredZone(path: String) -> String? {
        guard FileIO.isFile(path), let bytes = try? FileIO.read(path) else { return nil }
        return try? ZoneFile(path: path, bytes: bytes, zone: "zone-given-by-the-user.invalid").declaredZone
    }

    let context: ProviderContext
    let path: String
    /// The last parse and the file version it came from, so authenticate and list read the file once.
    private var cache: (stamp: FileIO.Stamp, zoneFile: ZoneFile)?

    /// Creates the provider for a zone.
    /// - Parameter context: The zone and options; `filename` is required.
    /// - Throws: ``LexiconError`` `config` when `filename` is not set.
    public init(context: ProviderContext) throws {
        self.context = context
        self.path = try context.requiredOption("filename")
    }

    public func authenticate() async throws {
        let zoneFile = try load()
        let fileZone = zoneFile.declaredZone ?? zoneFile.records.first { $0.record.type == .soa }?.record.name
        if let fileZone, fileZone != context.zone {
            throw LexiconError.domainNotFound(
                context.zone, provider: context.providerName,
                hint: "\(path) is the zone file of \(fileZone) (its SOA owner); pass \(fileZone) as the domain.")
        }
    }

    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        try load().records.map(\.record).filter(filter.matches)
    }

    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("create needs a name and content.")
        }
        let ttl = (input.ttl ?? 0) == 0 ? context.defaultTTL : input.ttl!
        var record = Record(type: input.type, name: name, ttl: ttl, content: content, priority: input.priority)
        try modify { zoneFile in
            let existing = zoneFile.records.map(\.record)
            if existing.contains(where: { $0.sameValue(as: record) }) { return ZoneEdit() }
            try Self.checkConflicts(adding: record, to: existing.filter { $0.name == record.name })
            var edit = ZoneEdit()
            // A set has one TTL: a value joins with the set's, unless a TTL is given, which then the whole set takes.
            if let set = existing.first(where: { $0.type == record.type && $0.name == record.name }),
                (input.ttl ?? 0) == 0
            {
                record.ttl = set.ttl
            }
            edit.inserted.append((zoneFile.insertionPoint(for: name), record))
            return try zoneFile.aligningSetTTLs(edit)
        }
        return true
    }

    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        try modify { zoneFile in
            let existing = zoneFile.records.map(\.record)
            let change = try RecordMatcher.update(
                in: existing, identifier: identifier, input: input, defaultTTL: context.defaultTTL)
            guard change.old.type != .soa else {
                throw LexiconError(.unsupported, "the SOA record is read-only; lexicon raises its serial itself.")
            }
            let index = try editableIndex(of: change.old, in: zoneFile)
            var edit = ZoneEdit()
            if existing.contains(where: { $0.sameValue(as: change.new) && !$0.sameValue(as: change.old) }) {
                edit.removed.insert(index)
            } else {
                let others = existing.filter { $0.name == change.new.name && !$0.sameValue(as: change.old) }
                try Self.checkConflicts(adding: change.new, to: others)
                edit.replaced[index] = change.new
            }
            return try zoneFile.aligningSetTTLs(edit)
        }
        return true
    }

    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        try modify { zoneFile in
            let matches = zoneFile.records.filter { fileRecord in
                if let identifier { return fileRecord.record.id == identifier }
                return filter.matches(fileRecord.record)
            }
            var edit = ZoneEdit()
            for match in matches {
                guard match.record.type != .soa else {
                    throw LexiconError(.unsupported, "the SOA record cannot be deleted.")
                }
                edit.removed.insert(try editableIndex(of: match.record, in: zoneFile))
            }
            try checkApexNS(after: edit, in: zoneFile)
            return edit
        }
        return true
    }

    /// Refuses an edit that removes every NS record of the zone's apex (BIND refuses a zone without one).
    func checkApexNS(after edit: ZoneEdit, in zoneFile: ZoneFile) throws {
        let apexNS = zoneFile.records.filter { $0.record.type == .ns && $0.record.name == context.zone }
        let added = edit.inserted.contains { $0.record.type == .ns && $0.record.name == context.zone }
        if !apexNS.isEmpty && !added && apexNS.allSatisfy({ edit.removed.contains($0.entryIndex ?? -1) }) {
            throw LexiconError.invalidInput(
                "refusing to delete every NS record of \(context.zone); the zone would be invalid.")
        }
    }

    /// Reads and parses the zone file.
    private func load() throws -> ZoneFile {
        guard FileIO.isFile(path) else {
            throw LexiconError(
                .config, "the zone file \(path) does not exist; check --filename (config/example.com.zone is a sample)."
            )
        }
        let stamp = FileIO.stamp(path)
        if let cache, let stamp, cache.stamp == stamp { return cache.zoneFile }
        let zoneFile = try ZoneFile(path: path, bytes: FileIO.read(path), zone: context.zone)
        // A file of another zone is reported by authenticate alone, not by warnings about every record.
        if zoneFile.declaredZone.map({ $0 == context.zone }) ?? true {
            for warning in zoneFile.warnings { context.logger.warning(warning) }
            for problem in zoneFile.problems { context.logger.error("\(problem); BIND refuses to load this zone file") }
        }
        if let stamp { cache = (stamp, zoneFile) }
        return zoneFile
    }

    /// Runs an edit under the file lock: read, change, verify, write atomically. An empty edit writes nothing.
    func modify(_ change: (ZoneFile) throws -> ZoneEdit) throws {
        _ = try load()
        if let mode = FileIO.permissions(path), mode & 0o222 == 0 || !FileIO.isWritable(path) {
            throw LexiconError(
                .config,
                "the zone file \(path) is read-only (mode \(String(mode, radix: 8))); make it writable "
                    + "(chmod u+w) to change it. Nothing was changed.")
        }
        try FileIO.withExclusiveLock(path) {
            let zoneFile = try load()
            // An edit never launders a file BIND would refuse to load.
            if let problem = zoneFile.problems.first {
                throw LexiconError(
                    .config,
                    "\(problem). BIND refuses to load \(path), so lexicon does not edit it; fix the file first. "
                        + "Nothing was changed.")
            }
            let edit = try change(zoneFile)
            guard !edit.isEmpty else { return }
            let serial = zoneFile.serial.map { ZoneFile.nextSerial($0.value) }
            let bytes = zoneFile.apply(edit, serial: serial)
            try zoneFile.verify(bytes, edit: edit, serial: serial)
            try FileIO.writeAtomically(path, bytes)
            context.logger.info("\(path): serial \(serial.map(String.init) ?? "unchanged"), \(bytes.count) bytes")
        }
    }

    /// The zone-file entry of a record, or an error when it lives in an included file.
    func editableIndex(of record: Record, in zoneFile: ZoneFile) throws -> Int {
        guard let fileRecord = zoneFile.records.first(where: { $0.record.sameValue(as: record) }) else {
            throw LexiconError(.notFound, "the record \(record.id) is no longer in \(path).")
        }
        return try editableIndex(of: fileRecord)
    }

    /// The zone-file entry of a record read from the file, or an error when a `$GENERATE` made it or it lives in an
    /// included file.
    func editableIndex(of fileRecord: ZoneFile.FileRecord) throws -> Int {
        let record = fileRecord.record
        if fileRecord.generated {
            throw LexiconError(
                .unsupported,
                "the \(record.type) record \(record.name) is made by the $GENERATE at \(fileRecord.file):"
                    + "\(fileRecord.line); lexicon keeps the directive as written, so edit the directive instead.")
        }
        guard let index = fileRecord.entryIndex else {
            throw LexiconError(
                .unsupported,
                "the \(record.type) record \(record.name) is in the included file \(fileRecord.file); edit it there.")
        }
        return index
    }

    /// CNAME excludes other data at a name (RFC 1034 §3.6.2); BIND refuses such zones.
    static func checkConflicts(adding record: Record, to sameName: [Record]) throws {
        if record.type == .cname, let other = sameName.first {
            throw LexiconError.invalidInput(
                "\(record.name) already has a \(other.type) record; a CNAME cannot share its name with other data.")
        }
        if record.type != .cname, sameName.contains(where: { $0.type == .cname }) {
            throw LexiconError.invalidInput(
                "\(record.name) is a CNAME; it cannot also have a \(record.type) record.")
        }
    }
}
