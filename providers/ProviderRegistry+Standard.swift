import Lexicon

extension ProviderRegistry {
    /// Every provider this package ships. Adding a provider is adding its folder and one line here.
    public static let standard = ProviderRegistry([
        AzureProvider.descriptor,
        DeSECProvider.descriptor,
        DigitalOceanProvider.descriptor,
        DNSMadeEasyProvider.descriptor,
        DNSimpleProvider.descriptor,
        DuckDNSProvider.descriptor,
        ExoscaleProvider.descriptor,
        DynDNS2Provider.descriptor,
        FreeDNSProvider.descriptor,
        GandiProvider.descriptor,
        GoDaddyProvider.descriptor,
        GoogleCloudDNSProvider.descriptor,
        HetznerProvider.descriptor,
        INWXProvider.descriptor,
        IONOSProvider.descriptor,
        LinodeProvider.descriptor,
        LocalZoneProvider.descriptor,
        LuaDNSProvider.descriptor,
        CloudflareProvider.descriptor,
        NamecheapProvider.descriptor,
        NamecomProvider.descriptor,
        NameSiloProvider.descriptor,
        NSOneProvider.descriptor,
        NetcupProvider.descriptor,
        OVHProvider.descriptor,
        PorkbunProvider.descriptor,
        PowerDNSProvider.descriptor,
        RFC2136Provider.descriptor,
        Route53Provider.descriptor,
        ScalewayProvider.descriptor,
        TransIPProvider.descriptor,
        VultrProvider.descriptor,
    ])
}
