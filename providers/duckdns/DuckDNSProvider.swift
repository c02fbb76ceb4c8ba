import Lexicon
import LexiconHTTP

/// DuckDNS (`GET /update?domains=SUB&token=T&ip=…&ipv6=…`): an update-only provider for `SUB.duckdns.org` — A and
/// AAAA set, and the one TXT record DuckDNS keeps per domain (`txt=`, `clear=true`), which also answers for
/// `_acme-challenge.SUB.duckdns.org` and so serves ACME DNS-01.
public actor DuckDNSProvider: Provider {
    public static let descriptor = ProviderDescriptor(
        name: "duckdns",
        summary: "DuckDNS subdomains: A, AAAA and the ACME TXT record; update-only.",
        options: [
            ProviderOption("auth_token", help: "The account token from duckdns.org.", isRequired: true),
            ProviderOption(
                "api_endpoint", help: "The update URL.", isSecret: false, defaultValue: DuckDNSProvider.endpoint,
                valueName: "URL"),
        ],
        capabilities: [.create, .update, .delete],
        recordTypes: [.a, .aaaa, .txt],
        fixedZone: "duckdns.org",
        usesHTTP: true,
        factory: { try DuckDNSProvider(context: $0) })

    static let endpoint = "https://www.duckdns.org/update"

    private let context: ProviderContext
    private let transport: any HTTPTransport
    private let endpoint: String
    private let token: String

    /// Creates the provider.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        endpoint = context.option("api_endpoint") ?? Self.endpoint
        token = try context.requiredOption("auth_token")
    }

    public func authenticate() async throws {}

    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        throw LexiconError(.unsupported, "DuckDNS cannot list records.", provider: "duckdns")
    }

    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("DuckDNS needs --name (the subdomain) and the content.")
        }
        switch input.type {
        case .a: try await send(subdomain(name), [("ip", content)])
        case .aaaa: try await send(subdomain(name), [("ipv6", content)])
        default: try await send(subdomain(name), [("txt", content)])
        }
        return true
    }

    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        try await createRecord(input)
    }

    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        guard filter.type == .txt, let name = filter.name else {
            throw LexiconError(
                .unsupported, "DuckDNS can only clear its TXT record (delete TXT --name …).", provider: "duckdns")
        }
        try await send(subdomain(name), [("txt", ""), ("clear", "true")])
        return true
    }

    /// The DuckDNS subdomain of a name: `home` for `home.duckdns.org` and `_acme-challenge.home.duckdns.org`.
    private func subdomain(_ name: String) throws -> String {
        var labels = context.names.relative(name).split(separator: ".").map(String.init)
        if labels.first == "_acme-challenge" { labels.removeFirst() }
        guard let last = labels.last, !last.isEmpty, last != "@" else {
            throw LexiconError.invalidInput(
                "give the DuckDNS subdomain as --name (home for home.duckdns.org).", provider: "duckdns")
        }
        return last
    }

    private func send(_ subdomain: String, _ parameters: [(String, String)]) async throws {
        let query = [("domains", subdomain), ("token", token)] + parameters + [("verbose", "true")]
        let response = try await transport.send(HTTPRequest(url: endpoint + "?" + URLQuery.encode(query)))
        let lines = response.text.split(whereSeparator: \.isNewline).map(String.init)
        guard response.status == 200, lines.first == "OK" else {
            if lines.first == "KO" {
                throw LexiconError(
                    .authentication,
                    "DuckDNS answered KO for \(subdomain): the token (--auth-token, LEXICON_DUCKDNS_AUTH_TOKEN) or the subdomain is wrong.",
                    provider: "duckdns")
            }
            throw LexiconError(
                .provider, "DuckDNS answered HTTP \(response.status) \"\(String(response.text.prefix(40)))\".",
                provider: "duckdns")
        }
        context.logger.info("duckdns: \(subdomain) \(lines.dropFirst().joined(separator: " "))")
    }
}
