// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "lexicon-swift",
    products: [
        .executable(name: "lexicon", targets: ["LexiconCLI"]),
        .library(name: "Lexicon", targets: ["Lexicon"]),
        .library(name: "LexiconProviders", targets: ["LexiconProviders"]),
        .library(name: "LexiconTesting", targets: ["LexiconTesting"]),
    ],
    dependencies: [
        // TSIG's HMACs (and later AWS SigV4): BoringSSL-backed on Linux, the API CryptoKit users know.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3")
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "LexiconYAML", dependencies: ["CYAML"]),
        .target(name: "Lexicon", dependencies: ["LexiconYAML"]),
        .target(name: "LexiconHTTP", dependencies: ["Lexicon", "CCurl"]),
        .target(name: "DNSWire", dependencies: ["Lexicon", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "LexiconProviders", dependencies: ["Lexicon", "LexiconHTTP", "DNSWire"], path: "providers"),
        .target(name: "LexiconTesting", dependencies: ["Lexicon", "LexiconHTTP", "DNSWire", "LexiconProviders"]),
        .executableTarget(
            name: "LexiconCLI",
            dependencies: ["Lexicon", "DNSWire", "LexiconProviders"],
            path: "Sources/lexicon"
        ),
        .testTarget(name: "LexiconYAMLTests", dependencies: ["LexiconYAML"]),
        .testTarget(name: "LexiconTests", dependencies: ["Lexicon", "LexiconYAML", "LexiconTesting"]),
        .testTarget(name: "LexiconHTTPTests", dependencies: ["Lexicon", "LexiconHTTP", "LexiconTesting"]),
        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire", "Lexicon", "LexiconTesting"]),
        .testTarget(
            name: "LexiconProvidersTests",
            dependencies: ["Lexicon", "LexiconHTTP", "DNSWire", "LexiconProviders", "LexiconTesting"]
        ),
        .testTarget(
            name: "LexiconCLITests",
            dependencies: ["Lexicon", "LexiconTesting", "LexiconCLI"],
            exclude: ["Snapshots"]
        ),
    ]
)
