#if canImport(Glibc)
import Glibc
#endif

/// `vz start|stop|restart|status`: the classic `vz` init script's job, for
/// the systemd unit (conf/vz.service) to call. At start: every ONBOOT=yes
/// container, and every one that was running at the last `vz stop` unless
/// ONBOOT=no, highest BOOTORDER first, those without one last. At stop:
/// the running ones in the reverse order.
///
/// Containers of one BOOTORDER start (and stop) in parallel, up to
/// VE_PARALLEL at a time (default: 4 per CPU); a BOOTORDER is done before
/// the next begins. (The classic script cut its parallel batches across
/// BOOTORDERs, so a lower one could start beside a higher one.)
public enum VzService {
    static let usage = "Usage: vz {start|stop|status|restart|force-reload}"

    public static func main(_ args: [String]) -> Int32 {
        guard args.count == 1 else {
            print(usage)
            return 3
        }
        let layout = Layout.fromEnvironment()
        guard let host = try? HostConfig.load(layout) else {
            Console.writeErr("vz: unable to read \(layout.vzConfPath)")
            return 6
        }
        // The classic script's off switch.
        if host.value("VIRTUOZZO") == "no" { return 0 }
        let service = Service(host: host)
        switch args[0] {
        case "start": return service.start()
        case "stop": return service.stop()
        case "restart", "force-reload":
            _ = service.stop()
            return service.start()
        case "status":
            if Files.exists(service.marker) {
                print("OpenVZ is running...")
                return 0
            }
            print("OpenVZ is stopped.")
            return 3
        default:
            print(usage)
            return 3
        }
    }

    struct Service {
        let host: HostConfig
        var layout: Layout { host.layout }
        /// What the init script kept in /var/lock/subsys/vz: the service is up.
        var marker: String { layout.resolve("/var/lock/vz") }
        /// One empty file per container running at the last stop.
        var rebootDir: String { layout.resolve("/var/lib/vzctl/vzreboot") }

        var parallel: Int {
            if let n = Int(host.value("VE_PARALLEL") ?? ""), n > 0 { return n }
            return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) * 4
        }

        func start() -> Int32 {
            let wasRunning = Set(((try? Files.list(rebootDir)) ?? []).compactMap { CTID($0) })
            for ctid in wasRunning { unlink("\(rebootDir)/\(ctid)") }
            let chosen = containers().filter { ct in
                guard !ct.isRunning else { return false }
                let onboot = ct.config.yesNo("ONBOOT")
                return onboot == true || (onboot == nil && wasRunning.contains(ct.ctid))
            }
            let failed = run("start", "Starting CT:", bootGroups(chosen))
            if let slash = marker.lastIndex(of: "/") { _ = try? Files.makeDirectories(String(marker[..<slash])) }
            _ = try? Files.write(marker, "")
            return failed ? 1 : 0
        }

        func stop() -> Int32 {
            var running = containers().filter(\.isRunning)
            _ = try? Files.makeDirectories(rebootDir)
            for ct in running { _ = try? Files.write("\(rebootDir)/\(ct.ctid)", "") }
            var failed = false
            // VE_STOP_MODE=suspend (the classic default) checkpoints them, so
            // that `vz start` restores them as they were (start restores a
            // dump); one that cannot be checkpointed is stopped below.
            if (host.value("VE_STOP_MODE") ?? "suspend") == "suspend" {
                _ = run("suspend", "Suspending CT:", bootGroups(running).reversed())
                running = running.filter(\.isRunning)
            }
            // Three rounds, as the classic script: a container that refused
            // to stop gets another chance.
            for _ in 0..<3 where !running.isEmpty {
                failed = run("stop", "Shutting down CT:", bootGroups(running).reversed())
                running = running.filter(\.isRunning)
            }
            unlink(marker)
            return failed ? 1 : 0
        }

        /// Every container with a CTID.conf (CT 0, the host, is not one).
        func containers() -> [Container] {
            let ctids = ((try? Files.list(layout.confDir)) ?? []).compactMap { file in
                file.hasSuffix(".conf") ? CTID(file.dropLast(5)) : nil
            }
            return ctids.filter { $0.value != 0 }.sorted().compactMap { try? Container.load($0, host: host) }
        }

        /// Highest BOOTORDER first, those without one last; CTID order within.
        func bootGroups(_ cts: [Container]) -> [[Container]] {
            let order = { (ct: Container) in Int(ct.config.value("BOOTORDER") ?? "") }
            let keys = Set(cts.map(order)).sorted { a, b in
                switch (a, b) {
                case let (x?, y?): return x > y
                case (_?, nil): return true
                default: return false
                }
            }
            return keys.map { key in cts.filter { order($0) == key } }
        }

        /// `vzctl COMMAND CTID` for each container, a group at a time, up to
        /// `parallel` at once; prints the classic progress lines. Returns
        /// whether any failed.
        func run(_ command: String, _ header: String, _ groups: [[Container]]) -> Bool {
            let vzctl = Files.readLink("/proc/self/exe") ?? "vzctl"
            var failed = false
            for group in groups {
                var rest = group[...]
                while !rest.isEmpty {
                    let batch = rest.prefix(parallel)
                    rest = rest.dropFirst(batch.count)
                    print(header + batch.map { " \($0.ctid)" }.joined())
                    fflush(nil)
                    var children: [(CTID, pid_t?, String)] = []
                    for ct in batch {
                        guard let (fd, out) = try? Files.makeTempFile("/tmp/vz-\(command)-\(ct.ctid).") else {
                            children.append((ct.ctid, nil, ""))
                            continue
                        }
                        let argv = [vzctl] + (command == "stop" ? ["--skiplock"] : []) + [command, ct.ctid.description]
                        children.append((ct.ctid, try? Subprocess.spawn(argv, outputFD: fd), out))
                        close(fd)
                    }
                    for (ctid, pid, out) in children {
                        let ok = pid.flatMap { try? waitFor($0) }?.succeeded ?? false
                        let output = (try? Files.read(out)) ?? ""
                        unlink(out)
                        // The last thing vzctl said tells why it failed.
                        let why = ok ? "" : (Text.lines(output).last.map { String($0) + " " } ?? "")
                        print("Container \(ctid) \(command): \(why)\(ok ? "..done" : "..failed")")
                        failed = failed || !ok
                    }
                }
            }
            return failed
        }
    }
}
