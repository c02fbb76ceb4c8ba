import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

/// Every HTTP provider against an endpoint that redirects to another host (127.0.0.1 → 127.0.0.2): the other host
/// must receive nothing, since every request carries credentials (headers, signatures, tokens in URLs).
@Suite("credentials go only to the configured endpoint")
struct RedirectTests {
    static let httpProviders = ProviderRegistry.standard.descriptors.filter(\.usesHTTP).map(\.name)
    /// Options that must hold a real RSA private key before anything is sent (a signed token request).
    static let rsaKeyOptions: Set = ["transip.auth_api_key"]
    /// That key, made by openssl at run time.
    static let rsaKey = Task {
        await CommandRunner.run(
            CommandRunner.which("openssl") ?? "openssl",
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        ).stdout
    }

    /// The command line for a provider: `list` where it can, otherwise an update-only `create`; every required option
    /// (and one secret) set to a recognisable value.
    static func arguments(_ descriptor: ProviderDescriptor, endpoint: String, rsaKey: String = "") -> (
        args: [String], secrets: [String]
    ) {
        var args: [String]
        if descriptor.capabilities.contains(.list) {
            args = [descriptor.name, "list", "example.com", "A"]
        } else {
            let domain = descriptor.fixedZone.map { "home." + $0 } ?? "home.example.com"
            args = [descriptor.name, "create", domain, "A", "--name", domain, "--content", "192.0.2.7"]
        }
        var secrets: [String] = []
        var options = descriptor.options.filter { $0.isRequired && !$0.isFlag && $0.name != descriptor.endpointOption }
        if !options.contains(where: \.isSecret), let secret = descriptor.options.first(where: \.isSecret) {
            options.append(secret)
        }
        for option in options {
            var value = option.name.hasSuffix("_ip") ? "192.0.2.44" : "marker\(option.name.count)x\(descriptor.name)"
            // A key must sign before anything is sent.
            if rsaKeyOptions.contains("\(descriptor.name).\(option.name)") { value = rsaKey }
            if option.name == "auth_service_account_info" {
                value = GoogleCloudDNSFake.accountInfo(tokenURI: endpoint + "/token")
            }
            if option.isSecret { secrets.append(value) }
            args += [option.flag, value]
        }
        // ClouDNS needs one of three identity options, none of them required on its own.
        if descriptor.name == "cloudns" { args += ["--auth-id", "4711"] }

        // OCI's credentials may come from a config file, so none is required; give them all, with a real key.
        if descriptor.name == "oci" {
            args += [
                "--auth-user", "u", "--auth-tenancy", "t", "--auth-fingerprint", "f", "--auth-key-content", rsaKey,
            ]
            args += ["--auth-config-file", "/dev/null"]
        }
        let path = descriptor.name == "dyndns2" ? "/nic/update" : "/api"
        args += [ProviderOption(descriptor.endpointOption, help: "").flag, endpoint + path, "--http-timeout", "5"]
        // A token bought at a separate login host (azure, googleclouddns) goes through the same redirector.
        if descriptor.options.contains(where: { $0.name == "token_endpoint" }) {
            args += ["--token-endpoint", endpoint + path]
        }
        args += ["--log-level", "DEBUG"]
        return (args, secrets)
    }

    @Test(arguments: httpProviders)
    func aRedirectToAnotherHostIsRefused(_ provider: String) async throws {
        let elsewhere = try LoopbackHTTPServer(host: "127.0.0.2") { _ in .respond(.init(status: 200)) }
        defer { elsewhere.stop() }
        let redirector = try LoopbackHTTPServer { request in
            .respond(.init(status: 302, headers: ["location": elsewhere.url + request.path]))
        }
        defer { redirector.stop() }
        let descriptor = try #require(ProviderRegistry.standard.descriptor(named: provider))
        let (args, secrets) = Self.arguments(descriptor, endpoint: redirector.url, rsaKey: await Self.rsaKey.value)
        let cli = try CLI()
        defer { cli.directory.remove() }
        let result = await cli.run(args)
        #expect(!redirector.requests.isEmpty, "\(provider) sent nothing: \(result.stderr)")
        #expect(elsewhere.requests.isEmpty, "\(provider) followed the redirect: \(elsewhere.requests)")
        #expect(result.status == 1, "\(provider): \(result.stderr)")
        #expect(
            result.stderr.contains("redirected (HTTP 302) to http://127.0.0.2:\(elsewhere.port),"), "\(result.stderr)")
        for secret in secrets { #expect(!result.stderr.contains(secret)) }
    }
}
