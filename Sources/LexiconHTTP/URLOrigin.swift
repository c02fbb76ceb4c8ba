/// The origin of a URL (RFC 6454: scheme, host and port), for deciding whether a redirect stays where credentials
/// may go.
public struct URLOrigin: Sendable, Hashable {
    /// The scheme, lower case.
    public var scheme: String
    /// The host, lower case, without user information or brackets' contents changed.
    public var host: String
    /// The port, the scheme's default when none is written.
    public var port: Int

    /// The origin of an absolute `http` or `https` URL; nil for anything else.
    public init?(_ url: String) {
        guard let separator = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = Substring(url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" })
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = authority
        var port = scheme == "https" ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (0...65_535).contains(number) else {
                return nil
            }
            host = authority[..<colon]
            port = number
        }
        guard !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
    }

    /// `scheme://host:port` of a URL, for messages that must not repeat its path or query (which may hold a token);
    /// `an invalid URL` when it has none.
    public static func text(of url: String) -> String {
        guard let origin = URLOrigin(url) else { return "an invalid URL" }
        let host = origin.host.contains(":") && !origin.host.hasPrefix("[") ? "[\(origin.host)]" : origin.host
        return "\(origin.scheme)://\(host):\(origin.port)"
    }

    /// A `Location` value made absolute against the URL it answered.
    public static func resolve(_ location: String, against base: String) -> String {
        let location = location.trimmingSpaces
        if location.contains("://") { return location }
        guard let separator = base.firstRange(of: "://") else { return location }
        let scheme = base[..<separator.lowerBound]
        if location.hasPrefix("//") { return String(scheme) + ":" + location }
        let rest = base[separator.upperBound...]
        let authorityEnd: String.Index = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let origin = String(base[..<authorityEnd])
        if location.hasPrefix("/") { return origin + location }
        let path: Substring = rest[authorityEnd...].prefix { $0 != "?" && $0 != "#" }
        let directory: String = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return origin + directory + location
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
