import DNSWire
import Foundation
import Lexicon
import LexiconHTTP

/// A PowerDNS Authoritative server (gsqlite3 backend, HTTP API, RFC 2136) on free loopback ports in a temporary
/// directory, for tests. FACTS.md §1 has the configuration this follows.
public final class PowerDNSServer: @unchecked Sendable {
    /// The API key the server accepts.
    public let apiKey: String
    /// The API's base URL (`http://127.0.0.1:PORT`).
    public let apiURL: String
    /// The DNS port on 127.0.0.1.
    public let dnsPort: UInt16
    /// The TSIG key for RFC 2136 updates and transfers of zones made with ``createZone(_:dnsUpdate:)``.
    public let key: TSIGKey
    /// The key as `ALG:NAME:SECRET` (the rfc2136 provider's --auth-token).
    public let keyToken: String
    /// A second key, allowed to update zones made with ``createZone(_:dnsUpdate:)`` but not to transfer them (the
    /// usual ACME setup), as `ALG:NAME:SECRET`.
    public let updateOnlyKeyToken: String
    /// The server's directory.
    public let directory: TemporaryDirectory
    private var process: ServerProcess
    // Generous: on a busy machine a zone creation (a database write) can take seconds.
    private let transport = CurlTransport(configuration: .init(connectTimeout: 5, totalTimeout: 30, retry: .none))

    /// The reason PowerDNS tests cannot run here, or nil when its programs are installed.
    public static var missing: String? {
        for tool in ["pdns_server", "pdnsutil", "sqlite3"] where Testbed.tool(tool) == nil {
            return "\(tool) is not installed (Debian: pdns-server, pdns-backend-sqlite3, sqlite3)"
        }
        if !FileManager.default.fileExists(atPath: schemaPath) {
            return "the gsqlite3 schema is missing (pdns-backend-sqlite3)"
        }
        return nil
    }

    static let schemaPath = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql"

    /// Starts a server and waits until its API answers.
    /// - Throws: When a program is missing or the server does not come up within 30 seconds of its start (with its
    ///   log).
    public init() async throws {
        if let missing = Self.missing { throw LexiconError(.config, "PowerDNS testbed: \(missing)") }
        directory = try TemporaryDirectory(prefix: "lexicon-pdns")
        apiKey = "testbed-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        key = TSIGKey(name: try DNSName("lexicon-pdns-key"), algorithm: .hmacSHA256, secret: secret)
        keyToken = "hmac-sha256:lexicon-pdns-key:\(Data(secret).base64EncodedString())"
        let updateOnlySecret = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        updateOnlyKeyToken = "hmac-sha256:lexicon-update-only:\(updateOnlySecret)"
        let database = directory.file("pdns.sqlite3")
        // One transaction without syncing: a statement each with its own fsync took seconds on a busy disk.
        let created = await CommandRunner.run(
            "/bin/sh",
            [
                "-c",
                "{ echo 'PRAGMA synchronous=OFF; BEGIN;'; cat '\(Self.schemaPath)'; echo 'COMMIT;'; } | sqlite3 '\(database)'",
            ])
        guard created.status == 0 else {
            throw LexiconError(.config, "cannot create the PowerDNS database: \(created.stderr)")
        }
        // A port free when picked can be taken before the server binds it (by another test run on the machine):
        // then the server exits at once, and it gets other ports.
        var started: (process: ServerProcess, dnsPort: UInt16, apiURL: String)?
        for attempt in 1...3 {
            let (dnsPort, apiPort) = (LoopbackPorts.free(), LoopbackPorts.free())
            let apiURL = "http://127.0.0.1:\(apiPort)"
            try Self.configure(directory, database: database, dnsPort: dnsPort, apiPort: apiPort, apiKey: apiKey)
            do {
                started = (
                    try await Self.launch(directory, apiURL: apiURL, apiKey: apiKey, dnsPort: dnsPort), dnsPort, apiURL
                )
                break
            } catch let failure as LaunchFailure {
                guard failure.portTaken && attempt < 3 else {
                    directory.remove()
                    throw failure.error
                }
            }
        }
        guard let started else { throw LexiconError(.provider, "PowerDNS did not start") }
        (process, dnsPort, apiURL) = started
        for token in [keyToken, updateOnlyKeyToken] {
            let parts = token.split(separator: ":")
            let imported = try await api(
                "POST", "/api/v1/servers/localhost/tsigkeys",
                json: #"{"name": "\#(parts[1])", "algorithm": "hmac-sha256", "key": "\#(parts[2])"}"#)
            guard imported.status == 201 else {
                stop()
                throw LexiconError(.provider, "cannot import the TSIG key: HTTP \(imported.status) \(imported.text)")
            }
        }
    }

    /// Writes pdns.conf for the ports.
    private static func configure(
        _ directory: TemporaryDirectory, database: String, dnsPort: UInt16, apiPort: UInt16, apiKey: String
    ) throws {
        try directory.write(
            "pdns.conf",
            """
            launch=gsqlite3
            gsqlite3-database=\(database)
            local-address=127.0.0.1
            local-port=\(dnsPort)
            socket-dir=\(directory.path)
            api=yes
            api-key=\(apiKey)
            webserver=yes
            webserver-address=127.0.0.1
            webserver-port=\(apiPort)
            webserver-allow-from=127.0.0.0/8
            daemon=no
            guardian=no
            disable-syslog=yes
            security-poll-suffix=
            dnsupdate=yes
            allow-dnsupdate-from=127.0.0.0/8
            primary=yes
            loglevel=4

            """)
    }

    /// Why a launch failed; `portTaken` when the server exited because a port was in use.
    private struct LaunchFailure: Error {
        var error: LexiconError
        var portTaken: Bool
    }

    /// Starts pdns_server (a few servers at a time, see ``ServerStarts``) and waits until its API answers.
    private static func launch(_ directory: TemporaryDirectory, apiURL: String, apiKey: String, dnsPort: UInt16)
        async throws -> ServerProcess
    {
        try await ServerStarts.run {
            // pdns_server with guardian=no ignores SIGTERM: no grace before SIGKILL.
            let process = try ServerProcess(
                Testbed.tool("pdns_server")!, ["--config-dir=\(directory.path)"], logPath: directory.file("pdns.log"),
                grace: 0)
            let probe = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 2, retry: .none))
            let request = HTTPRequest(
                url: apiURL + "/api/v1/servers/localhost", headers: [HTTPHeader("X-API-Key", apiKey)])
            let ready = await ServerStarts.waitUntilReady(process) {
                (try? await probe.send(request))?.status == 200
            }
            guard ready else {
                // One line, so a test report shows why (a port taken, a bad setting).
                let log = process.log
                let exited = !process.isRunning
                process.stopInBackground()
                let what = exited ? "exited while starting" : "did not answer within 30 s"
                let tail = log.split(separator: "\n").suffix(8).joined(separator: " | ")
                throw LaunchFailure(
                    error: LexiconError(
                        .provider, "PowerDNS \(what) (DNS port \(dnsPort), API \(apiURL)): \(tail)"),
                    portTaken: exited && log.contains("Address already in use"))
            }
            return process
        }
    }

    /// Kills the server at once (SIGKILL), as a crash would; its database stays for ``restart()``.
    public func kill() { process.kill() }

    /// Starts the server again on the same ports and database, after ``kill()``.
    public func restart() async throws {
        await process.terminate()
        do {
            process = try await Self.launch(directory, apiURL: apiURL, apiKey: apiKey, dnsPort: dnsPort)
        } catch let failure as LaunchFailure {
            throw failure.error
        }
    }

    /// Calls the API with the key.
    public func api(_ method: String, _ path: String, json: String? = nil) async throws -> HTTPResponse {
        var headers = [HTTPHeader("X-API-Key", apiKey)]
        if json != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        return try await transport.send(
            HTTPRequest(method: method, url: apiURL + path, headers: headers, body: json.map { Array($0.utf8) }))
    }

    /// Creates a zone with an SOA, an NS and the NS's address.
    /// - Parameters:
    ///   - name: The zone, without the trailing dot.
    ///   - dnsUpdate: Whether ``key`` may update (RFC 2136) and transfer the zone, and the update-only key update it.
    public func createZone(_ name: String, dnsUpdate: Bool = false) async throws {
        let body = """
            {"name": "\(name).", "kind": "Master", "nameservers": ["ns1.\(name)."],
             "rrsets": [{"name": "ns1.\(name).", "type": "A", "ttl": 300, "changetype": "REPLACE",
                         "records": [{"content": "127.0.0.1", "disabled": false}]}]}
            """
        let response = try await api("POST", "/api/v1/servers/localhost/zones", json: body)
        guard response.status == 201 else {
            throw LexiconError(.provider, "cannot create zone \(name): HTTP \(response.status) \(response.text)")
        }
        guard dnsUpdate else { return }
        // The API refuses TSIG-ALLOW-AXFR; pdnsutil sets it (signed transfers need it).
        let allowed = await CommandRunner.run(
            Testbed.tool("pdnsutil")!,
            ["--config-dir=\(directory.path)", "set-meta", name, "TSIG-ALLOW-AXFR", "lexicon-pdns-key"])
        guard allowed.status == 0 else {
            throw LexiconError(.provider, "pdnsutil set-meta TSIG-ALLOW-AXFR failed: \(allowed.stderr)")
        }
        for kind in ["TSIG-ALLOW-DNSUPDATE"] {
            let set = try await api(
                "PUT", "/api/v1/servers/localhost/zones/\(name)./metadata/\(kind)",
                json: #"{"metadata": ["lexicon-pdns-key", "lexicon-update-only"]}"#)
            guard set.status == 200 else {
                throw LexiconError(.provider, "cannot set \(kind) on \(name): HTTP \(set.status) \(set.text)")
            }
        }
    }

    /// Stops the server and removes its directory, in the background: the caller (a test's `defer`) goes on at once.
    public func stop() {
        let directory = self.directory
        process.stopInBackground { directory.remove() }
    }
}
