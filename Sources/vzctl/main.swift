#if canImport(Glibc)
import Glibc
#endif
import ContainerKit

// One binary, dispatched on the name it was run as (vzlist is a link to it).
let args = CommandLine.arguments
let name = args.first.map { String($0.split(separator: "/").last ?? "") } ?? "vzctl"
let code: Int32
switch name {
case "vzlist": code = Vzlist.main(Array(args.dropFirst()))
case "vzpkg": code = Vzpkg.main(Array(args.dropFirst()))
case "vzubc": code = Vzubc.main(Array(args.dropFirst()))
case "vzcpucheck": code = HostTools.cpucheck(Array(args.dropFirst()))
case "vzsplit": code = HostTools.split(Array(args.dropFirst()))
case "vzmemcheck": code = MemoryTools.memcheck(Array(args.dropFirst()))
case "vzcalc": code = MemoryTools.calc(Array(args.dropFirst()))
case "vzpid": code = Vzpid.main(Array(args.dropFirst()))
case "vz": code = VzService.main(Array(args.dropFirst()))
case "vzmigrate": code = Vzmigrate.main(Array(args.dropFirst()))
default: code = Vzctl.main(Array(args.dropFirst()))
}
fflush(nil)
exit(code)
