#include "vz_shims.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(VZ_DEV_MKNOD == BPF_DEVCG_ACC_MKNOD, "mknod access bit");
_Static_assert(VZ_DEV_READ == BPF_DEVCG_ACC_READ, "read access bit");
_Static_assert(VZ_DEV_WRITE == BPF_DEVCG_ACC_WRITE, "write access bit");

// Hand-built eBPF: no libbpf, no compiler, a dozen instructions.
#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(dst, src, off) INSN(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define MOV_K(dst, imm) INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define MOV_X(dst, src) INSN(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0)
#define ALU_K(op, dst, imm) INSN(BPF_ALU64 | (op) | BPF_K, dst, 0, 0, imm)
#define JMP_K(op, dst, imm, off) INSN(BPF_JMP | (op) | BPF_K, dst, 0, off, imm)
#define CALL(fn) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, fn)
#define EXIT INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int bpf(int cmd, union bpf_attr *attr) { return (int)syscall(SYS_bpf, cmd, attr, sizeof *attr); }

static int load(enum bpf_prog_type type, const struct bpf_insn *insns, int count) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_type = type;
    attr.insns = (uint64_t)(uintptr_t)insns;
    attr.insn_cnt = (uint32_t)count;
    attr.license = (uint64_t)(uintptr_t)"GPL";
    return bpf(BPF_PROG_LOAD, &attr);
}

// Attaches `prog` to the cgroup, then detaches the programs of that type
// attached there before: a restart or a live change replaces the policy,
// and there is no moment without one. ALLOW_MULTI lets the container's own
// cgroups below (systemd inside) add programs, which can only narrow this
// one: the kernel runs them all and needs every one to allow.
static int attach_replacing(int cgroup_fd, enum bpf_attach_type type, int prog) {
    uint32_t old[64];
    union bpf_attr query;
    memset(&query, 0, sizeof query);
    query.query.target_fd = (uint32_t)cgroup_fd;
    query.query.attach_type = type;
    query.query.prog_ids = (uint64_t)(uintptr_t)old;
    query.query.prog_cnt = sizeof old / sizeof old[0];
    if (bpf(BPF_PROG_QUERY, &query) < 0)
        return -1;
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.target_fd = (uint32_t)cgroup_fd;
    attr.attach_bpf_fd = (uint32_t)prog;
    attr.attach_type = type;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (bpf(BPF_PROG_ATTACH, &attr) < 0)
        return -1;
    attr.attach_flags = 0;  // detach refuses flags (EINVAL)
    for (uint32_t i = 0; i < query.query.prog_cnt; i++) {
        union bpf_attr get;
        memset(&get, 0, sizeof get);
        get.prog_id = old[i];
        int fd = bpf(BPF_PROG_GET_FD_BY_ID, &get);
        if (fd < 0)
            return -1;
        attr.attach_bpf_fd = (uint32_t)fd;
        int rc = bpf(BPF_PROG_DETACH, &attr);
        close(fd);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int load_and_attach(int cgroup_fd, enum bpf_prog_type type, enum bpf_attach_type attach,
                           const struct bpf_insn *insns, int count) {
    int prog = load(type, insns, count);
    if (prog < 0)
        return -1;
    int rc = attach_replacing(cgroup_fd, attach, prog);
    int err = errno;
    close(prog);
    errno = err;
    return rc;
}

int vz_bpf_device_policy(int cgroup_fd, const struct vz_device_rule *rules, int count) {
    enum { MAX_RULES = 128, PER_RULE = 8 };
    if (count < 0 || count > MAX_RULES) {
        errno = E2BIG;
        return -1;
    }
    struct bpf_insn insns[8 + MAX_RULES * PER_RULE];
    int n = 0;
    // r2 = type, r3 = access, r4 = major, r5 = minor (struct bpf_cgroup_dev_ctx).
    insns[n++] = LDX_W(2, 1, 0);
    insns[n++] = ALU_K(BPF_AND, 2, 0xffff);
    insns[n++] = LDX_W(3, 1, 0);
    insns[n++] = ALU_K(BPF_RSH, 3, 16);
    insns[n++] = LDX_W(4, 1, 4);
    insns[n++] = LDX_W(5, 1, 8);
    for (int i = 0; i < count; i++) {
        const struct vz_device_rule *r = &rules[i];
        // Each test jumps past the rest of this rule, to the next one.
        int length = 3 + 2 + (r->type != 'a') + (r->major >= 0) + (r->minor >= 0);
        int end = n + length;
        if (r->type != 'a')
            insns[n] = JMP_K(BPF_JNE, 2, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, end - n - 1), n++;
        insns[n++] = MOV_X(1, 3);
        insns[n++] = ALU_K(BPF_AND, 1, ~r->access);
        insns[n] = JMP_K(BPF_JNE, 1, 0, end - n - 1), n++;
        if (r->major >= 0)
            insns[n] = JMP_K(BPF_JNE, 4, r->major, end - n - 1), n++;
        if (r->minor >= 0)
            insns[n] = JMP_K(BPF_JNE, 5, r->minor, end - n - 1), n++;
        insns[n++] = MOV_K(0, 1);
        insns[n++] = EXIT;
    }
    insns[n++] = MOV_K(0, 0);
    insns[n++] = EXIT;
    return load_and_attach(cgroup_fd, BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, insns, n);
}

int vz_bpf_sysctl_policy(int cgroup_fd) {
    // Reads pass; a write passes only under net/, which the container's
    // own network namespace backs. Everything else in /proc/sys is the
    // host's kernel, however the container reaches it (a proc it mounted
    // itself, or its read-only /proc/sys unmounted).
    const uint32_t net = 'n' | 'e' << 8 | 't' << 16 | (uint32_t)'/' << 24;
    const struct bpf_insn insns[] = {
        MOV_X(6, 1),
        LDX_W(0, 1, offsetof(struct bpf_sysctl, write)),
        JMP_K(BPF_JEQ, 0, 0, 10),
        MOV_X(1, 6),
        MOV_X(2, 10),
        ALU_K(BPF_ADD, 2, -8),
        MOV_K(3, 8),
        MOV_K(4, 0),  // the full name, "net/ipv4/ip_forward"
        CALL(BPF_FUNC_sysctl_get_name),
        LDX_W(0, 10, -8),
        JMP_K(BPF_JEQ, 0, (int32_t)net, 2),
        MOV_K(0, 0),
        EXIT,
        MOV_K(0, 1),
        EXIT,
    };
    return load_and_attach(cgroup_fd, BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, insns,
                           (int)(sizeof insns / sizeof insns[0]));
}
