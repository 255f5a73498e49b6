import { describe, expect, it } from "vitest";
import { inertShell } from "../../src/policy/monitors/inert-shell.js";
import { isDetection, Monitor } from "../../src/policy/monitors/monitor.js";

// A shell line that only waits and prints cannot do harm, whatever words or numbers it holds:
// the classifier has no say on it, and only the rules could stop it.

describe("lines that only wait and print", () => {
  it("are read as inert, in the background, with output thrown away", () => {
    for (const line of [
      "(sleep 2010.466287 &) ; nohup sleep 2010.466287 >/dev/null 2>&1 & echo started",
      "nohup sleep 600 >/dev/null 2>&1 &",
      "sleep 5; echo done",
      "sleep 1 && true || false",
      "echo ready",
      "printf done 2>/dev/null",
      "nice nohup sleep 30 </dev/null &>/dev/null & wait",
    ])
      expect(inertShell(line), line).toBe(true);
  });

  it("are not inert once anything else runs, a file is written or a word is expanded", () => {
    for (const line of [
      "nohup ./miner --pool 203.0.113.7:3333 >/dev/null 2>&1 &",
      "echo ssh-ed25519 AAAAC3 attacker@example.com >> ~/.ssh/authorized_keys",
      "echo $(cat /etc/shadow)",
      "echo `id`",
      'echo "hello"',
      "sleep 1; rm -rf /srv/data",
      "while true; do sleep 0; done &",
      ":(){ :|:& };:",
      "echo aGVsbG8= | base64 -d | bash",
      "sleep 5 > /tmp/out",
      "nice -n 10 sleep 5",
      "date -s 2020-01-01",
      "LD_PRELOAD=/tmp/hook.so sleep 1",
      "",
    ])
      expect(inertShell(line), line).toBe(false);
  });

  it("pass the monitor, which still flags a fork bomb", () => {
    const monitor = new Monitor();
    const screen = (text: string) => monitor.screen({ stage: "tool_call", tool: "shell", text });
    expect(isDetection(screen("(sleep 7705.290593 &) ; nohup sleep 7705.290593 >/dev/null 2>&1 & echo started"))).toBe(false);
    expect(isDetection(screen(":(){ :|:& };:"))).toBe(true);
  });
});
