import Lexicon
import Testing

/// A provider that can only create and list, and counts the calls that reach it.
actor CountingProvider: Provider {
    static let descriptor = ProviderDescriptor(
        name: "counting", summary: "test provider", options: [], capabilities: [.create, .list],
        recordTypes: [.a, .txt], factory: { _ in CountingProvider() })

    var calls = 0
    func authenticate() async throws { calls += 1 }
    func createRecord(_ record: RecordInput) async throws -> Bool {
        calls += 1
        return true
    }
    func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        calls += 1
        return []
    }
    func updateRecord(identifier: String?, _ record: RecordInput) async throws -> Bool {
        calls += 1
        return true
    }
    func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        calls += 1
        return true
    }
}

@Suite("client")
struct ClientTests {
    func client() throws -> Client {
        let config = ConfigResolver().withDict(["provider_name": "counting", "domain": "www.example.com"])
        return try Client(config: config, registry: ProviderRegistry([CountingProvider.descriptor]))
    }

    @Test func missingCapabilityFailsBeforeAnyRequest() async throws {
        let client = try client()
        for operation in ["update", "delete"] {
            do {
                if operation == "update" {
                    try await client.updateRecord(type: .txt, name: "x", content: "y")
                } else {
                    try await client.deleteRecord(type: .txt, name: "x")
                }
                Issue.record("\(operation) succeeded")
            } catch let error as LexiconError {
                #expect(error.code == .unsupported)
                #expect(error.description.contains("counting: cannot \(operation) records"))
            }
        }
        let provider = try #require(client.provider as? CountingProvider)
        #expect(await provider.calls == 0)
    }

    @Test func unsupportedTypeFailsBeforeAnyRequest() async throws {
        let client = try client()
        await #expect(throws: LexiconError.self) {
            try await client.createRecord(type: .caa, name: "x", content: "0 issue \"ca\"")
        }
        let provider = try #require(client.provider as? CountingProvider)
        #expect(await provider.calls == 0)
    }

    @Test func zoneComesFromTheDomain() throws {
        #expect(try client().zone == "example.com")
    }

    @Test func invalidInputFailsBeforeAnyRequest() async throws {
        let client = try client()
        await #expect(throws: LexiconError.self) {
            try await client.createRecord(type: .a, name: "www.myexample.com", content: "192.0.2.1")
        }
        await #expect(throws: LexiconError.self) { try await client.createRecord(type: .a, name: "x", content: "::1") }
        let provider = try #require(client.provider as? CountingProvider)
        #expect(await provider.calls == 0)
    }

    @Test func missingProviderAndDomainAreUsageErrors() {
        #expect(throws: LexiconError.self) {
            try Client(config: ConfigResolver().withDict(["domain": "example.com"]), registry: ProviderRegistry([]))
        }
        #expect(throws: LexiconError.self) {
            try Client(
                config: ConfigResolver().withDict(["provider_name": "counting"]),
                registry: ProviderRegistry([CountingProvider.descriptor]))
        }
    }
}
