#!/usr/bin/env python3
"""Writes bench/RESULTS.md from the results.tsv that bench/run.sh collects.

Usage: python3 bench/report.py OUT/results.tsv RESULTS.md
"""
import sys
tsv, md = sys.argv[1], sys.argv[2]
R, bugs = {}, []
for line in open(tsv):
    k, _, v = line.rstrip("\n").partition("\t")
    if k == "bug": bugs.append(v)
    else: R[k] = v
ndef, nrun, runs = R["ndef"], R["nrun"], R["runs"]
def ms(key):
    v = R.get("ms." + key)
    return float(v) if v else None
def err(key, tool):
    e = R.get("err." + key) or R.get("err." + tool)
    return e
PEER = {"lxcf": "lxc", "vzkit0": "vzkit", "vzkitctid": "vzkit", "vzkitrun": "vzkit", "vzkit3": "vzkit", "floorsh": "floor"}
def table(section, rows, spaced=False):
    base = ms(f"{section}.vzkit")
    sbase = ms(f"{section}.vzkit.spaced")
    head = "| tool | command | median ms | ratio to vzkit | min ms |"
    rule = "|---|---|---:|---:|---:|"
    if spaced:
        head += f" spaced: median ms | spaced: ratio to vzkit |"
        rule += "---:|---:|"
    out = [head, rule]
    for tool, label, cmd in rows:
        v = ms(f"{section}.{tool}")
        if v is None:
            e = err(f"{section}.{tool}", PEER.get(tool, tool)) or "not measured"
            out.append(f"| {label} | `{cmd}` | failed | - | - |" + (" - | - |" if spaced else ""))
            fails.append((f"{label} ({section})", e))
            continue
        ratio = f"{v / base:.2f}" if base else "-"
        row = f"| {label} | `{cmd}` | {v:.2f} | {ratio} | {R.get(f'min.{section}.{tool}', '-')} |"
        if spaced:
            sv = ms(f"{section}.{tool}.spaced")
            if sv is None:
                fails.append((f"{label} ({section}, spaced)", err(f"{section}.{tool}.spaced", tool) or "not measured"))
                row += " failed | - |"
            else:
                row += f" {sv:.2f} | {f'{sv / sbase:.2f}' if sbase else '-'} |"
        out.append(row)
    return "\n".join(out)
SPACED_NOTE = (f"Spaced: the same command with {R['space']} s of idle before each of {R['spaced_runs']} runs (a sleep in "
    "hyperfine's prepare step, not timed), as when a person or a script runs one command now and then. Back-to-back runs keep "
    "the kernel's cgroup migration lock (cgroup_threadgroup_rwsem, a per-CPU rwsem) in its fast mode; after a pause, a write "
    "to cgroup.procs, which takes that lock for writing, first waits for an RCU grace period (this kernel: "
    "CONFIG_CGROUP_FAVOR_DYNMODS unset, v1 hierarchies mounted without favordynmods). nsenter moves no process between cgroups.\n")
fails = []
L = []
L.append("# vzkit against its peers\n")
L.append("Produced by `bash bench/run.sh` (raw hyperfine JSON in bench/out/, git-ignored).\n")
L.append(f"- date: {R['date']}")
L.append(f"- kernel: {R['kernel']}; cgroups: {R['cgroups']}")
L.append(f"- machine: {R['nproc']} CPUs ({R['cpu']}), {R['memtotal']} RAM; load average at start {R['loadavg']}")
L.append(f"- tools: {R['v.vzkit']}; {R['v.crun']}; {R['v.runc']}; {R['v.lxc']}; {R['v.hyperfine']}; {R['v.utillinux']}")
L.append(f"- method: `hyperfine -N --warmup 3`, medians of {runs} runs per command (lxc-ls -f: fewer); start and exec in "
         f"{R['rounds']} interleaved rounds (every tool in each round), medians over all rounds, so load from other work hits "
         "all tools alike. Every tool runs the same busybox root file system (vzkit's template cache). Other work ran on the "
         "machine at the same time, so absolute times are noisy: compare the ratios within this run.")
L.append("- OCI bundles (`crun spec`/`runc spec`): no terminal, read-only root, process `/bin/sleep 1000000`. "
         "LXC: own config (Debian's common.conf included, no network, `lxc.init.cmd = /sbin/init`, busybox init like vzkit).")
if R.get("note.crun.ns"):
    L.append(f"- crun refuses this host's cgroup layout as it is: `{R.get('err.crun.direct', '')}`. "
             "crun was therefore measured inside a private mount namespace (`unshare -m`) with /sys/fs/cgroup/unified "
             "unmounted, so it sees cgroup v1 only (the same controllers vzkit uses); the host is not changed. "
             "The whole hyperfine process runs in that namespace, so the unshare costs nothing per measured command.")
L.append("")

L.append("## 1. Start (until the container's first process runs)\n")
L.append(table("start", [
    ("vzkit", "vzkit", "vzctl start CT (prepare: vzctl stop CT --fast)"),
    ("crun", "crun", "crun run -d --bundle B ID (prepare: crun delete -f ID)"),
    ("runc", "runc", "runc run -d --bundle B ID (prepare: runc delete -f ID)"),
    ("lxc", "LXC", "lxc-start -n NAME (prepare: lxc-stop -n NAME -k)"),
    ("floor", "floor", "unshare -fmuinp --mount-proc chroot ROOTFS /bin/true"),
], spaced=True))
L.append("\nvzkit, crun, runc and LXC return once the container's init runs and leave it running; the floor runs /bin/true to its exit.\n")
L.append(SPACED_NOTE)
L.append("## 2. Exec into a running container\n")
L.append(table("exec", [
    ("vzkit", "vzkit", "vzctl exec CT /bin/true"),
    ("vzkit3", "vzkit, no shell", "vzctl exec3 CT /bin/true"),
    ("floor", "floor", "nsenter -a -t PID /bin/true (PID = the vzkit CT's init)"),
    ("floorsh", "floor + shell", "nsenter -a -t PID /bin/sh -c /bin/true"),
    ("crun", "crun", "crun exec ID /bin/true"),
    ("runc", "runc", "runc exec ID /bin/true"),
    ("lxc", "LXC", "lxc-attach -n NAME -- /bin/true"),
], spaced=True))
L.append("\n`vzctl exec` keeps the classic interface: the command runs through `bash -c` (here busybox `/bin/sh -c`, as there is no bash), "
         "so it execs twice; `floor + shell` is the floor for that interface. The target is taken against the plain floor.\n")
L.append(SPACED_NOTE)
L.append(f"## 3. List ({ndef} vzkit CTs defined, {nrun} running; {nrun} running OCI containers; {ndef} LXC containers defined, {nrun} running)\n")
L.append(table("list", [
    ("vzkit", "vzkit", "vzlist -a"),
    ("vzkitrun", "vzkit, running only", "vzlist"),
    ("vzkitctid", f"vzkit, config only", "vzlist -a -o ctid"),
    ("vzkit0", f"vzkit, 0 running", "vzlist -a"),
    ("crun", "crun", "crun list"),
    ("runc", "runc", "runc list"),
    ("lxc", "LXC", "lxc-ls"),
    ("lxcf", "LXC", "lxc-ls -f"),
]))
L.append(f"\n`vzkit, 0 running`: the same {ndef} CTs before any is started; `config only`: {nrun} running, fields that need only the config files. "
         "`vzlist -a` and `lxc-ls -f` show every defined container with its state; `crun list`/`runc list` know only the running ones; plain `lxc-ls` prints names only.\n")
L.append(f"## 4. Cost of a running idle container ({nrun} running)\n")
L.append("| tool | resident host processes per running CT | host memory per idle CT (MiB, median) | per cycle (MiB) |")
L.append("|---|---:|---:|---|")
def resident(tool):
    v = R.get("resident." + tool)
    if v is None: return None, ""
    n, _, ex = v.partition("|")
    return int(n), ex.strip()
res_ex = {}
for tool, label in [("vzkit", "vzkit"), ("crun", "crun"), ("runc", "runc"), ("lxc", "LXC"), ("noop", "no-op (noise)")]:
    n, ex = resident(tool)
    if ex: res_ex[label] = ex
    mem = R.get("mem." + tool)
    med, _, cyc = (mem or "").partition("|")
    if mem is None and n is None:
        if tool != "noop":
            e = R.get("err.mem." + tool) or R.get("err." + tool)
            L.append(f"| {label} | failed | failed | |")
            if e: fails.append((f"{label} (running {nrun})", e))
        continue
    nres = "-" if n is None else (f"{n / int(nrun):.2f} ({n} for {nrun})")
    L.append(f"| {label} | {nres} | {med or '-'} | {cyc} |")
L.append(f"\nResident host processes: processes present in two samples 0.5 s apart, outside the containers, that belong to the tool "
         "(vzkit: outside the CTs' cgroups or in the host PID namespace, and carrying this run's VZ_PREFIX or running the vzctl binary; "
         "crun/runc: their binaries; LXC: `[lxc monitor]` processes). Memory: drop of MemAvailable over starting "
         f"{nrun} containers (median of 5 reads before and after, 1 s settle), divided by {nrun}; median of the cycles; "
         "the no-op row is the same measurement with nothing started, i.e. the noise of this run (per container).")
for label, ex in res_ex.items():
    L.append(f"\n{label} resident processes (first 5): {ex}")
L.append("")

# targets
L.append("## Targets\n")
L.append("| target | measured | result |")
L.append("|---|---|---|")
def target(name, cond, measured):
    L.append(f"| {name} | {measured} | {'n/a' if cond is None else ('pass' if cond else 'FAIL')} |")
e, f = ms("exec.vzkit"), ms("exec.floor")
target("exec within 1.5x of `nsenter -a`", None if e is None or f is None else e <= 1.5 * f,
       "-" if e is None or f is None else f"{e:.2f} ms vs {f:.2f} ms = {e / f:.2f}x")
e, f = ms("exec.vzkit"), ms("exec.floorsh")
target("exec within 1.5x of the same command through nsenter (`sh -c`, as vzctl exec runs it)", None if e is None or f is None else e <= 1.5 * f,
       "-" if e is None or f is None else f"{e:.2f} ms vs {f:.2f} ms = {e / f:.2f}x")
e, f = ms("exec.vzkit3"), ms("exec.floor")
target("`vzctl exec3` (no shell) within 1.5x of `nsenter -a`", None if e is None or f is None else e <= 1.5 * f,
       "-" if e is None or f is None else f"{e:.2f} ms vs {f:.2f} ms = {e / f:.2f}x")
s, c = ms("start.vzkit"), ms("start.crun")
target("start faster than crun", None if s is None or c is None else s < c,
       "-" if s is None or c is None else f"{s:.2f} ms vs {c:.2f} ms = {s / c:.2f}x")
l, c = ms("list.vzkit"), ms("list.crun")
target(f"`vzlist -a` of {ndef} faster than `crun list`", None if l is None or c is None else l < c,
       "-" if l is None or c is None else f"{l:.2f} ms vs {c:.2f} ms = {l / c:.2f}x")
l, c = ms("list.vzkitrun"), ms("list.crun")
target(f"`vzlist` (the {nrun} running, as `crun list` shows them) faster than `crun list`", None if l is None or c is None else l < c,
       "-" if l is None or c is None else f"{l:.2f} ms vs {c:.2f} ms = {l / c:.2f}x")
e, f = ms("exec.vzkit.spaced"), ms("exec.floor.spaced")
target("exec within 1.5x of `nsenter -a`, spaced", None if e is None or f is None else e <= 1.5 * f,
       "-" if e is None or f is None else f"{e:.2f} ms vs {f:.2f} ms = {e / f:.2f}x")
s, c = ms("start.vzkit.spaced"), ms("start.crun.spaced")
target("start faster than crun, spaced", None if s is None or c is None else s < c,
       "-" if s is None or c is None else f"{s:.2f} ms vs {c:.2f} ms = {s / c:.2f}x")
n, _ = resident("vzkit")
target("zero resident host processes per running CT", None if n is None else n == 0,
       "-" if n is None else f"{n} for {nrun} running CTs")
L.append("")
if fails:
    L.append("## Peers or measurements that failed\n")
    for what, e in fails:
        L.append(f"- {what}: `{e}`")
    L.append("")
if bugs:
    L.append("## vzkit misbehaviour seen during the run\n")
    for b in bugs:
        L.append(f"- {b}")
    L.append("")
L.append(f"vzkit CT creation: {R.get('create.vzkit.each_ms', '-')} ms per `vzctl create` ({ndef} CTs).")
# The sections of bench/net.sh, bench/limits.sh and bench/criu.sh stay: other scripts measure them.
import os, re
old = open(md).read() if os.path.exists(md) else ""
kept = re.findall(r"<!-- (?:net|limits|criu):.*?<!-- /(?:net|limits|criu) -->\n", old, flags=re.S)
open(md, "w").write("\n".join(L) + "\n" + "".join("\n" + k for k in kept))
