import Foundation
import Lexicon
import LexiconHTTP

/// Let's Encrypt's test ACME server, `pebble`, on free loopback ports in a temporary directory, for tests: its TLS
/// certificate is made for the run with `openssl` (no key is kept anywhere else), its challenge queries go to the
/// testbed's DNS server, it validates at once (`PEBBLE_VA_NOSLEEP=1`) and never reuses an authorization
/// (`PEBBLE_AUTHZREUSE=0`), so every issuance runs every challenge.
public final class PebbleServer: @unchecked Sendable {
    /// The ACME directory URL (`https://127.0.0.1:PORT/dir`).
    public let directoryURL: String
    /// The management interface (`https://127.0.0.1:PORT`): `/roots/0` is the root that issued certificates chain to.
    public let managementURL: String
    /// The PEM file of pebble's own TLS certificate, for clients to trust (`REQUESTS_CA_BUNDLE`,
    /// `LEGO_CA_CERTIFICATES`, `CURL_CA_BUNDLE`).
    public let tlsCertificate: String
    /// The server's directory.
    public let directory: TemporaryDirectory
    private let process: ServerProcess

    /// The reason pebble tests cannot run here, or nil when its programs are installed.
    public static var missing: String? {
        for tool in ["pebble", "openssl"] where Testbed.tool(tool) == nil {
            return "\(tool) is not installed (Debian: pebble, openssl)"
        }
        return nil
    }

    /// Starts pebble and waits until its ACME directory answers.
    /// - Parameter dnsServer: The DNS server (`HOST:PORT`) pebble asks for the challenges' TXT records.
    /// - Throws: When a program is missing, the certificate cannot be made, or pebble does not answer within 30 s.
    public init(dnsServer: String) async throws {
        if let missing = Self.missing { throw LexiconError(.config, "pebble testbed: \(missing)") }
        directory = try TemporaryDirectory(prefix: "lexicon-pebble")
        tlsCertificate = directory.file("cert.pem")
        let made = await CommandRunner.run(
            Testbed.tool("openssl")!,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", directory.file("key.pem"), "-out", tlsCertificate,
            ])
        guard made.status == 0 else {
            directory.remove()
            throw LexiconError(.config, "openssl could not make pebble's TLS certificate: \(made.stderr)")
        }
        // Pebble rejects 5 % of nonces by default to exercise retries; the clients' own retries are not under test.
        let environment = ["PEBBLE_VA_NOSLEEP=1", "PEBBLE_AUTHZREUSE=0", "PEBBLE_WFE_NONCEREJECT=0"]
        let scratch = directory
        // A port free when picked can be taken before pebble binds it: pebble then exits at once, and gets others.
        var started: (ServerProcess, String, String)?
        for attempt in 1...3 {
            let ports = (0..<4).map { _ in LoopbackPorts.free() }
            let (acme, management) = ("https://127.0.0.1:\(ports[0])", "https://127.0.0.1:\(ports[1])")
            let config = try scratch.write(
                "pebble.json",
                """
                {"pebble": {"listenAddress": "127.0.0.1:\(ports[0])", "managementListenAddress": "127.0.0.1:\(ports[1])",
                 "certificate": "\(scratch.file("cert.pem"))", "privateKey": "\(scratch.file("key.pem"))",
                 "httpPort": \(ports[2]), "tlsPort": \(ports[3]), "ocspResponderURL": "",
                 "externalAccountBindingRequired": false}}

                """)
            let certificate = tlsCertificate
            do {
                started = try await ServerStarts.run {
                    let process = try ServerProcess(
                        "/usr/bin/env",
                        environment + [
                            Testbed.tool("pebble")!, "-config", config, "-dnsserver", dnsServer,
                        ],
                        logPath: scratch.file("pebble.log"))
                    let probe = CurlTransport(configuration: Self.trusting(certificate, timeout: 3))
                    let ready = await ServerStarts.waitUntilReady(process) {
                        (try? await probe.send(HTTPRequest(url: acme + "/dir")))?.status == 200
                    }
                    guard ready else {
                        let log = process.log
                        let running = process.isRunning
                        process.stopInBackground {}
                        throw LaunchFailure(
                            portTaken: !running && log.contains("address already in use"),
                            message: "pebble \(running ? "did not answer within 30 s" : "exited while starting"): "
                                + log.split(separator: "\n").suffix(8).joined(separator: " | "))
                    }
                    return (process, acme, management)
                }
                break
            } catch let failure as LaunchFailure {
                guard failure.portTaken && attempt < 3 else {
                    scratch.remove()
                    throw LexiconError(.provider, failure.message)
                }
            }
        }
        guard let started else { throw LexiconError(.provider, "pebble did not start") }
        let (process, acme, management) = started
        self.process = process
        directoryURL = acme + "/dir"
        managementURL = management
    }

    /// A client configuration that trusts pebble's TLS certificate.
    private static func trusting(_ certificate: String, timeout: Double) -> CurlTransport.Configuration {
        var configuration = CurlTransport.Configuration(
            connectTimeout: min(5, timeout), totalTimeout: timeout, retry: .none)
        configuration.caFile = certificate
        return configuration
    }

    /// Why a start failed, and whether other ports may help.
    private struct LaunchFailure: Error {
        var portTaken: Bool
        var message: String
    }

    /// What pebble logged so far.
    public var log: String { process.log }

    /// The root certificate (PEM) that the certificates pebble issues chain to, from the management interface.
    public func root() async throws -> String {
        let transport = CurlTransport(configuration: Self.trusting(tlsCertificate, timeout: 30))
        let response = try await transport.send(HTTPRequest(url: managementURL + "/roots/0"))
        guard response.status == 200 else {
            throw LexiconError(.provider, "pebble /roots/0: HTTP \(response.status) \(response.text)")
        }
        return response.text
    }

    /// Stops pebble and removes its directory, in the background: the caller (a test's `defer`) goes on at once.
    public func stop() {
        let directory = self.directory
        process.stopInBackground { directory.remove() }
    }
}
