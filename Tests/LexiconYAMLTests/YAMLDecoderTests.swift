import LexiconYAML
import Testing

struct Check: Decodable, Equatable {
    var kind: String
    var port: Int?
    var timeout: Double?
}

struct Pool: Decodable, Equatable {
    var name: String
    var addresses: [String]
    var check: Check
    var enabled: Bool?
    var labels: [String: String]?
}

struct Config: Decodable, Equatable {
    var interval: Int
    var pools: [Pool]
}

@Suite("YAML decoder")
struct YAMLDecoderTests {
    let good = """
        interval: 10
        pools:
          - name: www
            addresses: [127.0.0.2, 127.0.0.3]
            check: {kind: http, port: 8080, timeout: 2.5}
            enabled: yes
            labels: {team: web, tier: front}
        """

    @Test func decodes() throws {
        let config = try YAMLDecoder().decode(Config.self, from: good, file: "f.yml")
        #expect(config.interval == 10)
        #expect(config.pools[0].check == Check(kind: "http", port: 8080, timeout: 2.5))
        #expect(config.pools[0].enabled == true)
        #expect(config.pools[0].labels == ["team": "web", "tier": "front"])
    }

    @Test(arguments: [
        ("interval: abc\npools: []\n", "f.yml:1: key \"interval\": expected an integer, found \"abc\""),
        ("interval: 99999999999999999999\npools: []\n", "out of range"),
        ("interval: 1\npools: {a: 1}\n", "f.yml:2: key \"pools\": expected a list, found a mapping"),
        ("interval: 1\npools:\n  - [1]\n", "f.yml:3: key \"pools.0\": expected a mapping, found a list"),
        ("interval: 1\npools:\n  - name: a\n    addresses: []\n", "missing required key \"check\""),
        ("interval: 1\npools: []\nextra: 2\n", "f.yml:3: key \"extra\": unknown key \"extra\""),
        (
            "interval: 1\npools:\n  - name: a\n    addresses: []\n    check: {kind: tcp, tiemout: 2}\n",
            "f.yml:5: key \"pools.0.check.tiemout\": unknown key \"tiemout\""
        ),
        (
            "interval: 1\npools:\n  - name: a\n    addresses: []\n    check: {kind: tcp}\n    enabled: maybe\n",
            "expected true or false"
        ),
    ])
    func errorsNameFileLineAndKey(text: String, expected: String) {
        do {
            _ = try YAMLDecoder().decode(Config.self, from: text, file: "f.yml")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func unknownKeysCanBeIgnored() throws {
        let config = try YAMLDecoder(unknownKeys: .ignore).decode(
            Config.self, from: "interval: 1\npools: []\nextra: 2\n", file: "f.yml")
        #expect(config.pools.isEmpty)
    }

    @Test func emptyDocumentIsAnEmptyMapping() throws {
        struct Optional: Decodable { var a: Int? }
        #expect(try YAMLDecoder().decode(Optional.self, from: "", file: "e.yml").a == nil)
    }
}
