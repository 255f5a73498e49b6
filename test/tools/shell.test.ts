import { describe, expect, it } from "vitest";
import { shellTool } from "../../src/tools/shell.js";
import { sandbox } from "./helpers.js";

describe("shell", () => {
  it("runs in the workspace and ends with the exit code and duration", async () => {
    const box = sandbox();
    const result = await box.call(shellTool, { command: "pwd" });
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(new RegExp(`^${box.root}\\n\\[exit code 0, \\d+\\.\\d s\\]$`));
    expect(result.details).toMatchObject({ exitCode: 0, timedOut: false });
  });

  it("marks a failing command as an error and keeps its output", async () => {
    const box = sandbox();
    const result = await box.call(shellTool, { command: "echo oops >&2; exit 3" });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^oops\n\[exit code 3, /);
    expect(result.details).toMatchObject({ exitCode: 3 });
  });

  it("runs in a workdir inside the workspace and refuses one that is missing", async () => {
    const box = sandbox();
    box.write("sub/file.txt", "");
    const inSub = await box.call(shellTool, { command: "ls", workdir: "sub" });
    expect(inSub.text).toMatch(/^file\.txt\n/);
    const missing = await box.call(shellTool, { command: "ls", workdir: "nope" });
    expect(missing).toMatchObject({ isError: true, text: "workdir is not a folder: nope" });
  });

  it("kills a command that runs past its timeout", async () => {
    const box = sandbox();
    const result = await box.call(shellTool, { command: "echo start; sleep 20", timeout_ms: 300 });
    expect(result.isError).toBe(true);
    expect(result.text).toBe("start\n[killed after timeout of 0.3 s]");
    expect(result.details).toMatchObject({ timedOut: true, exitCode: null });
  });

  it("stops when the turn is aborted", async () => {
    const box = sandbox();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const result = await box.call(shellTool, { command: "sleep 20" }, { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result).toMatchObject({ isError: true, text: "[aborted]" });
  });

  it("keeps the head and the tail of long output", async () => {
    const box = sandbox();
    const result = await box.call(shellTool, { command: "seq 1 200000; echo FINAL-LINE" });
    expect(result.text.length).toBeLessThan(30_000);
    expect(result.text.startsWith("1\n2\n3\n")).toBe(true);
    expect(result.text).toMatch(/FINAL-LINE\n\[exit code 0, [\d.]+ s\]$/);
    expect(result.text).toContain("bytes of output omitted");
  });

  it("streams live output to onUpdate", async () => {
    const box = sandbox();
    const seen: string[] = [];
    await box.call(shellTool, { command: "echo live" }, { onUpdate: (t) => seen.push(t) });
    expect(seen.join("")).toBe("live\n");
  });

  it("answers bad argument types with the validation message", async () => {
    const box = sandbox();
    const wrongType = await box.call(shellTool, { command: 42 });
    expect(wrongType.isError).toBe(true);
    expect(wrongType.text).toMatch(/^Invalid arguments for shell: command: .*string.*Fix the arguments/);
    const tooLong = await box.call(shellTool, { command: "true", timeout_ms: 700_000 });
    expect(tooLong.text).toMatch(/^Invalid arguments for shell: timeout_ms: /);
  });
});
