import Foundation
import Testing

/// The debian-12-x86_64-minimal cache, made once per test run by the real
/// `vzpkg create cache` (debootstrap from the host's archive, about a
/// minute). It is kept under /var/cache/vzkit-test, keyed by the ISO week
/// and the recipe's source files, so that reruns skip debootstrap; a machine
/// without it builds it afresh.
enum DebianCache {
    static let name = "debian-12-x86_64-minimal"

    /// The tarball, or why there is none.
    static let tarball: Result<String, BuildFailure> = {
        let prefix = "/var/cache/vzkit-test/\(name)-\(key)"
        let path = prefix + "/vz/template/cache/\(name).tar.gz"
        if FileManager.default.fileExists(atPath: path) { return .success(path) }
        let result = TestHost.run(["vzpkg", "create", "cache", name], env: ["VZ_PREFIX": prefix])
        guard result.code == 0, FileManager.default.fileExists(atPath: path) else { return .failure(BuildFailure(result: result)) }
        // Older keys go: a week's cache is enough.
        let parent = "/var/cache/vzkit-test"
        for old in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where old.hasPrefix(name) && old != (prefix as NSString).lastPathComponent {
            try? FileManager.default.removeItem(atPath: parent + "/" + old)
        }
        return .success(path)
    }()

    struct BuildFailure: Error, CustomStringConvertible {
        let result: TestHost.Result
        var description: String { "vzpkg create cache \(DebianCache.name) failed: \(result)" }
    }

    /// ISO year-week plus a hash of the files that decide what the tree holds.
    static var key: String {
        let week = Calendar(identifier: .iso8601).dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date())
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for file in ["DebootstrapRecipe", "DebootstrapTemplate", "DebianRoot", "TemplateBuild"] {
            let text = (try? String(contentsOfFile: "\(TestHost.packageRoot)/Sources/ContainerKit/Storage/\(file).swift", encoding: .utf8)) ?? ""
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return "\(week.yearForWeekOfYear ?? 0)w\(week.weekOfYear ?? 0)-\(String(hash, radix: 16))"
    }

    /// A test host with the Debian cache in its cache directory.
    static func host(_ name: String = #function) throws -> TestHost {
        let host = try TestHost(name)
        try host.addTemplate(try tarball.get())
        return host
    }
}

/// Logs in through a terminal the way a person does: runs `argv` on a new
/// pty, types `password` at the password prompt, then a command whose
/// output (AUTH-42) appears only if a shell of the user runs it. Returns
/// everything the terminal showed, up to that or a refusal.
func typePassword(_ password: String, into argv: [String], env: [String: String]) -> String {
    let driver = """
        import os, pty, select, sys, time
        password, argv = sys.argv[1], sys.argv[2:]
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(argv[0], argv)
        out, stage, mark, end = b'', 0, 0, time.time() + 20
        while time.time() < end:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    data = os.read(fd, 1024)
                except OSError:
                    break
                if not data:
                    break
                out += data
            answer = out[mark:] if stage else b''
            if b'AUTH-42' in answer or b'incorrect' in answer or b'failure' in answer:
                break
            if stage == 0 and b'assword' in out:
                os.write(fd, password.encode() + b'\\n')
                stage, mark = 1, len(out)
            elif stage == 1 and len(out) > mark + 2:
                time.sleep(0.3)
                os.write(fd, b'echo AUTH-$((6*7)); exit\\n')
                stage = 2
        os.kill(pid, 9)
        sys.stdout.write(out.decode(errors='replace'))
        """
    return TestHost.run(["python3", "-c", driver, password] + argv, env: env).stdout
}
