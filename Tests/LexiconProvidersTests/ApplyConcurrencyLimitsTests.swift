import Lexicon
import LexiconProviders
import Testing

/// The providers whose documented rate limits a few parallel writers would exhaust apply fewer sets at once.
@Test func tightRateLimitsLowerTheApplyConcurrency() throws {
    let limits = try ["dnsmadeeasy", "dreamhost", "netcup", "easydns", "cloudflare"].map {
        try ProviderRegistry.standard.require($0).applyConcurrency
    }
    #expect(limits == [1, 1, 2, 2, 4])
}
