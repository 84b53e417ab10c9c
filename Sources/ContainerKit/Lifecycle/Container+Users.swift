#if canImport(Glibc)
import Glibc
#endif

/// One `--userpasswd user:password`.
public struct UserPassword: Sendable {
    public let user: String
    public let password: String

    /// `user:password`, split at the first colon; nil for a name the
    /// container's tools would not take or a password chpasswd cannot carry.
    public init?(_ pair: String) {
        guard let colon = pair.firstIndex(of: ":") else { return nil }
        user = String(pair[..<colon])
        password = String(pair[pair.index(after: colon)...])
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        guard let first = user.first, first != "-", first != ".", user.allSatisfy(allowed.contains), user.count <= 32,
              !password.isEmpty, !password.contains("\n")
        else { return nil }
    }
}

extension Container {
    /// Run by the container's shell with `user:password` lines on its stdin
    /// (never in an argv or the environment).
    /// The user is made with useradd where the container has it, else by
    /// adding the /etc lines (busybox has no adduser or chpasswd here); the
    /// password is set with chpasswd, else with passwd.
    static let setPasswordScript = """
        while IFS= read -r line; do
            user=${line%%:*}
            pw=${line#*:}
            if ! grep -q "^$user:" /etc/passwd; then
                if command -v useradd >/dev/null 2>&1; then
                    useradd -m "$user" || exit 1
                else
                    n=$(awk -F: 'BEGIN { m = 999 } $3 > m && $3 < 60000 { m = $3 } END { print m + 1 }' /etc/passwd /etc/group)
                    echo "$user:x:$n:$n::/home/$user:/bin/sh" >> /etc/passwd &&
                    echo "$user:x:$n:" >> /etc/group &&
                    echo "$user:!:$(($(date +%s) / 86400)):0:99999:7:::" >> /etc/shadow &&
                    mkdir -p "/home/$user" && chown "$n:$n" "/home/$user" || exit 1
                fi
            fi
            if command -v chpasswd >/dev/null 2>&1; then
                printf '%s\\n' "$line" | chpasswd || exit 1
            else
                out=$(printf '%s\\n%s\\n' "$pw" "$pw" | passwd "$user" 2>&1) || { echo "$out" >&2; exit 1; }
            fi
        done
        """

    /// `vzctl set --userpasswd`: done by the container's own tools from
    /// inside it. A stopped container is started for it without its network
    /// setup and killed afterwards, as vzctl did.
    public func setPasswords(_ pairs: [UserPassword], progress: (String) -> Void) throws(VZError) {
        let wasRunning = isRunning
        let wasMounted = isMounted
        if !wasRunning {
            var options = StartOptions()
            options.skipSetup = true
            try start(options, progress: progress)
        }
        defer { if !wasRunning { _ = try? stop(fast: true, skipUmount: wasMounted, progress: progress) } }
        let input = pairs.map { "\($0.user):\($0.password)\n" }.joined()
        let status: WaitStatus
        do {
            let pid = try requireInit()
            status = try execDirect([try shell(initPID: pid), "-c", Self.setPasswordScript], input: input, returnAfter: true)
        } catch {
            throw VZError(.changePassword, "Password change failed: \(error.message)")
        }
        guard status.succeeded else { throw VZError(.changePassword, "Password change failed") }
    }
}
