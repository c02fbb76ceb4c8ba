import Lexicon
import Testing

@Suite("JSON")
struct JSONValueTests {
    @Test func parsesWhatAPIsSend() throws {
        let json = try JSONValue(
            parsing:
                #"{"name": "example.com.", "rrsets": [{"ttl": 300, "records": [{"content": "\"v=spf1 -all\"", "disabled": false}]}], "n": -1.5e3, "u": "\u00e9\ud83d\ude00", "z": null}"#
        )
        #expect(json["name"]?.string == "example.com.")
        #expect(json["rrsets"]?.array?.first?["ttl"]?.int == 300)
        #expect(json["rrsets"]?.array?.first?["records"]?.array?.first?["content"]?.string == "\"v=spf1 -all\"")
        #expect(json["n"]?.double == -1500)
        #expect(json["u"]?.string == "é😀")
        #expect(json["z"]?.isNull == true)
        #expect(json["missing"] == nil)
    }

    @Test func encodesAndRoundTrips() throws {
        let value = JSONValue.object([
            ("a", .string("quote \" backslash \\ newline \n tab \t bell \u{7}")),
            ("b", .array([.bool(true), .null, .int(42)])),
        ])
        #expect(value.text == #"{"a":"quote \" backslash \\ newline \n tab \t bell \u0007","b":[true,null,42]}"#)
        #expect(try JSONValue(parsing: value.encoded()) == value)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "tru", "[1] 2", "\"a\nb\"", "{\"a\":}",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ])
    func malformedJSONIsAnErrorNotATrap(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func base64BothWays() {
        #expect(Base64.encode(Array("hello".utf8)) == "aGVsbG8=")
        #expect(Base64.encode([0xFB, 0xFF], urlSafe: true) == "-_8")
        #expect(Base64.decode("aGVsbG8=") == Array("hello".utf8))
        #expect(Base64.decode("aGVsbG8") == Array("hello".utf8))
        #expect(Base64.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64.decode("a*b=") == nil)
        #expect(Base64.decode("a") == nil)
        for count in 0..<40 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }
}
