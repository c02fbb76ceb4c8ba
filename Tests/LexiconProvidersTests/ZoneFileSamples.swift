/// Hand-written zone files for the comparison with named-checkzone: each construct BIND reads, every record type the
/// record contract knows, and files BIND refuses.
enum ZoneFileSamples {
    typealias Case = LocalZoneDifferentialTests.Case

    static let head = "$TTL 300\n@ SOA ns hostmaster 2024010101 7200 3600 1209600 300\n NS ns\nns A 192.0.2.53\n"

    static let valid: [Case] = [
        Case(
            zone: "naptr.example",
            text: head + """
                nap NAPTR 50 50 "S" "SIPS+D2T" "" server
                nap2 NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .
                rp RP admin info
                kx KX 10 kx
                afs AFSDB 1 afs
                rt RT 1 rt
                lp LP 10 lp
                px PX 10 a b
                mi MINFO a b
                ta TALINK a b
                nsec NSEC next A NS
                _svc SVCB 1 svc alpn=h2,h3 ech="AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA" port=8443
                _svc2 SVCB 0 other
                www HTTPS 1 . alpn="h2"
                www2 HTTPS 2 svc ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1
                """ + "\n"),
        // Every type the record contract knows, in its own syntax.
        Case(
            zone: "example.com",
            text: head + """
                a A 192.0.2.1
                aaaa AAAA 2001:DB8::1
                cname CNAME a
                mx MX 10 mail.example.net.
                sub NS ns.example.net.
                txt TXT "hello \\"world\\"" "second; part" unquoted\\032word
                srv SRV 0 5 5060 sip.example.net.
                caa CAA 0 issue "letsencrypt.org"
                caa CAA 128 iodef "mailto:security@example.com"
                ptr PTR a
                loc LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m
                spf SPF "v=spf1 -all"
                dname DNAME example.net.
                sshfp SSHFP 1 1 0123456789abcdef0123456789abcdef01234567
                tlsa TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                smimea SMIMEA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                ds DS 12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
                cds CDS 12345 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                dnskey DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==
                cdnskey CDNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==
                openpgpkey OPENPGPKEY AQID
                https HTTPS 1 . alpn=h2
                svcb SVCB 1 a port=8443
                uri URI 10 1 "https://example.com/"
                hinfo HINFO "PC" "Linux"
                rp RP admin.example.com. .
                afsdb AFSDB 1 a
                """ + "\n"),
        // The root, with the hints every resolver carries.
        Case(
            zone: ".",
            text: """
                $TTL 518400
                .  86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2024010100 1800 900 604800 86400
                .  IN NS a.root-servers.net.
                .  IN NS b.root-servers.net.
                a.root-servers.net. 3600000 IN A 198.41.0.4
                a.root-servers.net. 3600000 IN AAAA 2001:503:ba3e::2:30
                b.root-servers.net. 3600000 IN A 170.247.170.2
                com. 172800 IN NS a.gtld-servers.net.
                """ + "\n"),
        // A single-label zone named by $ORIGIN, and one named only by the zone given.
        Case(zone: "lan", text: "$ORIGIN lan.\n" + head + "printer A 192.168.1.20\nnas 60 A 192.168.1.21\n"),
        Case(zone: "home.arpa", text: head + "router A 192.168.1.1\n"),
        // A reverse zone.
        Case(
            zone: "2.0.192.in-addr.arpa",
            text: "$TTL 300\n@ SOA ns.example.com. host.example.com. 1 2 3 4 5\n NS ns.example.com.\n"
                + "1 PTR host1.example.com.\n2 PTR host2.example.com.\n"),
        // A reverse zone made with $GENERATE, and BIND's $DATE.
        Case(
            zone: "2.0.192.in-addr.arpa",
            text: "$TTL 300\n@ SOA ns.example.com. host.example.com. 1 2 3 4 5\n NS ns.example.com.\n"
                + "$GENERATE 1-20 $ PTR host-$.example.com.\n"
                + "$GENERATE 30-40/5 ${0,3,d} 60 IN PTR h${10,2,x}.example.com.\n  PTR after.example.com.\n"
                + "$DATE 20240101000000\n"),
        Case(
            zone: "example.com",
            text: head + "$GENERATE 1-4/2 host-$ A 192.0.2.$\n  TXT \"after\"\n$GENERATE 1-2 $ 30 TXT \"v$\"\n"
                + "$GENERATE 0-1 n${0,4,n} CNAME other\n"),
        // TTLs: no $TTL and an SOA without TTL (its minimum serves as $TTL).
        Case(
            zone: "example.com",
            text: "@ SOA ns host 1 2 3 4 60\n NS ns\nns A 192.0.2.1\nwww 300 A 192.0.2.2\nx A 192.0.2.3\n"),
        // No $TTL, an SOA with a TTL (RFC 1035: the last TTL), a set with mixed TTLs, units, class before TTL.
        Case(
            zone: "example.com",
            text: "@ 100 SOA ns host 1 2 3 4 60\n NS ns\nns A 192.0.2.1\nwww 1h30m A 192.0.2.2\n"
                + "www 200 A 192.0.2.3\nx A 192.0.2.4\ny IN 2d A 192.0.2.5\nz 1W IN TXT \"week\"\n"),
        // $TTL inside an $INCLUDE stays in force after it; the include's origin and owner do not.
        Case(
            zone: "example.com",
            text: "@ 100 SOA ns host 1 2 3 4 60\n NS ns\nns A 192.0.2.1\n$INCLUDE {DIR}inc.db sub.example.com.\n"
                + "z A 192.0.2.5\n",
            includes: ["inc.db": "$TTL 77\nfoo A 192.0.2.4\n  TXT \"same owner\"\n"]),
        // Out-of-zone data is ignored.
        Case(zone: "example.com", text: head + "g.example.net. A 192.0.2.9\nwww A 192.0.2.10\n"),
        // Escapes in names and TXT, parentheses and comments.
        Case(
            zone: "example.net",
            text: head + """
                a\\065b A 192.0.2.1 ; comment
                dot\\.ted A 192.0.2.2
                \\242.dyn A 192.0.2.3
                bin TXT "\\200\\201" ( "x"
                    "y" ) ; closing
                @ MX ( 10
                    mail.example.org. )
                """ + "\n"),
        // Generic forms for known types, TYPEnn, CLASSnn, and an unknown type.
        Case(
            zone: "example.org",
            text: head + """
                gen A \\# 4 0A000001
                gen6 AAAA \\# 16 20010db8000000000000000000000001
                t1 TYPE1 192.0.2.9
                c1 CLASS1 A 192.0.2.10
                unk TYPE65000 \\# 3 abcdef
                txt TYPE16 \\# 6 05 68656c6c6f
                """ + "\n"),
    ]

    static let invalid: [Case] = [
        Case(zone: "example.com", text: head + "www CNAME a\nwww A 192.0.2.1\n", valid: false),
        Case(zone: "example.com", text: "$TTL 300\n@ SOA ns host 1 2 3 4 5\nns A 192.0.2.1\n", valid: false),
        Case(zone: "example.com", text: head + "www A 300.1.1.1\n", valid: false),
        Case(zone: "example.com", text: head + "www FOO 1\n", valid: false),
        Case(zone: "example.com", text: head + "www TKEY 1\n", valid: false),
        Case(
            zone: "example.com", text: "www A 192.0.2.1\n@ SOA ns host 1 2 3 4 5\n NS ns\nns A 192.0.2.1\n",
            valid: false),
        Case(zone: "example.com", text: "www 300 A 192.0.2.1\n", valid: false),
        Case(zone: "example.com", text: "$TTL 300\n@ SOA ns host 1 2 3 4 5\n NS ns\n", valid: false),
        Case(zone: "example.com", text: head + "s SVCB 1 . bogus=1\n", valid: false),
        Case(zone: "example.com", text: head + "e EUI48 00-00-5e-00-53\n", valid: false),
        Case(zone: "example.com", text: head + "e EUI64 00-00-5e-ef-10-00-00\n", valid: false),
        Case(zone: "example.com", text: head + "n NSAP 0x47000580ffff0000000\n", valid: false),
        Case(zone: "example.com", text: head + "n NSEC3 1 0 10 zz 2vptu5timamqttgl4luu9kg21e0aor3s A\n", valid: false),
        Case(zone: "example.com", text: head + "x TXT \"open\n", valid: false),
        Case(zone: "example.com", text: head + "x A (192.0.2.1\n", valid: false),
    ]
}
