import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The credentials of an API signing key: the options, over the values of a profile of an OCI config file.
struct OCICredentials {
    var user: String
    var tenancy: String
    var fingerprint: String
    var region: String
    var key: RSASigner

    init(context: ProviderContext) throws {
        let type = context.option("auth_type") ?? "api_key"
        guard type == "api_key" else {
            throw LexiconError(
                .unsupported,
                "--auth-type \(type) is not supported here; use api_key (an API signing key) with a config file "
                    + "or the --auth-user, --auth-tenancy, --auth-fingerprint and --auth-key-file options.",
                provider: "oci")
        }
        let profile = try Self.profile(context)
        func value(_ option: String, _ key: String) -> String? {
            context.option(option) ?? profile[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        func required(_ option: String, _ key: String) throws -> String {
            guard let found = value(option, key) else {
                throw LexiconError(
                    .config, "the \(key) is missing.", provider: "oci",
                    hint: "Pass --\(option.replacing("_", with: "-")), or set \(key) in the profile of the OCI "
                        + "config file (--auth-config-file, --auth-profile).")
            }
            return found
        }
        user = try required("auth_user", "user")
        tenancy = try required("auth_tenancy", "tenancy")
        fingerprint = try required("auth_fingerprint", "fingerprint")
        region =
            context.option("api_endpoint") != nil
            ? value("auth_region", "region") ?? "" : try required("auth_region", "region")
        if value("auth_pass_phrase", "pass_phrase") != nil {
            throw LexiconError(
                .unsupported,
                "encrypted API signing keys (--auth-pass-phrase) are not supported; decrypt the key "
                    + "(openssl pkey -in KEY -out PLAIN) and give that one.", provider: "oci")
        }
        let pem: String
        if let content = context.option("auth_key_content") {
            pem = content
        } else {
            let file = Self.expand(try required("auth_key_file", "key_file"))
            pem = String(decoding: try FileIO.read(file), as: UTF8.self)
        }
        let option = context.option("auth_key_content") != nil ? "--auth-key-content" : "--auth-key-file"
        key = try RSASigner(pem: pem, option: option, provider: "oci")
    }

    /// The profile's values, over those of `[DEFAULT]`; empty when no config file was asked for and the default one
    /// does not exist.
    static func profile(_ context: ProviderContext) throws -> [String: String] {
        let given = context.option("auth_config_file")
        let path = expand(given ?? OCIProvider.defaultConfigFile)
        let name = context.option("auth_profile") ?? "DEFAULT"
        guard access(path, R_OK) == 0 else {
            guard given == nil || given == OCIProvider.defaultConfigFile else {
                throw LexiconError(.config, "cannot read the OCI config file \(path).", provider: "oci")
            }
            if name != "DEFAULT" {
                throw LexiconError(
                    .config, "--auth-profile \(name) needs an OCI config file; \(path) cannot be read.",
                    provider: "oci")
            }
            return [:]
        }
        let sections = parse(String(decoding: try FileIO.read(path), as: UTF8.self))
        guard let section = sections[name] ?? (name == "DEFAULT" ? [:] : nil) else {
            throw LexiconError(.config, "the OCI config file \(path) has no profile [\(name)].", provider: "oci")
        }
        return (sections["DEFAULT"] ?? [:]).merging(section) { _, mine in mine }
    }

    /// The sections of an INI file, by name: `key=value` lines, `#` and `;` comments.
    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: " \t")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: " \t")
                sections[current!, default: [:]] = sections[current!] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: " \t").lowercased()
            sections[current]?[key] = String(line[line.index(after: equals)...]).trimmingCharacters(in: " \t")
        }
        return sections
    }

    /// A path with a leading `~` made the home directory.
    static func expand(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = getenv("HOME") else { return path }
        return String(cString: home) + path.dropFirst()
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
