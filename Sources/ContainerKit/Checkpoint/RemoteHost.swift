#if canImport(Glibc)
import Glibc
#endif

/// The other end of a migration: commands over ssh and copies with rsync.
/// ssh runs in batch mode (never asks for a password) with connect and
/// keep-alive timeouts, rsync with an I/O timeout, and every child has a
/// deadline after which it is killed: nothing waits for ever on a dead
/// peer.
struct RemoteHost {
    /// `user@host`; `root@` is added to a bare host name.
    let target: String
    /// The words of `--ssh=OPTS` and `--rsync=OPTS`.
    let sshOptions: [String]
    let rsyncOptions: [String]
    /// Each command line before it runs (`-v -v`).
    var trace: (String) -> Void = { _ in }

    /// One ssh connection for every command and copy of a migration (a
    /// new one costs a key exchange, 0.1-0.4 s, which would count in the
    /// frozen time): the first ssh becomes a master in the background that
    /// exits after 30 idle seconds, or at `close`.
    let controlPath: String

    init(_ destination: String, ssh: String, rsync: String) {
        target = destination.contains("@") ? destination : "root@" + destination
        sshOptions = Self.words(ssh)
        rsyncOptions = Self.words(rsync)
        controlPath = "/tmp/vzmigrate.\(getpid()).ssh"
    }

    /// Ends the shared connection.
    func close() {
        _ = try? Self.runWithDeadline(sshCommand + ["-O", "exit", target], timeout: 10, trace: { _ in })
    }

    static let sshBase = [
        "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3",
    ]
    /// Exit code of ssh itself failing (cannot connect, connection lost).
    static let sshFailure: Int32 = 255

    var sshCommand: [String] {
        ["ssh"] + Self.sshBase + ["-o", "ControlMaster=auto", "-o", "ControlPath=\(controlPath)", "-o", "ControlPersist=30"] + sshOptions
    }

    /// Runs `command` with the remote user's shell; its output is returned,
    /// stdout and stderr together.
    func run(_ command: String, timeout: Int32 = 300) throws(SysError) -> (status: WaitStatus, output: String) {
        try Self.runWithDeadline(sshCommand + [target, command], timeout: timeout, trace: trace)
    }

    /// rsync `sources` to `remotePath` on the remote host (`-aHAX
    /// --numeric-ids`, `extra` adds `--delete` where a tree is synced).
    func rsync(_ extra: [String], _ sources: [String], to remotePath: String, timeout: Int32 = 3600) throws(SysError) -> (status: WaitStatus, output: String) {
        try Self.runWithDeadline(rsyncCommand(extra, sources, to: remotePath), timeout: timeout, trace: trace)
    }

    /// A sparse file's data (its holes skipped: GNU tar's --sparse finds
    /// them with SEEK_DATA) sent to `remoteDir`, at `relative` below both:
    /// the cost is the data in an image, not its size, where an rsync delta
    /// reads the whole size three times (a 2 GiB image: 8 s instead of 0.15).
    /// `changing`: the file is in use (the first pass of a running
    /// container), so tar's "file changed as we read it" (exit 1) is no
    /// failure: the second pass copies it again, frozen.
    func sparseCopyCommand(_ dir: String, _ relative: String, to remoteDir: String, changing: Bool) -> [String] {
        let remote = "tar -C \(Self.quote(remoteDir)) -xf -"
        let ssh = (sshCommand + [target, remote]).map(Self.quote).joined(separator: " ")
        let tar = ["tar", "-C", dir, "--sparse", "--warning=no-file-changed", "-cf", "-", relative].map(Self.quote).joined(separator: " ")
        let allowed = changing ? 1 : 0
        return ["bash", "-c", tar + " | " + ssh + "; s=(\"${PIPESTATUS[@]}\"); [ ${s[0]} -le \(allowed) ] && exit ${s[1]}; exit ${s[0]}"]
    }

    func rsyncCommand(_ extra: [String], _ sources: [String], to remotePath: String) -> [String] {
        let shell = sshCommand.map(Self.quote).joined(separator: " ")
        return ["rsync", "-aHAX", "--numeric-ids", "--timeout=60"] + extra + rsyncOptions
            + ["-e", shell] + sources + ["\(target):\(remotePath)"]
    }

    /// Runs `argv` with its output kept in a file, polling for its end; a
    /// child past `timeout` seconds is killed.
    static func runWithDeadline(_ argv: [String], timeout: Int32, trace: (String) -> Void) throws(SysError) -> (status: WaitStatus, output: String) {
        try runAll([argv], timeout: timeout, trace: trace)[0]
    }

    /// Runs the commands side by side and waits for all of them (the
    /// copies of a frozen container's disk and dump overlap).
    /// `showing`: their output goes to our stdout rather than into the results.
    static func runAll(_ commands: [[String]], timeout: Int32, trace: (String) -> Void, showing: Bool = false) throws(SysError) -> [(status: WaitStatus, output: String)] {
        try Children(commands, stdin: nil, trace: trace, showing: showing).wait(timeout: timeout)
    }

    /// Commands started side by side, their output each in a file.
    final class Children {
        private let commands: [[String]]
        private var files: [(fd: Int32, path: String)] = []
        private var pids: [pid_t] = []

        /// Starts `commands`, their standard input `stdin` (else /dev/null).
        init(_ commands: [[String]], stdin: Int32?, trace: (String) -> Void, showing: Bool = false) throws(SysError) {
            self.commands = commands
            let null = stdin == nil ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1
            defer { if null >= 0 { Glibc.close(null) } }
            do throws(SysError) {
                for argv in commands {
                    trace(argv.map(quote).joined(separator: " "))
                    files.append(try Files.makeTempFile("/tmp/vzmigrate-out."))
                    fflush(nil)
                    pids.append(try Subprocess.spawn(argv, outputFD: showing ? 1 : files.last!.fd, stdin: stdin ?? (null >= 0 ? null : nil)))
                }
            } catch {
                discard()
                throw error
            }
        }

        deinit { discard() }

        /// Those still running are killed, the output files removed.
        private func discard() {
            for pid in pids where pid > 0 {
                kill(pid, SIGKILL)
                _ = try? waitFor(pid)
            }
            for file in files {
                Glibc.close(file.fd)
                unlink(file.path)
            }
            pids = []
            files = []
        }

        /// Waits for all of them, polling; past `timeout` seconds they are killed.
        func wait(timeout: Int32) throws(SysError) -> [(status: WaitStatus, output: String)] {
            var statuses = [WaitStatus](repeating: .exited(0), count: commands.count)
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let deadline = now.tv_sec + Int(timeout)
            var pause: UInt32 = 200
            while pids.contains(where: { $0 > 0 }) {
                for (i, pid) in pids.enumerated() where pid > 0 {
                    var raw: Int32 = 0
                    let done = waitpid(pid, &raw, WNOHANG)
                    if done == pid {
                        statuses[i] = WaitStatus(raw: raw)
                        pids[i] = 0
                    } else if done < 0 && errno != EINTR {
                        throw SysError("waitpid", commands[i][0])
                    }
                }
                if !pids.contains(where: { $0 > 0 }) { break }
                clock_gettime(CLOCK_MONOTONIC, &now)
                if now.tv_sec > deadline {
                    let late = commands.indices.filter { pids[$0] > 0 }.map { commands[$0][0] }
                    throw SysError("\(late.joined(separator: ", ")) (timed out after \(timeout) s)", "", errno: ETIMEDOUT)
                }
                // Short waits: the frozen time counts every millisecond.
                usleep(pause)
                pause = min(pause * 2, 2_000)
            }
            return files.indices.map { (statuses[$0], (try? Files.read(files[$0].path)) ?? "") }
        }
    }

    /// Single-quoted for a POSIX shell where needed.
    static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@,+%".contains($0) }
        return plain ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }

    /// OPTS split into words at blanks, with '...' and "..." kept whole.
    static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" || c == "\n" {
                if inWord { result.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { result.append(current) }
        return result
    }
}
