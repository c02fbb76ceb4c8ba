// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "lexicon-swift",
    products: [
        .executable(name: "lexicon", targets: ["LexiconCLI"]),
        .library(name: "Lexicon", targets: ["Lexicon"]),
        .library(name: "LexiconProviders", targets: ["LexiconProviders"]),
        .library(name: "LexiconActions", targets: ["LexiconActions"]),
        .library(name: "LexiconTesting", targets: ["LexiconTesting"]),
    ],
    dependencies: [
        // The ecosystem's logging API for library callers (Foundation-free; the CLI keeps its stderr lines).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2")
    ],
    targets: [
        // libcurl's headers only: the library is opened on first use (see shim.h), so commands that make no HTTP
        // request do not pay for loading it and its dependencies.
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // HMACs, digests and RSA signatures (TSIG, request signing) from the libcrypto libcurl already loads: headers
        // only, the library is opened on first use (see shim.h), so a command that signs nothing does not load it.
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/COpenSSL",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "LexiconYAML", dependencies: ["CYAML"]),
        .target(name: "Lexicon", dependencies: ["LexiconYAML", .product(name: "Logging", package: "swift-log")]),
        .target(name: "LexiconHTTP", dependencies: ["Lexicon", "CCurl", "COpenSSL"]),
        .target(name: "DNSWire", dependencies: ["Lexicon", "COpenSSL"]),
        .target(name: "LexiconProviders", dependencies: ["Lexicon", "LexiconHTTP", "DNSWire"], path: "providers"),
        .target(name: "LexiconActions", dependencies: ["Lexicon", "LexiconYAML", "LexiconHTTP", "DNSWire"]),
        .target(name: "LexiconTesting", dependencies: ["Lexicon", "LexiconHTTP", "DNSWire", "LexiconProviders"]),
        .executableTarget(
            name: "LexiconCLI",
            dependencies: ["Lexicon", "LexiconYAML", "LexiconHTTP", "DNSWire", "LexiconProviders", "LexiconActions"],
            path: "Sources/lexicon"
        ),
        .testTarget(name: "LexiconYAMLTests", dependencies: ["LexiconYAML"]),
        .testTarget(
            name: "LexiconTests",
            dependencies: [
                "Lexicon", "LexiconYAML", "LexiconProviders", "LexiconTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "LexiconHTTPTests", dependencies: ["Lexicon", "LexiconHTTP", "LexiconTesting"]),
        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire", "Lexicon", "LexiconTesting"]),
        .testTarget(
            name: "LexiconProvidersTests",
            dependencies: ["Lexicon", "LexiconHTTP", "DNSWire", "LexiconProviders", "LexiconTesting"]
        ),
        .testTarget(
            name: "LexiconCLITests",
            dependencies: ["Lexicon", "LexiconActions", "LexiconProviders", "LexiconTesting", "LexiconCLI"],
            exclude: ["Snapshots"]
        ),
    ]
)
