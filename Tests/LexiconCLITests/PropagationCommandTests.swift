import DNSWire
import Foundation
import Lexicon
import LexiconTesting
import Testing

/// The DNS commands as a user runs them: rfc2136 with `--wait`, `wait-propagation`, `--resolve-zone-name`, `auto`.
@Suite("propagation and discovery from the command line")
struct PropagationCommandTests {
    func bind(_ zones: [String]) async throws -> BINDServer? {
        if let missing = BINDServer.missing {
            if Testbed.isRequired { Issue.record("BIND testbed required but \(missing)") }
            return nil
        }
        return try await BINDServer(zones: zones)
    }

    func lexicon(_ arguments: [String]) async -> CommandRunner.Result {
        await CommandRunner.run(Testbed.lexiconBinary, arguments)
    }

    @Test func createWithWaitReturnsOnceEveryServerServesTheValue() async throws {
        guard let server = try await bind(["wait.example"]) else { return }
        defer { server.stop() }
        let result = await lexicon([
            "rfc2136", "create", "wait.example", "TXT", "--name", "_acme-challenge", "--content", "token-1",
            "--ddns-server", server.address.description, "--auth-key-file", server.keyFile, "--wait",
            "--nameserver", server.address.description, "--wait-timeout", "10", "--log-level", "INFO",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("True\n"))
        #expect(result.stderr.contains("the authoritative server serves the value (after "), "\(result.stderr)")
        #expect(result.duration < 10)
        let check = await lexicon([
            "wait-propagation", "_acme-challenge.wait.example", "TXT", "token-1", "--nameserver",
            server.address.description, "--timeout", "5",
        ])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("_acme-challenge.wait.example TXT served on 1 authoritative server ("))
        #expect(check.stdout.hasSuffix(" s\n"), "the real elapsed time: \(check.stdout)")
    }

    @Test func waitTimesOutNamingTheLaggingServer() async throws {
        guard let server = try await bind(["lag.example"]) else { return }
        defer { server.stop() }
        let result = await lexicon([
            "wait-propagation", "_acme-challenge.lag.example", "TXT", "never-there", "--nameserver",
            server.address.description, "--timeout", "1.5", "--interval", "0.5",
        ])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "not every authoritative server of _acme-challenge.lag.example serves \"never-there\""))
        #expect(result.stderr.contains("\(server.address) answers nothing"))
        // Progress shows while it waits, without --log-level.
        #expect(
            result.stderr.contains("round 1, ") && result.stderr.contains(" s: waiting for 1 of 1 server ("),
            "\(result.stderr)")
    }

    @Test func waitingStopsAtOnceWhenNoServerServesTheZone() async throws {
        guard let server = try await bind(["served.example"]) else { return }
        defer { server.stop() }
        let result = await lexicon([
            "wait-propagation", "_acme-challenge.elsewhere.example", "TXT", "v", "--nameserver",
            server.address.description, "--timeout", "30",
        ])
        #expect(result.status == 1)
        #expect(result.duration < 10, "it waited \(result.duration) s for a zone nobody serves")
        #expect(
            result.stderr.contains("no authoritative server of _acme-challenge.elsewhere.example serves its zone"),
            "\(result.stderr)")
    }

    @Test func aWaitThatFailsAfterTheChangeSaysTheChangeWasMade() async throws {
        guard let server = try await bind(["made.example"]) else { return }
        defer { server.stop() }
        let silent = "127.0.0.1:\(LoopbackPorts.free())"
        let result = await lexicon([
            "rfc2136", "create", "made.example", "TXT", "--name", "_acme-challenge", "--content", "v",
            "--ddns-server", server.address.description, "--auth-token", server.keyToken, "--wait",
            "--nameserver", silent, "--wait-timeout", "1", "--wait-interval", "0.5",
        ])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains("rfc2136: the create was made, but the wait for it failed"), "\(result.stderr)")
        let served = await lexicon([
            "wait-propagation", "_acme-challenge.made.example", "TXT", "v", "--nameserver",
            server.address.description, "--timeout", "5",
        ])
        #expect(served.status == 0, "the change is there: \(served.stderr)")
    }

    @Test func deleteWithWaitWaitsForTheValueToGo() async throws {
        guard let server = try await bind(["gone.example"]) else { return }
        defer { server.stop() }
        let common = [
            "--ddns-server", server.address.description, "--auth-token", server.keyToken, "--nameserver",
            server.address.description, "--wait-timeout", "10",
        ]
        #expect(
            await lexicon(["rfc2136", "create", "gone.example", "TXT", "--name", "x", "--content", "v"] + common).status
                == 0)
        let deleted = await lexicon(
            ["rfc2136", "delete", "gone.example", "TXT", "--name", "x", "--content", "v", "--wait"] + common)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let absent = await lexicon([
            "wait-propagation", "x.gone.example", "TXT", "--absent", "--nameserver", server.address.description,
            "--timeout", "3",
        ])
        #expect(absent.status == 0, "\(absent.stderr)")
    }

    @Test func cnameAtAcmeChallengeIsFollowedUnlessTurnedOff() async throws {
        guard let server = try await bind(["cname.example"]) else { return }
        defer { server.stop() }
        let dns = ["--ddns-server", server.address.description, "--auth-token", server.keyToken]
        let cname = await lexicon(
            [
                "rfc2136", "create", "cname.example", "CNAME", "--name", "_acme-challenge.www", "--content",
                "www.validation.cname.example",
            ] + dns)
        #expect(cname.status == 0, "\(cname.stderr)")
        let txt = await lexicon(
            ["rfc2136", "create", "cname.example", "TXT", "--name", "www.validation", "--content", "delegated"] + dns)
        #expect(txt.status == 0, "\(txt.stderr)")
        let check = ["--resolver", server.address.description, "--nameserver", server.address.description]
        let followed = await lexicon(
            ["wait-propagation", "_acme-challenge.www.cname.example", "TXT", "delegated", "--log-level", "INFO"]
                + check)
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(followed.stderr.contains("is a CNAME to www.validation.cname.example"))
        let notFollowed = await lexicon(
            [
                "wait-propagation", "_acme-challenge.www.cname.example", "TXT", "delegated", "--no-follow-cname",
                "--timeout", "1", "--interval", "0.5",
            ] + check)
        #expect(notFollowed.status == 1)
    }

    @Test func discoveryFindsTheZoneAndItsNameservers() async throws {
        guard let server = try await bind(["sub.delegated.example"]) else { return }
        defer { server.stop() }
        let finder = ZoneFinder(resolver: DNSClient(servers: [server.address], timeout: 2))
        #expect(try await finder.zone(of: DNSName("a.b.sub.delegated.example")).bare == "sub.delegated.example")
        let nameservers = try await finder.nameservers(of: DNSName("sub.delegated.example"))
        #expect(nameservers.map(\.name.bare) == ["ns1.sub.delegated.example"])
        #expect(nameservers[0].addresses == [DNSServerAddress(host: "127.0.0.1", port: 53)])

        // --resolve-zone-name: the zone is found by SOA queries, not by the public suffix list.
        let created = await lexicon([
            "rfc2136", "create", "host.sub.delegated.example", "A", "--name", "host", "--content", "192.0.2.9",
            "--resolve-zone-name", "--resolver", server.address.description, "--ddns-server",
            server.address.description, "--auth-token", server.keyToken,
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let answer = try await DNSClient(servers: [server.address]).exchange(
            DNSMessage.query(DNSName("host.sub.delegated.example"), .a))
        #expect(answer.answers.map(\.rdataText) == ["192.0.2.9"])
    }

    @Test func autoSaysWhichNameserversMatchedNothing() async throws {
        guard let server = try await bind(["auto.example"]) else { return }
        defer { server.stop() }
        let result = await lexicon(["auto", "list", "auto.example", "TXT", "--resolver", server.address.description])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("auto: no provider's nameservers match those of auto.example (ns1.auto.example)"))
    }
}
