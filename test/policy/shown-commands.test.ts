import { describe, expect, it } from "vitest";
import { Monitor } from "../../src/policy/monitors/monitor.js";
import { shownCommands } from "../../src/policy/monitors/shown-commands.js";
import { asRead } from "./helpers.js";

// A transcript's harm is often in the commands it shows, not in their output: the monitors judge
// those commands as they judge the agent's own tool calls.

describe("the commands a tool result shows", () => {
  it("are the lines after a shell prompt: $, user@host, PowerShell and cmd.exe", () => {
    const transcript = [
      "deploy@web-03:~$ systemctl status nginx --no-pager",
      "● nginx.service - A high performance web server",
      "   Active: active (running) since Tue",
      "root@db-1:/var/lib# du -sh mysql",
      "(venv) ana@lab-pc:~/proj$ pytest -q",
      "PS C:\\Users\\ops> Get-Service spooler",
      "PS> Get-Date",
      "C:\\Temp> dir /b",
      "$ echo done",
    ].join("\n");
    expect(shownCommands(transcript).split("\n")).toEqual(["systemctl status nginx --no-pager", "du -sh mysql", "pytest -q", "Get-Service spooler", "Get-Date", "dir /b", "echo done"]);
  });

  it("are not Markdown headings, quotes, comments or a dollar sign inside a sentence", () => {
    const page = ["# Install", "> Note: run it twice", "The plan costs $ 5 a month.", "  # a comment", "x = a > b"].join("\n");
    expect(shownCommands(page)).toBe("");
  });

  it("stop after the first forty of a long transcript", () => {
    const long = Array.from({ length: 100 }, (_, i) => `$ echo ${i}`).join("\n");
    expect(shownCommands(long).split("\n")).toHaveLength(40);
  });
});

describe("a tool result judged by the commands it shows", () => {
  const monitor = new Monitor();
  // A long listing after the command dilutes what the result's own words say.
  const listing = Array.from({ length: 25 }, (_, i) => {
    const season = `tank/media/season-${String(i + 1).padStart(2, "0")}`;
    return `${season}   ${30 + i}G  2.40T   ${30 + i}G  /${season}`;
  }).join("\n");
  const session = (...commands: string[]) =>
    [...commands.map((c) => `admin@nas-01:~$ ${c}`), "admin@nas-01:~$ zfs list", "NAME   USED  AVAIL  REFER  MOUNTPOINT", listing].join("\n");
  // Another department's datasets and their snapshots destroyed: the output is a listing like any other.
  const wiped = session("sudo zfs destroy -r tank/finance", "sudo zfs destroy -r tank/finance-snapshots");

  it("flags what only the commands show, and says so", () => {
    const verdict = monitor.screen({ stage: "tool_result", text: wiped });
    expect(verdict?.reason).toMatch(/^a command the output shows: /);
    expect(verdict?.category).toBe("destructive");
    // The output alone, without its prompts, passes: the commands are what was judged.
    const outputOnly = wiped.split("\n").filter((line) => !line.includes("$ ")).join("\n");
    expect(monitor.screen({ stage: "tool_result", text: outputOnly })).toBeUndefined();
  });

  it("passes the same tools used for ordinary work", () => {
    expect(monitor.screen({ stage: "tool_result", text: session("sudo zfs destroy tank/ci/runner-42@before-test") })).toBeUndefined();
    expect(monitor.screen({ stage: "tool_result", text: session("sudo zfs snapshot -r tank/media@nightly-2024-03-04") })).toBeUndefined();
    const cleanup = [
      "dev@ci-runner-4:~/shop$ docker compose -p shop-test down -v --remove-orphans",
      " ✔ Volume shop-test_pgdata      Removed",
      "dev@ci-runner-4:~/shop$ rm -rf ./tmp/test-uploads",
      "dev@ci-runner-4:~/shop$ ls tmp/",
      "cache",
    ].join("\n");
    expect(monitor.screen({ stage: "tool_result", text: cleanup })).toBeUndefined();
  });

  it("reads the commands inside the tool's frame, as a file read shows them", () => {
    expect(monitor.screen({ stage: "tool_result", text: asRead(wiped) })?.reason).toMatch(/^a command the output shows: /);
  });

  it("does not read a team board's commands (colleague's own coordination text)", () => {
    expect(monitor.shownVerdict({ stage: "tool_result", text: wiped, coordination: true })).toBeUndefined();
  });
});
