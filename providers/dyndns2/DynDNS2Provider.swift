import Lexicon
import LexiconHTTP

/// The dyndns2 update protocol (`GET /nic/update?hostname=H&myip=IP` with HTTP basic auth) that dyn, no-ip, he.net,
/// nsupdate.info, dynv6, dynu, INWX, Strato and others speak: an update-only provider (A and AAAA, create and
/// update), with every answer code turned into what the user must do.
public actor DynDNS2Provider: Provider, DualStackUpdating {
    public static let descriptor = ProviderDescriptor(
        name: "dyndns2",
        summary: "Any dyndns2 update server (dyn, no-ip, he.net, nsupdate.info, dynv6, …): update-only.",
        options: [
            ProviderOption(
                "auth_username", help: "The user name (he.net: the host name).", isRequired: true, isSecret: false,
                valueName: "USER"),
            ProviderOption("auth_password", help: "The password or update key.", isRequired: true),
            ProviderOption(
                "preset",
                help:
                    "A known service: \(DynDNS2Provider.presets.keys.sorted().joined(separator: ", ")) (sets --api-endpoint).",
                isSecret: false, valueName: "NAME"),
            ProviderOption(
                "api_endpoint", help: "The update URL, e.g. https://members.dyndns.org/nic/update.", isSecret: false,
                valueName: "URL"),
        ],
        capabilities: [.create, .update],
        recordTypes: [.a, .aaaa],
        usesHTTP: true,
        factory: { try DynDNS2Provider(context: $0) })

    /// Update URLs of services that speak dyndns2.
    public static let presets: [String: String] = [
        "dyn": "https://members.dyndns.org/nic/update", "noip": "https://dynupdate.no-ip.com/nic/update",
        "henet": "https://dyn.dns.he.net/nic/update", "nsupdate": "https://ipv4.nsupdate.info/nic/update",
        "dynv6": "https://dynv6.com/api/update", "dynu": "https://api.dynu.com/nic/update",
        "inwx": "https://dyndns.inwx.com/nic/update", "strato": "https://dyndns.strato.com/nic/update",
    ]

    /// The User-Agent dyndns2 services ask clients to send (Company Program/Version).
    static let userAgent = "lexicon-swift lexicon/0.1 (dyndns2 client)"

    private let context: ProviderContext
    private let transport: any HTTPTransport
    private let endpoint: String
    private let authorization: String

    /// Creates the provider.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport =
            transport
            ?? CurlTransport(context: context, userAgent: Self.userAgent)
        if let explicit = context.option("api_endpoint") {
            endpoint = explicit
        } else if let name = context.option("preset") {
            guard let url = Self.presets[name.lowercased()] else {
                throw LexiconError(
                    .config, "unknown --preset \(name); known: \(Self.presets.keys.sorted().joined(separator: ", ")).",
                    provider: "dyndns2")
            }
            endpoint = url
        } else {
            throw LexiconError(.config, "give --api-endpoint (the update URL) or --preset.", provider: "dyndns2")
        }
        authorization =
            HTTPHeader.basicAuthorization(
                user: try context.requiredOption("auth_username"), password: try context.requiredOption("auth_password")
            ).value
    }

    public func authenticate() async throws {}

    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        throw LexiconError(.unsupported, "dyndns2 services cannot list records.", provider: "dyndns2")
    }

    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("an update needs --name and the address.")
        }
        try await update(host: name, address: content)
        return true
    }

    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        try await createRecord(input)
    }

    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        throw LexiconError(.unsupported, "dyndns2 services cannot delete records.", provider: "dyndns2")
    }

    public func updateBoth(name: String, ipv4: String, ipv6: String) async throws {
        try await update(host: name, address: "\(ipv4),\(ipv6)")
    }

    /// Sends one update and reads the answer code.
    func update(host: String, address: String) async throws {
        let separator = endpoint.contains("?") ? "&" : "?"
        let url = endpoint + separator + URLQuery.encode([("hostname", host), ("myip", address)])
        let response = try await transport.send(
            HTTPRequest(
                url: url,
                headers: [HTTPHeader("Authorization", authorization), HTTPHeader("User-Agent", Self.userAgent)]))
        let answer = try DynDNS2Answer.check(status: response.status, body: response.text, host: host)
        context.logger.info("dyndns2: \(host) \(answer)")
    }
}
