import Lexicon
import LexiconHTTP

/// A stateful fake of Namecheap's XML API on loopback, written from Namecheap's API documentation:
/// `namecheap.domains.dns.getHosts` and `setHosts` with `ApiUser`, `ApiKey`, `UserName`, `ClientIp`, `SLD`, `TLD`
/// (query or form body), `<ApiResponse Status=…>` envelopes with numbered errors, and the behaviour that bites:
/// `setHosts` replaces every host, and drops MX hosts unless `EmailType=MX` is sent.
public final class NamecheapFake: @unchecked Sendable {
    /// One host.
    public struct StoredHost: Sendable, Equatable {
        public var name: String
        public var type: String
        public var address: String
        public var mxPref: Int
        public var ttl: Int
    }

    /// The credentials it accepts.
    public let user = "lexicon-user"
    public let apiKey = "nc" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    public let clientIP = "192.0.2.44"
    /// The mail setting of each domain.
    private var emailTypes: [String: String] = [:]
    private var truncateNextRead = false
    private let api = FakeAPI<StoredHost>()

    /// The URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/xml.response" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, each with a URL redirect host lexicon does not handle (it must survive).
    public init(domains names: [String]) throws {
        let redirect = StoredHost(
            name: "old", type: "URL301", address: "https://new.example.org/", mxPref: 10, ttl: 1800)
        for name in names {
            api.edit(name) { $0 = [redirect] }
            emailTypes[name] = "NONE"
        }
        try api.start(route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The hosts of a domain.
    public func stored(_ domain: String) -> [StoredHost] { api.stored(domain) }

    /// Makes the next getHosts answer end before its host list closes.
    public func truncateNextListing() { api.locked { truncateNextRead = true } }

    private func route(_ request: FakeRequest) -> FakeReply {
        var parameters = request.parameters
        if request.method == "POST" {
            guard request.header("content-type")?.hasPrefix("application/x-www-form-urlencoded") == true,
                let body = request.http.body
            else {
                return Self.failure("1010000", "Unsupported content type")
            }
            for (key, value) in URLQuery.split("?" + String(decoding: body, as: UTF8.self)).query {
                parameters[key] = value
            }
        }
        guard parameters["ApiUser"] == user, parameters["UserName"] == user, parameters["ApiKey"] == apiKey else {
            return Self.failure("1011102", "API Key is invalid or API access has not been enabled")
        }
        guard parameters["ClientIp"] == clientIP else {
            return Self.failure("1011150", "Invalid request IP: \(parameters["ClientIp"] ?? "")")
        }
        let domain = "\(parameters["SLD"] ?? "").\(parameters["TLD"] ?? "")"
        guard let current = api.records(domain), let currentEmailType = emailTypes[domain] else {
            return Self.failure("2019166", "Domain not found")
        }
        switch parameters["Command"] {
        case "namecheap.domains.dns.getHosts":
            let hosts = current.enumerated().map { index, host in
                "<host HostId=\"\(index + 100)\" Name=\"\(XMLElement.escape(host.name))\" Type=\"\(host.type)\" Address=\"\(XMLElement.escape(host.address))\" MXPref=\"\(host.mxPref)\" TTL=\"\(host.ttl)\" IsActive=\"true\" IsDDNSEnabled=\"false\" />"
            }.joined()
            var body =
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><ApiResponse Status=\"OK\" xmlns=\"http://api.namecheap.com/xml.response\"><Errors /><RequestedCommand>namecheap.domains.dns.gethosts</RequestedCommand><CommandResponse Type=\"namecheap.domains.dns.getHosts\"><DomainDNSGetHostsResult Domain=\"\(domain)\" EmailType=\"\(currentEmailType)\" IsUsingOurDNS=\"true\">\(hosts)</DomainDNSGetHostsResult></CommandResponse><ExecutionTime>0.01</ExecutionTime></ApiResponse>"
            if truncateNextRead {
                truncateNextRead = false
                body = String(body.prefix(body.count / 2))
            }
            return .text(200, body)
        case "namecheap.domains.dns.setHosts":
            var hosts: [StoredHost] = []
            var index = 1
            while let name = parameters["HostName\(index)"] {
                guard let type = parameters["RecordType\(index)"], let address = parameters["Address\(index)"],
                    !address.isEmpty
                else {
                    return Self.failure("2050900", "Missing RecordType or Address for host \(index)")
                }
                guard
                    ["A", "AAAA", "ALIAS", "CAA", "CNAME", "MX", "MXE", "NS", "TXT", "URL", "URL301", "FRAME"].contains(
                        type)
                else {
                    return Self.failure("2050900", "Invalid RecordType \(type)")
                }
                if type == "A", FakeRules.notIPv4(address) {
                    return Self.failure("2050900", "Invalid Address \(address)")
                }
                let ttl = Int(parameters["TTL\(index)"] ?? "1800") ?? 1800
                guard (60...60_000).contains(ttl) else {
                    return Self.failure("2050900", "TTL must be between 60 and 60000")
                }
                hosts.append(
                    StoredHost(
                        name: name.lowercased(), type: type, address: address,
                        mxPref: Int(parameters["MXPref\(index)"] ?? "10") ?? 10, ttl: ttl))
                index += 1
            }
            for host in hosts
            where host.type == "CNAME" && hosts.contains(where: { $0.name == host.name && $0 != host }) {
                return Self.failure("2050900", "CNAME record for \(host.name) conflicts with other records")
            }
            let emailType = parameters["EmailType"] ?? currentEmailType
            if emailType != "MX" { hosts.removeAll { $0.type == "MX" } }
            api.edit(domain) { $0 = hosts }
            emailTypes[domain] = emailType
            let body =
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><ApiResponse Status=\"OK\" xmlns=\"http://api.namecheap.com/xml.response\"><Errors /><CommandResponse Type=\"namecheap.domains.dns.setHosts\"><DomainDNSSetHostsResult Domain=\"\(domain)\" IsSuccess=\"true\"><Warnings /></DomainDNSSetHostsResult></CommandResponse></ApiResponse>"
            return .text(200, body)
        default:
            return Self.failure("1010101", "Invalid Command")
        }
    }

    static func failure(_ number: String, _ message: String) -> FakeReply {
        let body =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><ApiResponse Status=\"ERROR\" xmlns=\"http://api.namecheap.com/xml.response\"><Errors><Error Number=\"\(number)\">\(XMLElement.escape(message))</Error></Errors><CommandResponse /></ApiResponse>"
        return .text(200, body)
    }
}
