import { describe, expect, it } from "vitest";
import { commandPattern, hasSubstitution, pathGlob, splitCommands } from "../../src/policy/patterns.js";

// The matching under every permission rule and tier scope: a pattern that matches too much
// loosens an allow rule, one that matches too little loosens a deny rule.

describe("path globs", () => {
  it("`*` stays within one segment, `**` crosses any depth, `**/` may match nothing", () => {
    expect(pathGlob("src/*.ts").test("src/a.ts")).toBe(true);
    expect(pathGlob("src/*.ts").test("src/x/a.ts")).toBe(false);
    expect(pathGlob("src/**").test("src/x/y/a.ts")).toBe(true);
    expect(pathGlob("src/**").test("srcx/a.ts")).toBe(false);
    expect(pathGlob("**/.env").test(".env")).toBe(true);
    expect(pathGlob("**/.env").test("a/b/.env")).toBe(true);
    expect(pathGlob("**/.env").test("a/b/x.env")).toBe(false);
    expect(pathGlob("**.env").test("a/b/x.env")).toBe(true);
  });

  it("`?` is one character but never a slash; everything else is literal", () => {
    expect(pathGlob("a?.txt").test("ab.txt")).toBe(true);
    expect(pathGlob("a?.txt").test("a/.txt")).toBe(false);
    expect(pathGlob("a?.txt").test("abc.txt")).toBe(false);
    expect(pathGlob("a.txt").test("abtxt")).toBe(false); // `.` is not a wildcard
    expect(pathGlob("a+(b).txt").test("a+(b).txt")).toBe(true);
    expect(pathGlob("secrets").test("secrets/key")).toBe(false); // anchored at both ends
    expect(pathGlob("key").test("secrets/key")).toBe(false);
  });

  it("the same pattern gives the same answer twice (the cache keeps paths and commands apart)", () => {
    expect(pathGlob("a*").test("a/b")).toBe(false);
    expect(commandPattern("a*").test("a/b")).toBe(true);
    expect(pathGlob("a*").test("a/b")).toBe(false);
  });
});

describe("command patterns", () => {
  it("`git *` matches git with any arguments and bare git, but not another program", () => {
    const git = commandPattern("git *");
    expect(git.test("git")).toBe(true);
    expect(git.test("git push --force origin main")).toBe(true);
    expect(git.test("gitk")).toBe(false);
    expect(git.test("sudo git push")).toBe(false);
  });

  it("`*` inside matches anything, slashes, spaces and newlines too; the rest is literal and anchored", () => {
    expect(commandPattern("rm -rf *").test("rm -rf /home/u/x y")).toBe(true);
    expect(commandPattern("npm run *").test("npm run build\n&& x")).toBe(true);
    expect(commandPattern("cat *.env").test("cat a/b.env")).toBe(true);
    expect(commandPattern("cat *.env").test("cat a/benv")).toBe(false);
    expect(commandPattern("make").test("make install")).toBe(false);
    expect(commandPattern("make").test("cmake")).toBe(false);
    expect(commandPattern("  ls  ").test("ls")).toBe(true);
    expect(commandPattern("echo (a)|b").test("echo (a)|b")).toBe(true);
  });
});

describe("splitting a shell line", () => {
  it("splits at &&, ||, ;, |, & and newlines and drops empty pieces", () => {
    expect(splitCommands("a && b || c; d | e & f\ng")).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
    expect(splitCommands(" ls ;; ")).toEqual(["ls"]);
    expect(splitCommands("")).toEqual([]);
  });

  it("drops leading VAR=value assignments, so `X=1 rm -rf /` is seen as rm", () => {
    expect(splitCommands("X=1 Y=two rm -rf /")).toEqual(["rm -rf /"]);
    expect(splitCommands("echo X=1")).toEqual(["echo X=1"]);
    expect(splitCommands("echo X=1 done")).toEqual(["echo X=1 done"]); // only leading assignments
    expect(splitCommands("X=1   rm -rf /")).toEqual(["rm -rf /"]);
    expect(splitCommands("_A9=x git push")).toEqual(["git push"]);
  });

  it("finds command and process substitution in every form", () => {
    for (const line of ["echo $(rm -rf ~)", "echo `id`", "diff <(a) b", "tee >(sh)"]) expect(hasSubstitution(line), line).toBe(true);
    for (const line of ["echo $HOME", "echo (a)", "a > b", "a < b"]) expect(hasSubstitution(line), line).toBe(false);
  });
});
