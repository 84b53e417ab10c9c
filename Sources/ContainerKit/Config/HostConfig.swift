/// The global vz.conf, or the built-in defaults when the host has none.
public struct HostConfig: Sendable {
    public let file: ConfigFile
    public let layout: Layout

    public static func load(_ layout: Layout) throws(SysError) -> HostConfig {
        let path = layout.vzConfPath
        let text = try Files.readIfExists(path) ?? DefaultConfig.vzConf
        return HostConfig(file: ConfigFile(path: path, text: text), layout: layout)
    }

    public func value(_ key: String) -> String? { file.value(key) }

    public var lockDir: String { layout.resolve(value("LOCKDIR") ?? "/vz/lock") }
    public var dumpDir: String { layout.resolve(value("DUMPDIR") ?? "/vz/dump") }
    public var templateDir: String { layout.resolve(value("TEMPLATE") ?? "/vz/template") }
    public var cacheDir: String { templateDir + "/cache" }
}
