/// An update service that can set a host's IPv4 and IPv6 addresses in one request (dyndns2's `myip=v4,v6`), so
/// updating one family never makes the service drop the other.
public protocol DualStackUpdating: Provider {
    /// Sets both addresses of a host at once.
    /// - Parameters:
    ///   - name: The host's full name.
    ///   - ipv4: The IPv4 address.
    ///   - ipv6: The IPv6 address.
    func updateBoth(name: String, ipv4: String, ipv6: String) async throws
}
