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
        .target(name: "LexiconProviders", dependencies: ["Lexicon", "LexiconHTTP"], path: "providers"),
        .target(name: "LexiconTesting", dependencies: ["Lexicon", "LexiconHTTP", "LexiconProviders"]),
        .executableTarget(
            name: "LexiconCLI",
            dependencies: ["Lexicon", "LexiconProviders"],
            path: "Sources/lexicon"
        ),
        .testTarget(name: "LexiconYAMLTests", dependencies: ["LexiconYAML"]),
        .testTarget(name: "LexiconTests", dependencies: ["Lexicon", "LexiconYAML", "LexiconTesting"]),
        .testTarget(name: "LexiconHTTPTests", dependencies: ["Lexicon", "LexiconHTTP", "LexiconTesting"]),
        .testTarget(
            name: "LexiconProvidersTests",
            dependencies: ["Lexicon", "LexiconProviders", "LexiconTesting"]
        ),
        .testTarget(
            name: "LexiconCLITests",
            dependencies: ["Lexicon", "LexiconTesting", "LexiconCLI"],
            exclude: ["Snapshots"]
        ),
    ]
)
