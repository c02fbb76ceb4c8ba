import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

@testable import LexiconProviders

/// Listings end with an error (status 1) when an API ignores its paging parameters, instead of asking for page
/// after page; an answer that is not JSON says so, with the status and content type.
@Suite("paging guard and answers that are not JSON")
struct PagingAndNonJSONTests {
    @Test func goDaddyIgnoringOffsetEndsAtTheSecondPage() async throws {
        let fake = try GoDaddyFake(domains: ["paging.example"])
        defer { fake.stop() }
        let client = try goDaddyClient(fake, domain: "paging.example")
        for index in 0..<4 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        fake.ignorePaging()
        let before = fake.requests.count
        await expectStatus(1, containing: "GoDaddy page 2 repeats page 1: the API (or a proxy) ignores the paging") {
            _ = try await client.listRecords()
        }
        #expect(fake.requests.count - before <= 3)
        await expectStatus(1, containing: "repeats page 1") {
            try await client.createRecord(type: .txt, name: "t0", content: "second")
        }
        let wrote = fake.requests.contains { request in
            request.method == "PUT" && request.path.hasSuffix("/TXT/t0")
                && String(decoding: request.body ?? [], as: UTF8.self).contains("second")
        }
        #expect(!wrote)
    }

    @Test func cloudflareIgnoringPageEndsAtTheSecondPage() async throws {
        let fake = try CloudflareFake(zones: ["paging.example"])
        defer { fake.stop() }
        let client = try cloudflareClient(fake, domain: "paging.example")
        for index in 0..<6 {
            try await client.createRecord(type: .a, name: "h\(index)", content: "192.0.2.\(index + 1)")
        }
        #expect(try await client.listRecords(type: .a).count == 6)
        fake.ignorePaging()
        await expectStatus(1, containing: "Cloudflare page 2 repeats page 1") { _ = try await client.listRecords() }
    }

    @Test func linodeIgnoringPageEndsAtTheSecondPage() async throws {
        let fake = try LinodeFake(domains: ["paging.example"])
        defer { fake.stop() }
        let client = try linodeClient(fake, domain: "paging.example")
        for index in 0..<5 {
            try await client.createRecord(type: .a, name: "h\(index)", content: "192.0.2.\(index + 1)")
        }
        fake.ignorePaging()
        await expectStatus(1, containing: "Linode page 2 repeats page 1") { _ = try await client.listRecords() }
    }

    @Test func route53IgnoringTheNextMarkerEndsAtTheSecondPage() async throws {
        let fake = try Route53Fake(zones: ["paging.example"])
        defer { fake.stop() }
        let client = try route53Client(fake, domain: "paging.example")
        for index in 0..<4 { try await client.createRecord(type: .a, name: "h\(index)", content: "192.0.2.1") }
        fake.ignorePaging()
        await expectStatus(1, containing: "Route 53 page 2 repeats page 1") { _ = try await client.listRecords() }
    }

    @Test func theGuardCountsRepeatsTotalsAndPages() throws {
        var guardian = PageGuard(provider: "p", service: "S", operation: "list records", parameters: "page")
        try guardian.read([.int(1), .int(2)], total: 5)
        try guardian.read([.int(3), .int(4)], total: 5)
        #expect {
            try guardian.read([.int(1), .int(2)], total: 5)
        } throws: { error in
            (error as? LexiconError)?.message
                == "list records: S page 3 repeats page 1: the API (or a proxy) ignores the paging parameters (page); "
                + "stopped reading, nothing was changed."
        }
        var overTotal = PageGuard(provider: "p", service: "S", operation: "list records", parameters: "page")
        try overTotal.read([.int(1), .int(2)], total: 3)
        #expect(throws: LexiconError.self) { try overTotal.read([.int(3), .int(4)], total: 3) }
        #expect(throws: LexiconError.self) { try overTotal.check(page: 4, lastPage: 3) }
        try overTotal.check(page: 1, lastPage: 0)
        var endless = PageGuard(provider: "p", service: "S", operation: "list records", parameters: "page")
        for index in 0..<PageGuard.maximumPages { try endless.read([.int(index)]) }
        #expect {
            try endless.read([.int(-1)])
        } throws: { error in
            (error as? LexiconError)?.message.contains("did not end after 10000 pages") == true
        }
        var empties = PageGuard(provider: "p", service: "S", operation: "list records", parameters: "page")
        try empties.read([])
        try empties.read([])
    }

    /// Each provider, pointed at a server answering an HTML page (a proxy's, a captive portal's) or a cut-off body.
    @Test(
        arguments: [
            ("godaddy", ["auth_key": "k", "auth_secret": "s", "api_endpoint": "URL"], "GoDaddy"),
            ("digitalocean", ["auth_token": "t", "api_endpoint": "URL"], "DigitalOcean"),
            ("linode4", ["auth_token": "t", "api_endpoint": "URL"], "Linode"),
            ("cloudflare", ["auth_token": "t", "api_endpoint": "URL"], "Cloudflare"),
            ("hetzner", ["auth_token": "t", "api_endpoint": "URL"], "Hetzner"),
            ("gandi", ["auth_token": "t", "api_endpoint": "URL"], "Gandi"),
            ("dnsimple", ["auth_token": "t", "api_endpoint": "URL"], "DNSimple"),
            ("powerdns", ["auth_token": "t", "pdns_server": "URL"], "PowerDNS"),
        ] as [(String, [String: String], String)])
    func answersThatAreNotJSONSaySo(provider: String, options: [String: String], service: String) async throws {
        let html = Array("<!DOCTYPE html>\n<html><body>Bad gateway\u{1b}[31m</body></html>".utf8)
        for (status, body, type, expected) in [
            (
                200, html, "text/html; charset=utf-8",
                "HTTP 200 with text/html; charset=utf-8, not JSON: \"<!DOCTYPE html>\\n<html>"
            ),
            (
                502, html, "text/html",
                "HTTP 502: the answer is text/html, not JSON: \"<!DOCTYPE html>\\n<html><body>Bad gateway\\u001b[31m"
            ),
            (
                200, Array("{\"result\": [{\"id\": ".utf8), "application/json",
                "HTTP 200 with application/json, JSON that does not parse, cut off after 19 bytes"
            ),
            (200, [], "text/plain", "HTTP 200 with text/plain and an empty body, not JSON"),
        ] as [(Int, [UInt8], String, String)] {
            let server = try LoopbackHTTPServer { _ in
                .respond(HTTPResponse(status: status, headers: ["content-type": type], body: body))
            }
            defer { server.stop() }
            var mapping: [String: ConfigValue] = [:]
            for (key, value) in options { mapping[key] = .value(value == "URL" ? server.url : value) }
            let client = try Client(
                config: ConfigResolver().withDict([
                    "provider_name": .value(provider), "domain": "example.com",
                    .init(stringLiteral: provider): .mapping(mapping),
                ]), registry: .standard)
            await expectStatus(1, containing: expected) { _ = try await client.listRecords() }
            await expectStatus(1, containing: status == 200 ? "\(service) answered" : "\(provider): ") {
                _ = try await client.listRecords()
            }
        }
    }
}
