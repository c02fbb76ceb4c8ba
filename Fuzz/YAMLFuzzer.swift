// libFuzzer entry point for the YAML layer: libyaml's events into YAMLNode, YAMLDecoder into the shapes of the
// project's config files (dyndns jobs, failover pools), and lexicon.yml / lexicon_<provider>.yml through
// FileConfigSource. Every input must decode or fail with an error naming a line within the text, never trap.
// Built and run by `scripts/fuzz yaml`, which compiles this file with the Lexicon core and LexiconYAML.

#if canImport(Glibc)
    import Glibc
#endif

/// The shape of `lexicon dyndns`'s file (Sources/LexiconActions/DynamicIP/DynDNSConfig.swift).
struct DynDNSShape: Decodable {
    struct Job: Decodable {
        var provider: String
        var domain: String
        var name: String
        var type: String
        var detect: [String]?
        var quorum: Int?
        var allow_nonpublic: Bool?
        var options: [String: String]?
        var hook: String?
    }
    var interval: Int?
    var state_dir: String?
    var jobs: [Job]
}

/// The shape of `lexicon failover`'s file (Sources/LexiconActions/Failover/FailoverConfig.swift).
struct FailoverShape: Decodable {
    struct Check: Decodable {
        var kind: String
        var port: Int?
        var path: String?
        var method: String?
        var host: String?
        var expect: [Int]?
        var body: String?
        var tls_verify: Bool?
        var ca_file: String?
        var command: String?
        var timeout: Double?
        var connect_timeout: Double?
    }
    struct Pool: Decodable {
        var provider: String
        var domain: String
        var name: String
        var type: String
        var ttl: Int?
        var addresses: [String]
        var check: Check
        var fall: Int?
        var rise: Int?
        var min_healthy: Int?
        var max_removals_per_round: Int?
        var options: [String: String]?
        var hook: String?
    }
    var interval: Double?
    var concurrency: Int?
    var resync: Double?
    var state_file: String?
    var hook: String?
    var pools: [Pool]
}

/// Every scalar type the decoder reads, optional so that most documents get past the first key.
struct Scalars: Decodable {
    var b: Bool?
    var i: Int?
    var i8: Int8?
    var u8: UInt8?
    var u64: UInt64?
    var d: Double?
    var f: Float?
    var s: String?
    var list: [[Int?]]?
    var map: [String: [String: Double]]?
}

let yamlPath: String = {
    var template = Array("/tmp/lexicon-fuzz-yaml-XXXXXX".utf8CString)
    let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    return directory + "/lexicon.yml"
}()

/// Visits at most `budget` nodes (aliases share subtrees, so a document can name far more nodes than it holds).
func walk(_ node: YAMLNode, lines: Int, budget: inout Int) {
    guard budget > 0 else { return }
    budget -= 1
    require(node.line >= 1 && node.line <= lines + 1, "node line \(node.line) outside the \(lines)-line text")
    _ = node.kindDescription
    _ = node.isNull
    for entry in node.mappingEntries ?? [] {
        walk(entry.key, lines: lines, budget: &budget)
        walk(entry.value, lines: lines, budget: &budget)
        _ = node[entry.key.scalarValue ?? ""]
    }
    for item in node.sequenceItems ?? [] { walk(item, lines: lines, budget: &budget) }
}

/// Writes a file without the fsyncs of FileIO.writeAtomically, which would slow every run.
func writeFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    require(fd >= 0, "cannot write \(path)")
    bytes.withUnsafeBytes { require(write(fd, $0.baseAddress, $0.count) == $0.count, "cannot write \(path)") }
    close(fd)
}

/// The lines of a text as libyaml counts them: LF, CR, CR LF, NEL, LS and PS each end one.
func yamlLines(_ text: String) -> Int {
    var count = 1
    var previous: Unicode.Scalar?
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": if previous != "\r" { count += 1 }
        case "\r", "\u{85}", "\u{2028}", "\u{2029}": count += 1
        default: break
        }
        previous = scalar
    }
    return count
}

func checkLine(_ error: YAMLError, lines: Int) {
    if let line = error.line {
        require(line >= 1 && line <= lines + 1, "error line \(line) outside the \(lines)-line text: \(error)")
    }
    _ = error.description
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = yamlLines(text)
    let root: YAMLNode?
    do {
        root = try YAMLParser.parse(text, file: "fuzz.yml")
    } catch {
        checkLine(error, lines: lines)
        return 0
    }
    if let root {
        var budget = 10_000
        walk(root, lines: lines, budget: &budget)
        _ = root.descendant(at: ["pools", "0", "check"])
        _ = root.descendant(at: ["jobs", "1", "options", "x"])
    }
    for policy in [YAMLDecoder.UnknownKeyPolicy.reject, .ignore] {
        let decoder = YAMLDecoder(unknownKeys: policy)
        do { _ = try decoder.decode(DynDNSShape.self, from: root, file: "dyndns.yml") } catch {
            checkLine(error, lines: lines)
        }
        do { _ = try decoder.decode(FailoverShape.self, from: root, file: "failover.yml") } catch {
            checkLine(error, lines: lines)
        }
        do { _ = try decoder.decode(Scalars.self, from: root, file: "scalars.yml") } catch {
            checkLine(error, lines: lines)
        }
        do { _ = try decoder.decode([String: String].self, from: root, file: "map.yml") } catch {
            checkLine(error, lines: lines)
        }
        do { _ = try decoder.decode([String].self, from: root, file: "list.yml") } catch {
            checkLine(error, lines: lines)
        }
    }
    // lexicon.yml and lexicon_<provider>.yml read from a file, as the CLI reads them.
    writeFile(yamlPath, bytes)
    for provider in [nil, "cloudflare"] as [String?] {
        if let source = try? FileConfigSource(path: yamlPath, provider: provider) {
            _ = source.entries
            try? source.validate(providers: ["cloudflare", "localzone"])
            _ = source.holdsSecret
        }
    }
    return 0
}

/// A check that says what failed in optimised builds too (where `precondition` drops its message).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
