#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The request dates signed request headers carry, in UTC and independent of the locale: DNS Made Easy's
/// `x-dnsme-requestDate` (RFC 1123), AWS's and Aurora's compact ISO 8601, Constellix's milliseconds.
public enum RequestDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Now, in seconds since 1970.
    public static func now() -> Int { Int(time(nil)) }

    /// `Tue, 01 Dec 2026 14:59:09 GMT` (RFC 1123, the HTTP date of RFC 9110 §5.6.7).
    public static func rfc1123(_ seconds: Int) -> String {
        let parts = utc(seconds)
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    /// `20261201T145909Z` (ISO 8601 basic format).
    public static func compact(_ seconds: Int) -> String {
        let parts = utc(seconds)
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    private static func utc(_ seconds: Int) -> tm {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        return parts
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
}

extension RequestDate {
    /// Now, in milliseconds since 1970 (Constellix's `x-cnsdns-requestDate`).
    public static func milliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
    }
}
