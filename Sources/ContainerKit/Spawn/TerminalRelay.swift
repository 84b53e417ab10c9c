#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Copies our stdin to a pty master and its output to our stdout until the
/// other side hangs up, with our terminal (if any) in raw mode meanwhile
/// and its size changes passed on.
enum TerminalRelay {
    static func run(master: Int32) {
        var saved = termios()
        let isTTY = isatty(0) == 1 && tcgetattr(0, &saved) == 0
        if isTTY {
            var raw = saved
            cfmakeraw(&raw)
            tcsetattr(0, TCSANOW, &raw)
        }
        defer { if isTTY { tcsetattr(0, TCSANOW, &saved) } }
        let winch = isTTY ? vz_winch_fd() : -1
        defer { if winch >= 0 { close(winch) } }
        var buffer = [UInt8](repeating: 0, count: 8192)
        var stdinOpen = true
        while true {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: stdinOpen ? 0 : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: winch, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 3, -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[2].revents != 0 {
                vz_winch_drain(winch)
                copyWindowSize(to: master)
            }
            if fds[0].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n <= 0 { return }  // EIO: the shell and everything on the pty are gone
                if !writeAll(1, buffer, n) { return }
            }
            if fds[1].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n <= 0 {
                    stdinOpen = false
                } else if !writeAll(master, buffer, n) {
                    return
                }
            }
        }
    }

    static func copyWindowSize(to master: Int32) {
        var rows: UInt16 = 0
        var cols: UInt16 = 0
        if vz_get_winsize(0, &rows, &cols) == 0 { _ = vz_set_winsize(master, rows, cols) }
    }

    private static func writeAll(_ fd: Int32, _ buffer: [UInt8], _ count: Int) -> Bool {
        var done = 0
        while done < count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + done, count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}
