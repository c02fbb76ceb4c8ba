import DNSWire
import Lexicon
import LexiconTesting
import Testing

/// The client against scripted servers: silence, truncation, refusals, garbage, and skewed signatures.
@Suite("DNS client faults")
struct DNSClientFaultTests {
    let name = try! DNSName("www.example.test")
    let address = DNSResourceRecord(name: try! DNSName("www.example.test"), type: .a, ttl: 60, rdata: [192, 0, 2, 1])

    @Test func silentServerTimesOutThenTheNextOneAnswers() async throws {
        let silent = try FakeDNSServer { _, _ in nil }
        defer { silent.stop() }
        let good = try FakeDNSServer { [address] request, _ in
            FakeDNSServer.answer(to: request, answers: [address])?.encoded()
        }
        defer { good.stop() }
        let trace = LogLines()
        let client = DNSClient(
            servers: [silent.address, good.address], timeout: 0.3, rounds: 1, logger: trace.logger(level: .info))
        let answer = try await client.exchange(DNSMessage.query(name, .a))
        #expect(answer.answers == [address])
        #expect(silent.received.count == 1)
        #expect(trace.all.contains { $0.contains("\(silent.address) did not answer") })
    }

    @Test func noServerAnsweringIsANetworkErrorNamingThem() async throws {
        let silent = try FakeDNSServer { _, _ in nil }
        defer { silent.stop() }
        let client = DNSClient(servers: [silent.address], timeout: 0.2, rounds: 2)
        do {
            _ = try await client.exchange(DNSMessage.query(name, .a))
            Issue.record("a silent server answered")
        } catch let error as LexiconError {
            #expect(error.code == .network)
            #expect(error.message.contains("\(silent.address) did not answer within"))
        }
        #expect(silent.received.count == 2)
    }

    @Test func truncatedUDPAnswerIsRetriedOverTCP() async throws {
        let server = try FakeDNSServer { [address] request, overTCP in
            guard var message = FakeDNSServer.answer(to: request, answers: overTCP ? [address] : []) else { return nil }
            message.isTruncated = !overTCP
            return message.encoded()
        }
        defer { server.stop() }
        let answer = try await DNSClient(servers: [server.address], timeout: 1).exchange(DNSMessage.query(name, .a))
        #expect(answer.answers == [address])
        #expect(server.received.map(\.overTCP) == [false, true])
    }

    @Test func malformedAnswerMovesOnAndIsReported() async throws {
        let garbage = try FakeDNSServer { request, _ in
            // The right id and the response bit, then a header that promises records that are not there.
            [request[0], request[1], 0x84, 0x00, 0, 1, 0, 5, 0, 0, 0, 0] + Array(request[12...])
        }
        defer { garbage.stop() }
        do {
            _ = try await DNSClient(servers: [garbage.address], timeout: 0.5, rounds: 1).exchange(
                DNSMessage.query(name, .a))
            Issue.record("a malformed answer was accepted")
        } catch let error as LexiconError {
            #expect(error.message.contains("malformed"))
        }
    }

    @Test func strayAnswersWithAnotherIdAreIgnored() async throws {
        let server = try FakeDNSServer { [address] request, _ in
            var wrong = request
            wrong[0] ^= 0xFF
            return FakeDNSServer.answer(to: wrong, answers: [address])?.encoded()
        }
        defer { server.stop() }
        await #expect(throws: LexiconError.self) {
            _ = try await DNSClient(servers: [server.address], timeout: 0.3, rounds: 1).exchange(
                DNSMessage.query(name, .a))
        }
    }

    @Test(arguments: [(DNSRCode.refused, "REFUSED"), (DNSRCode.notAuth, "NOTAUTH")])
    func refusingServersAreAuthenticationErrors(_ rcode: UInt8, _ text: String) async throws {
        let server = try FakeDNSServer { request, _ in FakeDNSServer.answer(to: request, rcode: rcode)?.encoded() }
        defer { server.stop() }
        let answer = try await DNSClient(servers: [server.address], timeout: 1).exchange(DNSMessage.query(name, .a))
        #expect(answer.rcodeName == text)
        let error = DNSClient.refusal(answer.rcodeName, "update in example.test", server.address, keyed: true)
        #expect(error.code.exitStatus == 3)
        #expect(error.message.contains(text))
    }

    @Test func clockSkewedSignedAnswerIsRejected() async throws {
        let key = TSIGKey(name: try DNSName("k"), algorithm: .hmacSHA256, secret: Array("0123456789abcdef".utf8))
        let server = try FakeDNSServer { request, _ in
            guard let (_, record) = try? TSIGSigner.locateTSIG(request),
                let tsig = try? TSIGRecord(rdata: record.rdata),
                let message = FakeDNSServer.answer(to: Array(request), rcode: 0)
            else { return nil }
            var signer = TSIGSigner(key: key)
            signer.now = { tsig.timeSigned + 3600 }
            var unsigned = message
            unsigned.additional = []
            return signer.sign(unsigned.encoded(), requestMAC: tsig.mac).bytes
        }
        defer { server.stop() }
        let client = DNSClient(servers: [server.address], timeout: 1, key: key)
        do {
            _ = try await client.exchange(DNSMessage.query(name, .soa))
            Issue.record("a skewed answer was accepted")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3)
            // 3600 s, or 3599 when the clock ticks between signing and checking.
            #expect(
                error.message.contains("3600 s ahead of our clock")
                    || error.message.contains("3599 s ahead of our clock"))
        }
    }
}
