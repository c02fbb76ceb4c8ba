import Lexicon
import LexiconHTTP

/// Namecheap DNS through its XML API (`namecheap.domains.dns.getHosts` / `setHosts`). `setHosts` replaces every host
/// of the domain, so each change reads the whole list, checks the answer is complete, changes only the named value,
/// and sends every other host back exactly as read, including types lexicon does not otherwise handle (URL
/// redirects, frames, ALIAS).
public actor NamecheapProvider: ZoneReplacementAPI {
    public static let descriptor = ProviderDescriptor(
        name: "namecheap",
        summary: "Namecheap DNS (XML API) with an API key, user name and whitelisted client IP.",
        options: [
            ProviderOption("auth_token", help: "The API key.", isRequired: true),
            ProviderOption(
                "auth_username", help: "The account's user name (ApiUser and UserName).", isRequired: true,
                isSecret: false, valueName: "USER"),
            ProviderOption(
                "auth_client_ip", help: "This machine's public IPv4 address, as whitelisted for the API.",
                isRequired: true,
                isSecret: false, valueName: "IP"),
            ProviderOption("auth_sandbox", help: "Use the sandbox API (api.sandbox.namecheap.com).", isFlag: true),
            .apiEndpoint(NamecheapProvider.endpoint, help: "The API's URL (overrides --auth-sandbox)."),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .txt],
        nameserverPatterns: ["*.registrar-servers.com"],
        defaultEndpoint: NamecheapProvider.endpoint,
        usesHTTP: true, writeShape: .wholeZone,
        factory: { try NamecheapProvider(context: $0) })

    static let endpoint = "https://api.namecheap.com/xml.response"
    static let sandbox = "https://api.sandbox.namecheap.com/xml.response"

    /// One host as Namecheap lists it, kept whole so it can be sent back unchanged.
    public struct Host: Sendable, Equatable {
        var name: String
        var type: String
        var address: String
        var mxPref: Int
        var ttl: Int
    }

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let url: String
    private let credentials: [(String, String)]
    private let sld: String
    private let tld: String

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        url = context.option("api_endpoint") ?? (context.flag("auth_sandbox") ? Self.sandbox : Self.endpoint)
        let user = try context.requiredOption("auth_username")
        credentials = [
            ("ApiUser", user), ("ApiKey", try context.requiredOption("auth_token")), ("UserName", user),
            ("ClientIp", try context.requiredOption("auth_client_ip")),
        ]
        // Namecheap names a domain by its second-level label and its public suffix (example + co.uk).
        guard let dot = context.zone.firstIndex(of: ".") else {
            throw LexiconError.invalidInput("\(context.zone) has no top-level domain.", provider: "namecheap")
        }
        sld = String(context.zone[..<dot])
        tld = String(context.zone[context.zone.index(after: dot)...])
    }

    // MARK: - API

    /// The host as a record; nil for types the contract does not cover (URL redirects, frames, ALIAS).
    public func record(of host: Host) -> Record? {
        let type = RecordType(rawValue: host.type)
        guard RecordType.common.contains(type) || type == "SPF" else { return nil }
        let name = context.absoluteName(host.name)
        var content = host.address
        if type.contentIsName || type == .mx { content = RecordPresentation.bare(Substring(host.address)) }
        return Record(
            type: type, name: name, ttl: host.ttl, content: content, priority: type == .mx ? host.mxPref : nil)
    }

    /// The host that stores a record.
    public func entry(for record: Record) -> Host {
        let name = context.relativeName(record.name)
        let address =
            record.type.contentIsName || record.type == .mx ? RecordPresentation.fqdn(record.content) : record.content
        return Host(
            name: name, type: record.type.rawValue, address: address, mxPref: record.priority ?? 10, ttl: record.ttl)
    }

    /// Every host of the domain, and its e-mail setting; an answer that is not complete is an error.
    public func readZone() async throws -> (entries: [Host], state: String?) {
        let query = credentials + [("Command", "namecheap.domains.dns.getHosts"), ("SLD", sld), ("TLD", tld)]
        let root = try await send(HTTPRequest(url: url + "?" + URLQuery.encode(query)), operation: "read the hosts")
        guard let result = root.find("DomainDNSGetHostsResult") else {
            throw LexiconError(
                .provider, "read the hosts: Namecheap's answer has no host list; nothing was changed.",
                provider: "namecheap")
        }
        if result.attributes["IsUsingOurDNS"]?.lowercased() == "false" {
            throw LexiconError.domainNotFound(
                context.zone, provider: "namecheap", hint: "The domain does not use Namecheap's DNS servers.")
        }
        var hosts: [Host] = []
        for element in result.all("host") {
            guard let name = element.attributes["Name"], let type = element.attributes["Type"],
                let address = element.attributes["Address"]
            else {
                throw LexiconError(
                    .provider, "read the hosts: a host without name, type or address; nothing was changed.",
                    provider: "namecheap")
            }
            hosts.append(
                Host(
                    name: name, type: type, address: address, mxPref: Int(element.attributes["MXPref"] ?? "") ?? 10,
                    ttl: Int(element.attributes["TTL"] ?? "") ?? 1800))
        }
        return (hosts, result.attributes["EmailType"])
    }

    /// Sends every host; `emailType` is the mail setting as read.
    public func writeZone(_ hosts: [Host], state emailType: String?) async throws {
        var form = credentials + [("Command", "namecheap.domains.dns.setHosts"), ("SLD", sld), ("TLD", tld)]
        for (index, host) in hosts.enumerated() {
            let number = String(index + 1)
            form += [
                ("HostName" + number, host.name), ("RecordType" + number, host.type),
                ("Address" + number, host.address),
                ("MXPref" + number, String(host.mxPref)), ("TTL" + number, String(host.ttl)),
            ]
        }
        // Without EmailType=MX, Namecheap drops MX hosts; other mail settings stay as they were.
        let mail = hosts.contains { $0.type == "MX" } ? "MX" : (emailType == "MX" ? "NONE" : emailType)
        if let mail, !mail.isEmpty { form.append(("EmailType", mail)) }
        let root = try await send(
            HTTPRequest(
                method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(URLQuery.encode(form).utf8), idempotent: true),
            operation: "write the hosts")
        guard root.find("DomainDNSSetHostsResult")?.attributes["IsSuccess"]?.lowercased() == "true" else {
            throw LexiconError(
                .provider, "write the hosts: Namecheap did not confirm the change.", provider: "namecheap")
        }
    }

    private func send(_ request: HTTPRequest, operation: String) async throws -> XMLElement {
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status), let root = try? XMLElement(parsing: response.body) else {
            throw LexiconError(
                .provider, "\(operation) failed with HTTP \(response.status) and no readable answer.",
                provider: "namecheap")
        }
        guard root.attributes["Status"] == "ERROR" else { return root }
        let errors = root.child("Errors")?.all("Error") ?? []
        let numbers = errors.compactMap { $0.attributes["Number"] }
        let message = errors.map { "\($0.text) (\($0.attributes["Number"] ?? "?"))" }.joined(separator: "; ")
        if numbers.contains(where: { ["1011102", "1011150", "1010104", "1010101", "1011100"].contains($0) }) {
            throw LexiconError(
                .authentication,
                "authentication failed to \(operation): \(message). Check that this machine's IP is whitelisted.",
                provider: "namecheap",
                hint: "Check --auth-token, --auth-username and --auth-client-ip (LEXICON_NAMECHEAP_AUTH_*).")
        }
        if numbers.contains(where: { ["2019166", "2030166", "2016166"].contains($0) }) {
            throw LexiconError.domainNotFound(context.zone, provider: "namecheap", hint: message)
        }
        throw LexiconError(.provider, "\(operation) failed: \(message).", provider: "namecheap")
    }
}
