import { describe, expect, it } from "vitest";
import type { ToolCallPart } from "../../src/model/types.js";
import { PermissionPolicy } from "../../src/policy/permissions.js";
import { analyseShell, readsWithoutGrammar } from "../../src/policy/shell/analyse.js";
import { shellParser } from "../../src/policy/shell/parser.js";

// Runs in its own process (vitest forks per file): the parser starts unloaded here.

const ROOT = "/work/repo";
const shell = (command: string): ToolCallPart => ({ type: "tool_call", id: "c1", name: "shell", args: { command } });

/** Lines of plain words and list operators: decided without the grammar. */
const PLAIN = [
  "git status",
  "git  status\t--short",
  "npm test",
  "git status && npm test | tee out",
  "ls -la; rm -rf build",
  "rm x || echo failed &",
  "make -j4 & make docs",
  "echo 1&2",
  "git push origin main",
  "/bin/rm -f a.txt",
  "./rm x",
  "sudo rm x",
  "sudo -u root git push",
  "env A=1 rm x",
  "xargs rm",
  "nohup git push",
  "timeout 5 rm x",
  "sh -c ls",
  "bash",
  "eval rm x",
  "git config user.name=a",
  "curl example.com:8080/x",
  "npm run build -- --watch=false",
  "python3 -m pytest tests/unit",
  "cd src && ls\n\nnpm test\n",
  "ls;",
  "",
];

/** Lines the fallback would read differently from the grammar, or not exactly: these load it. */
const NEEDS_GRAMMAR = [
  "if true; then rm x; fi",
  "for f in a b; do rm f; done",
  "while true; do ls; done",
  "time rm x",
  "export A=b",
  "unset PATH",
  "FOO=1 rm x",
  "A=b",
  "git status &&",
  "ls |",
  ";ls",
  "ls ;; rm x",
  "ls & ; rm x",
  "ls |& tee x",
  "ls ||| rm x",
  "git status &&\nrm x",
  "rm 'x'",
  "rm $X",
  "rm *.log",
  "echo > out",
  "(rm x)",
  "rm x # comment",
];

const policies = {
  "rules over ask": new PermissionPolicy({
    user: { permissions: { mode: "ask", deny: ["shell: rm *", "shell: git push *"], ask: ["shell: curl *"], allow: ["shell: git *", "shell: npm *", "shell: ls *", "shell: echo *", "shell: tee *", "shell: make *"] } },
    project: {},
  }),
  "rules over full-auto": new PermissionPolicy({ user: { permissions: { mode: "full-auto", deny: ["shell: rm *"], allow: ["shell: git *"] } }, project: {} }),
};

function decisions(lines: string[]) {
  return lines.map((line) => ({
    line,
    analysis: (({ reader: _reader, ...rest }) => rest)(analyseShell(line)),
    decisions: Object.fromEntries(Object.entries(policies).map(([name, policy]) => [name, policy.decide(shell(line), undefined, ROOT)])),
  }));
}

describe("plain shell lines", () => {
  it("tells plain lines from lines that need the grammar", () => {
    for (const line of PLAIN) expect(readsWithoutGrammar(line), JSON.stringify(line)).toBe(true);
    for (const line of NEEDS_GRAMMAR) expect(readsWithoutGrammar(line), JSON.stringify(line)).toBe(false);
  });

  it("are decided without loading the grammar, exactly as with it", async () => {
    expect(shellParser()).toBeUndefined();
    for (const line of PLAIN) await policies["rules over ask"].ready(shell(line));
    expect(shellParser()).toBeUndefined();
    const without = decisions(PLAIN);
    // Without the grammar a line that needs it is unknown, so no rule can allow it.
    for (const line of NEEDS_GRAMMAR) expect(analyseShell(line).unknown, JSON.stringify(line)).toEqual(["the shell parser is not loaded"]);
    // The table is not trivial: every kind of answer is in it.
    const answers = new Set(without.flatMap((row) => Object.values(row.decisions).map((d) => d.decision)));
    expect([...answers].sort()).toEqual(["allow", "ask", "deny"]);

    await policies["rules over ask"].ready(shell(NEEDS_GRAMMAR[0]!));
    expect(shellParser()).toBeDefined();
    expect(analyseShell("git status").reader).toBe("tree-sitter");
    expect(decisions(PLAIN)).toEqual(without);
  });
});
