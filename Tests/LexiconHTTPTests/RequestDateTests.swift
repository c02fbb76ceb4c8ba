import LexiconHTTP
import Testing

@Suite("RequestDate")
struct RequestDateTests {
    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT", "19700101T000000Z"),
        (1_440_938_160, "Sun, 30 Aug 2015 12:36:00 GMT", "20150830T123600Z"),
        (1_796_137_149, "Tue, 01 Dec 2026 14:59:09 GMT", "20261201T145909Z"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT", "20000229T000000Z"),
    ])
    func formats(seconds: Int, rfc1123: String, compact: String) {
        #expect(RequestDate.rfc1123(seconds) == rfc1123)
        #expect(RequestDate.compact(seconds) == compact)
    }

    /// DNS Made Easy's `x-dnsme-hmac` is hex HMAC-SHA1 of the request date under the secret key (vector from
    /// Python's hmac module).
    @Test func dnsMadeEasyHeaderFromDigest() {
        let date = RequestDate.rfc1123(1_440_938_160)
        #expect(
            Digest.hex(Digest.hmac(.sha1, key: Array("secret".utf8), Array(date.utf8)))
                == "24ba8ebb3da10b67337e48b950d9ea046e21c547")
    }
}
