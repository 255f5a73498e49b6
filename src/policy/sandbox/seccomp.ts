/**
 * The seccomp filter every sandboxed command runs under: a small classic-BPF program, written
 * here rather than pulled from libseccomp, that refuses the system calls a command needs only to
 * break out or to attack the kernel — mounting and unmounting (old and new mount API),
 * pivot_root, ptrace and reading other processes' memory, the kernel keyrings (root's keys are
 * shared with the host), bpf, perf, module loading, kexec, io_uring, userfaultfd, file handles,
 * setns, and new namespaces (a user namespace would hand the command a fresh set of
 * capabilities over its own copy of the mounts and the kernel's less trodden paths).
 *
 * The program checks the architecture field first: only the native ABI of x86_64 or aarch64
 * may run; a 32-bit or x32 call (int 0x80, the x32 bit) has different numbers, so it kills the
 * process rather than slip through. A refused call fails with EPERM (clone3 with ENOSYS, so
 * glibc falls back to clone, whose flags the filter can read).
 */

// BPF instruction classes and fields (linux/filter.h, linux/bpf_common.h).
const BPF_LD_W_ABS = 0x00 | 0x00 | 0x20;
const BPF_JMP_JEQ_K = 0x05 | 0x10 | 0x00;
const BPF_JMP_JGE_K = 0x05 | 0x30 | 0x00;
const BPF_JMP_JSET_K = 0x05 | 0x40 | 0x00;
const BPF_RET_K = 0x06 | 0x00;

// linux/seccomp.h
const RET_KILL_PROCESS = 0x80000000;
const RET_ERRNO = 0x00050000;
const RET_ALLOW = 0x7fff0000;
const EPERM = 1;
const ENOSYS = 38;

// Offsets into struct seccomp_data: nr (u32), arch (u32), instruction_pointer (u64), args[6] (u64).
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
/** The low 32 bits of args[0] (both architectures are little-endian). */
const OFFSET_ARG0_LOW = 16;

const AUDIT_ARCH_X86_64 = 0xc000003e;
const AUDIT_ARCH_AARCH64 = 0xc00000b7;
/** x32 system calls are the x86_64 numbers with this bit set. */
const X32_SYSCALL_BIT = 0x40000000;

/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME. */
const NEW_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080;

type Arch = "x64" | "arm64";

/** Calls refused outright, by name; the numbers per architecture follow. */
export const REFUSED_SYSCALLS = [
  "mount",
  "umount2",
  "pivot_root",
  "open_tree",
  "move_mount",
  "fsopen",
  "fsconfig",
  "fsmount",
  "fspick",
  "mount_setattr",
  "open_tree_attr",
  "ptrace",
  "process_vm_readv",
  "process_vm_writev",
  "keyctl",
  "add_key",
  "request_key",
  "bpf",
  "perf_event_open",
  "userfaultfd",
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  "init_module",
  "finit_module",
  "delete_module",
  "kexec_load",
  "kexec_file_load",
  "open_by_handle_at",
  "setns",
  "swapon",
  "swapoff",
  "reboot",
  "syslog",
  "acct",
  "quotactl",
  "settimeofday",
  "clock_settime",
  "clock_adjtime",
  "adjtimex",
  "iopl",
  "ioperm",
] as const;

type Refused = (typeof REFUSED_SYSCALLS)[number];

/** From asm/unistd_64.h (x86_64) and asm-generic/unistd.h (aarch64); iopl and ioperm exist on x86 only. */
const NUMBERS: Record<Arch, Partial<Record<Refused | "clone" | "clone3" | "unshare", number>>> = {
  x64: {
    mount: 165, umount2: 166, pivot_root: 155, open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433,
    mount_setattr: 442, open_tree_attr: 467, ptrace: 101, process_vm_readv: 310, process_vm_writev: 311, keyctl: 250, add_key: 248,
    request_key: 249, bpf: 321, perf_event_open: 298, userfaultfd: 323, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
    init_module: 175, finit_module: 313, delete_module: 176, kexec_load: 246, kexec_file_load: 320, open_by_handle_at: 304, setns: 308,
    swapon: 167, swapoff: 168, reboot: 169, syslog: 103, acct: 163, quotactl: 179, settimeofday: 164, clock_settime: 227,
    clock_adjtime: 305, adjtimex: 159, iopl: 172, ioperm: 173, clone: 56, clone3: 435, unshare: 272,
  },
  arm64: {
    mount: 40, umount2: 39, pivot_root: 41, open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433,
    mount_setattr: 442, open_tree_attr: 467, ptrace: 117, process_vm_readv: 270, process_vm_writev: 271, keyctl: 219, add_key: 217,
    request_key: 218, bpf: 280, perf_event_open: 241, userfaultfd: 282, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
    init_module: 105, finit_module: 273, delete_module: 106, kexec_load: 104, kexec_file_load: 294, open_by_handle_at: 265, setns: 268,
    swapon: 224, swapoff: 225, reboot: 142, syslog: 116, acct: 89, quotactl: 60, settimeofday: 170, clock_settime: 112,
    clock_adjtime: 266, adjtimex: 171, clone: 220, clone3: 435, unshare: 97,
  },
};

const AUDIT_ARCH: Record<Arch, number> = { x64: AUDIT_ARCH_X86_64, arm64: AUDIT_ARCH_AARCH64 };

/** The architectures the filter knows; elsewhere commands run without it (and the docs say so). */
export function seccompArch(arch: string = process.arch): Arch | undefined {
  return arch === "x64" || arch === "arm64" ? arch : undefined;
}

interface Insn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

const stmt = (code: number, k: number): Insn => ({ code, jt: 0, jf: 0, k });

/**
 * The filter for `arch` as the bytes of a `struct sock_filter[]` (8 bytes per instruction,
 * little-endian), ready for bwrap's --seccomp fd or seccomp(SECCOMP_SET_MODE_FILTER).
 */
export function seccompProgram(arch: Arch): Buffer {
  const numbers = NUMBERS[arch];
  const refused = REFUSED_SYSCALLS.map((name) => numbers[name]).filter((n): n is number => n !== undefined);
  // Jumps are relative and forward, so the program is laid out back to front in spirit:
  // [arch check] [load nr] [x32 check] [one JEQ per refused call] [clone3] [clone] [unshare] [allow] [eperm] [enosys] [flags check...]
  const body: Insn[] = [];
  const labels = new Map<string, number>();
  const fixups: { at: number; field: "jt" | "jf"; label: string }[] = [];
  const emit = (insn: Insn) => body.push(insn);
  const jump = (code: number, k: number, jt: string | 0, jf: string | 0) => {
    const at = body.length;
    emit({ code, jt: 0, jf: 0, k });
    if (jt !== 0) fixups.push({ at, field: "jt", label: jt });
    if (jf !== 0) fixups.push({ at, field: "jf", label: jf });
  };
  const label = (name: string) => labels.set(name, body.length);

  emit(stmt(BPF_LD_W_ABS, OFFSET_ARCH));
  jump(BPF_JMP_JEQ_K, AUDIT_ARCH[arch], 0, "kill");
  emit(stmt(BPF_LD_W_ABS, OFFSET_NR));
  if (arch === "x64") jump(BPF_JMP_JGE_K, X32_SYSCALL_BIT, "kill", 0);
  for (const nr of refused) jump(BPF_JMP_JEQ_K, nr, "eperm", 0);
  jump(BPF_JMP_JEQ_K, numbers.clone3!, "enosys", 0);
  jump(BPF_JMP_JEQ_K, numbers.clone!, "flags", 0);
  jump(BPF_JMP_JEQ_K, numbers.unshare!, "flags", 0);
  label("allow");
  emit(stmt(BPF_RET_K, RET_ALLOW));
  label("flags");
  emit(stmt(BPF_LD_W_ABS, OFFSET_ARG0_LOW));
  jump(BPF_JMP_JSET_K, NEW_NAMESPACE_FLAGS, "eperm", "allow-again");
  label("allow-again");
  emit(stmt(BPF_RET_K, RET_ALLOW));
  label("eperm");
  emit(stmt(BPF_RET_K, RET_ERRNO | EPERM));
  label("enosys");
  emit(stmt(BPF_RET_K, RET_ERRNO | ENOSYS));
  label("kill");
  emit(stmt(BPF_RET_K, RET_KILL_PROCESS));

  for (const { at, field, label: name } of fixups) {
    const target = labels.get(name);
    if (target === undefined) throw new Error(`seccomp: no label ${name}`);
    const offset = target - at - 1;
    if (offset < 0 || offset > 255) throw new Error(`seccomp: jump to ${name} out of range (${offset})`);
    body[at]![field] = offset;
  }
  const out = Buffer.alloc(body.length * 8);
  body.forEach((insn, i) => {
    out.writeUInt16LE(insn.code, i * 8);
    out.writeUInt8(insn.jt, i * 8 + 2);
    out.writeUInt8(insn.jf, i * 8 + 3);
    out.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return out;
}

/** prctl and seccomp numbers, for the unshare backend's loader (perl's syscall()). */
export const LOADER_SYSCALLS: Record<Arch, { prctl: number; seccomp: number }> = {
  x64: { prctl: 157, seccomp: 317 },
  arm64: { prctl: 167, seccomp: 277 },
};

/**
 * A perl one-liner that installs the filter (its first argument, in hex) and then runs
 * the rest of its arguments: util-linux has no seccomp loader, and perl-base is on every Debian
 * and Ubuntu system (the unshare backend already uses it for loopback). no_new_privs is set
 * first, as seccomp requires without CAP_SYS_ADMIN.
 */
export function perlSeccompLoader(arch: Arch): string {
  const { prctl, seccomp } = LOADER_SYSCALLS[arch];
  return [
    "my $p = pack('H*', shift @ARGV);",
    `syscall(${prctl}, 38, 1, 0, 0, 0) == 0 or die "no_new_privs: $!\\n";`,
    "my $f = pack('S x6 p', length($p) / 8, $p);",
    `syscall(${seccomp}, 1, 0, $f) == 0 or die "seccomp: $!\\n";`,
    "exec { $ARGV[0] } @ARGV or die \"exec: $!\\n\";",
  ].join(" ");
}
