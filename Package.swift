// swift-tools-version: 6.0
import PackageDescription

// scripts/build-release.sh sets VZ_STATIC_C_LIBS=1 so that libcap/libacl-style
// archives are linked statically; libmnl stays dynamic (Debian ships no libmnl.a).
let package = Package(
    name: "vzkit",
    products: [
        .executable(name: "vzctl", targets: ["vzctl"]),
        .library(name: "ContainerKit", targets: ["ContainerKit"]),
    ],
    targets: [
        .target(
            name: "CShims",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        .systemLibrary(name: "CMnl", path: "Sources/CMnl"),
        .target(
            name: "ContainerKit",
            dependencies: ["CShims", "CMnl"],
            swiftSettings: [.swiftLanguageMode(.v6)],
            linkerSettings: [.linkedLibrary("mnl")]
        ),
        .executableTarget(
            name: "vzctl",
            dependencies: ["ContainerKit"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "ContainerKitTests",
            dependencies: ["ContainerKit"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["ContainerKit"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
