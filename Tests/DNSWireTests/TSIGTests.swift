import DNSWire
import Foundation
import Testing

@Suite("TSIG")
struct TSIGTests {
    let key = TSIGKey(name: try! DNSName("update-key"), algorithm: .hmacSHA256, secret: Array("0123456789abcdef".utf8))

    @Test func signedRequestCarriesAVerifiableRecord() throws {
        var signer = TSIGSigner(key: key)
        signer.now = { 1_700_000_000 }
        let query = DNSMessage.query(try DNSName("example.test"), .soa, id: 42).encoded()
        let (bytes, mac) = signer.sign(query)
        let message = try DNSMessage(decoding: bytes)
        let tsig = try #require(message.tsig)
        let record = try TSIGRecord(rdata: tsig.rdata)
        #expect(tsig.name == key.name && tsig.dnsClass == 255)
        #expect(record.timeSigned == 1_700_000_000 && record.fudge == 300 && record.originalID == 42)
        #expect(record.mac == mac && mac.count == 32)
    }

    /// A "server" signs an answer with the request's MAC; the client verifies it, and rejects tampering and skew.
    @Test func answerVerificationChecksMACAndTime() throws {
        var client = TSIGSigner(key: key)
        client.now = { 1_700_000_000 }
        let (_, requestMAC) = client.sign(DNSMessage.query(try DNSName("example.test"), .soa, id: 9).encoded())
        var response = DNSMessage.query(try DNSName("example.test"), .soa, id: 9)
        response.isResponse = true
        var server = TSIGSigner(key: key)
        server.now = { 1_700_000_010 }
        let (signed, _) = server.sign(response.encoded(), requestMAC: requestMAC)
        #expect(throws: Never.self) { try client.verify(signed, priorMAC: requestMAC) }

        var tampered = signed
        tampered[3] ^= 0x01
        #expect(throws: TSIGSigner.Failure.badAnswerSignature) { try client.verify(tampered, priorMAC: requestMAC) }

        server.now = { 1_700_000_000 + 900 }
        let (late, _) = server.sign(response.encoded(), requestMAC: requestMAC)
        #expect(throws: TSIGSigner.Failure.answerClockSkew(skew: 900)) { try client.verify(late, priorMAC: requestMAC) }

        let other = TSIGSigner(key: TSIGKey(name: key.name, algorithm: .hmacSHA256, secret: Array("other".utf8)))
        let (forged, _) = other.sign(response.encoded(), requestMAC: requestMAC)
        #expect(throws: TSIGSigner.Failure.badAnswerSignature) { try client.verify(forged, priorMAC: requestMAC) }
        #expect(throws: TSIGSigner.Failure.unsigned) { try client.verify(response.encoded(), priorMAC: requestMAC) }
    }

    @Test func keyFormsParse() throws {
        let token = try TSIGKey(token: "HMAC-SHA512:My-Key:" + Data("secret".utf8).base64EncodedString())
        #expect(token.algorithm == .hmacSHA512 && token.name.bare == "my-key" && token.secret == Array("secret".utf8))
        #expect(try TSIGKey(token: "hmac-md5:k:c2VjcmV0").algorithm == .hmacMD5)
        let file = """
            # made by tsig-keygen
            key "ddns-key.example" {
            \talgorithm hmac-sha384;
            \tsecret "c2VjcmV0";
            };
            """
        let parsed = try TSIGKey(keyFile: file, path: "/etc/ddns.key")
        #expect(parsed.name.bare == "ddns-key.example" && parsed.algorithm == .hmacSHA384)
        #expect(!"\(parsed)".contains("c2VjcmV0"))
    }

    @Test func badKeysSayWhatIsWrongWithoutTheSecret() {
        for (token, expected) in [
            ("hmac-sha256:key", "ALGORITHM:KEYNAME:SECRET"), ("hmac-sha999:key:c2VjcmV0", "unknown TSIG algorithm"),
            ("hmac-sha256:key:not*base64!", "not base64"),
        ] {
            do {
                _ = try TSIGKey(token: token)
                Issue.record("\(token) was accepted")
            } catch {
                #expect(error.message.contains(expected))
                #expect(!error.message.contains("not*base64!"))
            }
        }
        #expect(throws: DNSWireError.self) { try TSIGKey(keyFile: "options { };", path: "x.key") }
    }
}
