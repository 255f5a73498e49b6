import { describe, expect, it } from "vitest";
import { seccompProgram } from "../../src/policy/sandbox/seccomp.js";

/**
 * The seccomp program, run through a small classic-BPF interpreter (the subset the program
 * uses: absolute word loads, JEQ/JGE/JSET with constants, RET), so every architecture's
 * decisions are checked here, whatever machine runs the tests.
 */

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const ENOSYS = 0x00050026;
const KILL = 0x80000000;

function run(program: Buffer, data: { nr: number; arch: number; arg0?: number }): number {
  const word = (offset: number) => (offset === 0 ? data.nr : offset === 4 ? data.arch : offset === 16 ? (data.arg0 ?? 0) >>> 0 : 0);
  let acc = 0;
  for (let pc = 0; pc < program.length / 8; ) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = word(k);
    else if (code === 0x06) return k;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x45) pc += (acc & k) !== 0 ? jt : jf;
    else throw new Error(`unexpected BPF opcode ${code.toString(16)}`);
    pc++;
  }
  throw new Error("fell off the end of the program");
}

const ARCHES = {
  x64: { audit: 0xc000003e, read: 0, mount: 165, umount2: 166, ptrace: 101, keyctl: 250, bpf: 321, clone: 56, clone3: 435, unshare: 272, execve: 59 },
  arm64: { audit: 0xc00000b7, read: 63, mount: 40, umount2: 39, ptrace: 117, keyctl: 219, bpf: 280, clone: 220, clone3: 435, unshare: 97, execve: 221 },
} as const;

const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWNS = 0x00020000;
/** What fork() passes: CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD. */
const FORK_FLAGS = 0x01200011;

describe("the seccomp filter", () => {
  for (const [arch, n] of Object.entries(ARCHES) as [keyof typeof ARCHES, (typeof ARCHES)[keyof typeof ARCHES]][]) {
    describe(arch, () => {
      const program = seccompProgram(arch);
      const call = (nr: number, arg0?: number) => run(program, { nr, arch: n.audit, ...(arg0 !== undefined ? { arg0 } : {}) });

      it("refuses mount, umount, ptrace, keyctl and bpf with EPERM, and lets ordinary calls through", () => {
        for (const nr of [n.mount, n.umount2, n.ptrace, n.keyctl, n.bpf]) expect(call(nr)).toBe(EPERM);
        for (const nr of [n.read, n.execve]) expect(call(nr)).toBe(ALLOW);
      });

      it("refuses new namespaces through clone and unshare, allows a plain fork, and sends clone3 back to clone", () => {
        expect(call(n.clone, FORK_FLAGS)).toBe(ALLOW);
        expect(call(n.clone, FORK_FLAGS | CLONE_NEWUSER)).toBe(EPERM);
        expect(call(n.unshare, CLONE_NEWUSER)).toBe(EPERM);
        expect(call(n.unshare, CLONE_NEWNS)).toBe(EPERM);
        expect(call(n.unshare, 0x00000400 /* CLONE_FILES */)).toBe(ALLOW);
        expect(call(n.clone3)).toBe(ENOSYS);
      });

      it("kills a call made with another architecture's numbers", () => {
        expect(run(program, { nr: 21, arch: 0x40000003 /* i386 */ })).toBe(KILL);
        expect(run(program, { nr: 21, arch: 0x40000028 /* arm */ })).toBe(KILL);
      });
    });
  }

  it("on x86_64, kills x32 calls (the same numbers with bit 30 set)", () => {
    expect(run(seccompProgram("x64"), { nr: 0x40000000 | 165, arch: ARCHES.x64.audit })).toBe(KILL);
    expect(run(seccompProgram("x64"), { nr: 0x40000000, arch: ARCHES.x64.audit })).toBe(KILL);
  });
});
