/// A value of each record type lexicon writes beyond the common ones, in the syntax its content check takes (some
/// in a short or mixed-case form it normalises), for the tests that write them to a zone file or a server.
public enum RecordTypeSamples {
    /// Type and content pairs; DNSKEY and CDNSKEY belong at a zone's apex (PowerDNS takes them nowhere else).
    public static let checkedTypes: [(type: String, content: String)] = [
        ("LOC", "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"), ("LOC", "51 30 N 0 7 W 10m"),
        ("SPF", "v=spf1 -all"), ("DNAME", "other.example.net"),
        ("NAPTR", "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" ."),
        ("NAPTR", "10 100 \"s\" \"SIP+D2U\" \"\" _sip._udp.example.com"),
        ("SSHFP", "4 2 " + String(repeating: "ab", count: 32)), ("TLSA", "3 1 1 " + String(repeating: "0A", count: 32)),
        ("SMIMEA", "3 1 2 " + String(repeating: "0b", count: 64)),
        ("DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"),
        ("CDS", "60485 8 2 " + String(repeating: "12", count: 32)),
        (
            "DNSKEY",
            "256 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/Dl UmObdk="
        ),
        (
            "CDNSKEY",
            "257 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk="
        ),
        ("OPENPGPKEY", "mQINBFit2jsBEADrbl5vjVxYeAE0g0IDYCBpHirv1Sjlqxx5gjtPhb2YhvyDMXjq"),
        ("HTTPS", "1 . alpn=\"h2,h3\" no-default-alpn port=443 ipv4hint=192.0.2.1"), ("SVCB", "0 svc.example.net"),
        ("SVCB", "1 svc.example.net port=8443 key65000=abc"), ("URI", "10 1 \"https://www.example.com/\""),
        ("HINFO", "\"PC\" \"Linux\""), ("RP", "admin.example.com txt.example.com"), ("AFSDB", "1 afsdb.example.com"),
        ("TYPE65534", "\\# 2 ab CD"),
    ]
}
