import DNSWire
import Foundation
import Lexicon

/// A BIND 9 `named` serving primary zones on a free loopback port from a temporary directory, with TSIG-protected
/// updates (`update-policy grant KEY zonesub ANY`) and transfers, for tests. FACTS.md §2 has the configuration.
public final class BINDServer: @unchecked Sendable {
    /// The key allowed to update and transfer.
    public let key: TSIGKey
    /// The key as `ALG:NAME:SECRET` (the rfc2136 provider's --auth-token).
    public let keyToken: String
    /// A second key, allowed to update but not to transfer (the usual ACME setup), as `ALG:NAME:SECRET`.
    public let updateOnlyKeyToken: String
    /// The key file, as `tsig-keygen` writes it.
    public let keyFile: String
    /// The DNS port on 127.0.0.1.
    public let port: UInt16
    /// The zones served.
    public let zones: [String]
    /// The server's directory.
    public let directory: TemporaryDirectory
    private let process: ServerProcess

    /// The reason BIND tests cannot run here, or nil when its programs are installed.
    public static var missing: String? {
        for tool in ["named", "named-checkconf"] where Testbed.tool(tool) == nil {
            return "\(tool) is not installed (Debian: bind9, bind9-utils)"
        }
        return nil
    }

    /// The server's address for a ``DNSClient`` or `--ddns-server`.
    public var address: DNSServerAddress { DNSServerAddress(host: "127.0.0.1", port: port) }

    /// Starts `named` with the zones and waits until it answers for the first one.
    /// - Parameters:
    ///   - zones: Zone names, without trailing dots.
    ///   - algorithm: The key's algorithm.
    /// - Throws: When `named` is missing, the configuration is rejected, or it does not answer within 30 seconds.
    public init(zones: [String], algorithm: TSIGAlgorithm = .hmacSHA256) async throws {
        if let missing = Self.missing { throw LexiconError(.config, "BIND testbed: \(missing)") }
        self.zones = zones
        directory = try TemporaryDirectory(prefix: "lexicon-bind")
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let keyName = "lexicon-test-key"
        key = TSIGKey(name: try DNSName(keyName), algorithm: algorithm, secret: secret)
        let base64 = Data(secret).base64EncodedString()
        keyToken = "\(algorithm.shortName):\(keyName):\(base64)"
        keyFile = try directory.write(
            "update.key", "key \"\(keyName)\" {\n\talgorithm \(algorithm.shortName);\n\tsecret \"\(base64)\";\n};\n",
            mode: 0o600)
        let updateOnlyName = "lexicon-update-only"
        let updateOnlySecret = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        updateOnlyKeyToken = "\(algorithm.shortName):\(updateOnlyName):\(updateOnlySecret)"
        let updateOnlyKeyFile = try directory.write(
            "update-only.key",
            "key \"\(updateOnlyName)\" {\n\talgorithm \(algorithm.shortName);\n\tsecret \"\(updateOnlySecret)\";\n};\n",
            mode: 0o600)
        var zoneBlocks = ""
        for zone in zones {
            let file = try directory.write(
                "\(zone).db",
                """
                $TTL 300
                @   IN SOA ns1.\(zone). hostmaster.\(zone). ( 2024010101 3600 600 86400 300 )
                    IN NS  ns1.\(zone).
                ns1 IN A   127.0.0.1

                """)
            zoneBlocks += """
                zone "\(zone)" {
                    type primary;
                    file "\(file)";
                    update-policy { grant \(keyName) zonesub ANY; grant \(updateOnlyName) zonesub ANY; };
                    check-integrity no;
                };

                """
        }
        let (scratch, mainKeyFile) = (directory, keyFile)
        let configuration: (UInt16) throws -> String = { port in
            try scratch.write(
                "named.conf",
                """
                include "\(mainKeyFile)";
                include "\(updateOnlyKeyFile)";
                options {
                    directory "\(scratch.path)";
                    pid-file "\(scratch.file("named.pid"))";
                    session-keyfile "\(scratch.file("session.key"))";
                    listen-on port \(port) { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion no;
                    dnssec-validation no;
                    notify no;
                    allow-transfer { key \(keyName); };  // not the update-only key
                };
                controls { };
                \(zoneBlocks)
                """)
        }
        let checked = await CommandRunner.run(
            Testbed.tool("named-checkconf")!, [try configuration(LoopbackPorts.free())])
        guard checked.status == 0 else {
            throw LexiconError(
                .config, "named-checkconf rejected the testbed configuration: \(checked.stdout)\(checked.stderr)")
        }
        let first = try DNSName(zones.first ?? ".")
        // A port free when picked can be taken before named binds it (by another test or program on the machine):
        // named then exits at once, and it gets another port.
        var started: (ServerProcess, UInt16)?
        for attempt in 1...3 {
            let port = LoopbackPorts.free()
            let path = try configuration(port)
            do {
                started = try await ServerStarts.run {
                    let process = try ServerProcess(
                        Testbed.tool("named")!, ["-g", "-c", path], logPath: scratch.file("named.log"))
                    let probe = DNSClient(
                        servers: [DNSServerAddress(host: "127.0.0.1", port: port)], timeout: 0.5, rounds: 1)
                    let ready = await ServerStarts.waitUntilReady(process) {
                        guard let answer = try? await probe.exchange(DNSMessage.query(first, .soa)) else {
                            return false
                        }
                        return answer.rcode == 0
                    }
                    guard ready else {
                        let log = process.log
                        let running = process.isRunning
                        process.stopInBackground {}
                        throw LaunchFailure(
                            // BIND 9.18 logs "address in use" for TCP; for a UDP port another test took, only that
                            // it could not create the interface and listens on none.
                            portTaken: !running
                                && (log.contains("address in use")
                                    || log.contains("unable to listen on any configured interfaces")),
                            message:
                                "named \(running ? "did not answer within 30 s" : "exited while starting"): "
                                + log.split(separator: "\n").suffix(8).joined(separator: " | "))
                    }
                    return (process, port)
                }
                break
            } catch let failure as LaunchFailure {
                guard failure.portTaken && attempt < 3 else {
                    scratch.remove()
                    throw LexiconError(.provider, failure.message)
                }
            }
        }
        guard let started else { throw LexiconError(.provider, "named did not start") }
        (process, port) = started
    }

    /// Why a start failed, and whether another port may help.
    private struct LaunchFailure: Error {
        var portTaken: Bool
        var message: String
    }

    /// What `named` logged so far.
    public var log: String { process.log }

    /// Zone transfers asked of the server so far, served or denied (counted in its log).
    public var transfersRequested: Int {
        log.split(separator: "\n").filter { $0.contains("AXFR started") || $0.contains("/AXFR/IN' denied") }.count
    }

    /// Kills `named` at once, as a crash would.
    public func kill() { process.kill() }

    /// Stops the server and removes its directory, in the background: the caller (a test's `defer`) goes on at once.
    public func stop() {
        let directory = self.directory
        process.stopInBackground { directory.remove() }
    }
}
