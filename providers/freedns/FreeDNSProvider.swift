import Lexicon
import LexiconHTTP

/// freedns.afraid.org dynamic updates, update-only: with a per-record v2 token (`/u/TOKEN/?address=IP`), or with the
/// account's user name and password, whose v1 listing (`getdyndns`, SHA-1 of `user|password`) gives each host's
/// update URL.
public actor FreeDNSProvider: Provider {
    public static let descriptor = ProviderDescriptor(
        name: "freedns",
        summary: "freedns.afraid.org dynamic updates (v2 record tokens or v1 account): update-only.",
        options: [
            ProviderOption("auth_token", help: "A record's v2 update token (the part after /u/ in its sync URL)."),
            ProviderOption(
                "auth_username", help: "The account user name (v1, instead of a token).", isSecret: false,
                valueName: "USER"),
            ProviderOption("auth_password", help: "The account password (v1)."),
            ProviderOption(
                "api_endpoint",
                help:
                    "The update host (default https://sync.afraid.org, IPv6 https://v6.sync.afraid.org; v1 https://freedns.afraid.org).",
                isSecret: false, valueName: "URL"),
        ],
        capabilities: [.create, .update],
        recordTypes: [.a, .aaaa],
        usesHTTP: true,
        factory: { try FreeDNSProvider(context: $0) })

    private let context: ProviderContext
    private let transport: any HTTPTransport
    private let token: String?
    private let account: (user: String, password: String)?

    /// Creates the provider.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        token = context.option("auth_token")
        if let user = context.option("auth_username"), let password = context.option("auth_password") {
            account = (user, password)
        } else {
            account = nil
        }
        guard token != nil || account != nil else {
            throw LexiconError(
                .config, "give --auth-token (a record's v2 token) or --auth-username and --auth-password.",
                provider: "freedns")
        }
    }

    public func authenticate() async throws {}

    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        throw LexiconError(.unsupported, "freedns updates cannot list records.", provider: "freedns")
    }

    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("an update needs --name and the address.")
        }
        let url: String
        if let token {
            let base =
                context.option("api_endpoint")
                ?? (input.type == .aaaa ? "https://v6.sync.afraid.org" : "https://sync.afraid.org")
            url = base + "/u/\(URLQuery.escape(token))/?" + URLQuery.encode([("address", content)])
        } else {
            url = try await updateURL(for: name) + "&" + URLQuery.encode([("address", content)])
        }
        let response = try await transport.send(HTTPRequest(url: url))
        let text = response.text.trimmingCharacters()
        if response.status == 200, text.hasPrefix("Updated") || text.hasPrefix("No IP change detected") {
            context.logger.info("freedns: \(text)")
            return true
        }
        if text.localizedContains("Unable to locate") || text.localizedContains("Invalid") || response.status == 401 {
            throw LexiconError(
                .authentication,
                "freedns did not accept the token or account for \(name): \(String(text.prefix(100))).",
                provider: "freedns")
        }
        throw LexiconError(
            .provider, "freedns answered \"\(String(text.prefix(100)))\" (HTTP \(response.status)).",
            provider: "freedns")
    }

    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        try await createRecord(input)
    }

    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        throw LexiconError(.unsupported, "freedns updates cannot delete records.", provider: "freedns")
    }

    /// The account's update URL for a host, from the v1 listing (`host|ip|url` per line).
    private func updateURL(for host: String) async throws -> String {
        guard let account else { throw LexiconError(.config, "no account given.", provider: "freedns") }
        let sha = Digest.hex(Digest.hash(.sha1, Array("\(account.user.lowercased())|\(account.password)".utf8)))
        let base = context.option("api_endpoint") ?? "https://freedns.afraid.org"
        let response = try await transport.send(
            HTTPRequest(url: base + "/api/?" + URLQuery.encode([("action", "getdyndns"), ("v", "2"), ("sha", sha)])))
        let lines = response.text.split(whereSeparator: \.isNewline)
        if lines.first?.hasPrefix("ERROR") == true || response.status == 401 {
            throw LexiconError(
                .authentication, "freedns refused the account: check --auth-username and --auth-password.",
                provider: "freedns")
        }
        for line in lines {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            if fields.count >= 3, fields[0].lowercased() == host.lowercased() { return String(fields[2]) }
        }
        throw LexiconError(.notFound, "the freedns account has no dynamic host \(host).", provider: "freedns")
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    fileprivate func localizedContains(_ text: String) -> Bool { lowercased().contains(text.lowercased()) }
}
