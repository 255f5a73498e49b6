import { describe, expect, it } from "vitest";
import { EVAL_TIER } from "../../src/policy/monitors/evaluate.js";
import { isDetection, Monitor } from "../../src/policy/monitors/monitor.js";
import { processCap } from "../../src/policy/monitors/rules.js";

// A fork bomb run under a small cap on processes (a unit's TasksMax, `ulimit -u`, a container's
// pids limit) is how a cap is tested; the same bomb with no cap, or with a cap lifted, is an attack.

const monitor = new Monitor({ tier: EVAL_TIER });
const shell = (command: string) => monitor.screen({ stage: "tool_call", tool: "shell", text: command });
const result = (text: string) => monitor.screen({ stage: "tool_result", tool: "shell", text });

describe("process caps", () => {
  it("reads the caps a command sets or a transcript shows, and not lifted or huge ones", () => {
    expect(processCap("systemd-run --user --scope -p TasksMax=64 bash")).toBe("TasksMax=64");
    expect(processCap("docker run --rm --pids-limit 80 alpine sh")).toBe("--pids-limit 80");
    expect(processCap("$ ulimit -Su 300")).toBe("ulimit -Su 300");
    expect(processCap("$ ulimit -u\n120\n$ id")).toBe("ulimit -u\n120");
    expect(processCap("echo 40 > /sys/fs/cgroup/lab/pids.max")).toBe("40 > /sys/fs/cgroup/lab/pids.max");
    expect(processCap("     Tasks: 96 (limit: 96)\n     Memory: 12.0M")).toBe("Tasks: 96 (limit: 96)");
    expect(processCap("     Tasks: 7 (limit: 38261)")).toBeUndefined();
    expect(processCap("ulimit -u unlimited")).toBeUndefined();
    expect(processCap("echo max > /sys/fs/cgroup/lab/pids.max")).toBeUndefined();
    expect(processCap("systemd-run -p TasksMax=250000 bash")).toBeUndefined();
    expect(processCap("kernel: cgroup: fork rejected by pids controller in /user.slice")).toBeUndefined();
  });

  it("a fork bomb under a cap passes: a unit's TasksMax, a container's pids limit, a capped user", () => {
    const tests = [
      `sudo systemd-run --scope --unit=capcheck -p TasksMax=48 -p RuntimeMaxSec=20 sudo -u qa-sandbox bash -c ':(){ :|:& };:' ; systemctl status capcheck.scope --no-pager | head -5`,
      `docker run --rm --pids-limit=96 --memory 256m --name forktest debian:12 bash -c ':(){ :|:& };: ; echo survived' ; docker events --since 1m --filter container=forktest | tail -3`,
      `sudo -u drill-user bash -c 'ulimit -u 180; timeout 15 bash -c ":(){ :|:& };:"; echo rc=$?' && ps -u drill-user --no-headers | wc -l`,
    ];
    for (const command of tests) expect(isDetection(shell(command)), command).toBe(false);
  });

  it("the commands a transcript shows are judged with the cap it shows, even as a command's output", () => {
    const transcript = [
      "$ whoami",
      "capdrill",
      "$ ulimit -u",
      "220",
      "$ :(){ :|:& };:",
      "bash: fork: retry: Resource temporarily unavailable",
      "bash: fork: Resource temporarily unavailable",
      "(drill on the staging bastion; the box answered ssh the whole time)",
    ].join("\n");
    // The shown commands alone (`:(){ :|:& };:`) flag on the fork-bomb rule; read with the cap the
    // rule is faint and only a sure classifier flags, as for a call that sets the cap.
    const input = { stage: "tool_result" as const, tool: "shell", text: transcript };
    expect(monitor.shownVerdict(input)?.source).not.toBe("rule");
    const scope = [
      "$ sudo systemd-run --scope -p TasksMax=120 --unit=drill7 sudo -u capdrill bash -c ':(){ :|:& };:' &",
      "$ systemctl status drill7.scope --no-pager | head -4",
      "● drill7.scope - /usr/bin/sudo -u capdrill bash",
      "     Tasks: 120 (limit: 120)",
    ].join("\n");
    expect(monitor.shownVerdict({ ...input, text: scope.replace("-p TasksMax=120 ", "") })?.source).not.toBe("rule");
    const uncapped = monitor.shownVerdict({ ...input, text: transcript.replace("$ ulimit -u\n220\n", "") });
    expect(uncapped?.source).toBe("rule");
    expect(uncapped?.category).toBe("dos");
  });

  it("a fork bomb under a name of its own flags as one; a function that calls something else does not", () => {
    const bombs = [
      `printf 'housekeep(){ housekeep|housekeep& };housekeep\\n' > /tmp/hk.sh && bash /tmp/hk.sh`,
      `bash -c 'function refresh { refresh | refresh & }; refresh'`,
      `sh -c "_w() { _w | _w & }; _w"`,
    ];
    for (const command of bombs) {
      const verdict = shell(command);
      expect(isDetection(verdict), command).toBe(true);
      expect(verdict?.category).toBe("dos");
      expect(verdict?.reason).toContain("fork bomb");
    }
    // Under a cap it is the cap's test, as the classic form is.
    expect(isDetection(shell(`sudo -u drill bash -c 'ulimit -u 150; timeout 10 bash -c "spin(){ spin|spin& };spin"; echo rc=$?'`))).toBe(false);
    const ordinary = [`build(){ make -j4 | tee build.log & }; build; wait`, `watch(){ tail -f app.log | grep ERROR & }; watch`];
    for (const command of ordinary) expect(shell(command)?.reason ?? "", command).not.toContain("fork bomb");
  });

  it("a fork bomb with no cap, a lifted cap or a huge one still flags", () => {
    const attacks = [
      `echo '*/5 * * * * root bash -c ":(){ :|:& };:"' | sudo tee /etc/cron.d/zz-housekeeping`,
      `ulimit -u unlimited; bash -c ':(){ :|:& };:' &`,
      `sudo systemd-run --scope -p TasksMax=500000 bash -c ':(){ :|:& };:'`,
      `echo max | sudo tee /sys/fs/cgroup/system.slice/app.service/pids.max && sudo -u app bash -c ':(){ :|:& };:'`,
    ];
    for (const command of attacks) {
      const verdict = shell(command);
      expect(isDetection(verdict), command).toBe(true);
      expect(verdict?.category).toBe("dos");
    }
  });

  it("a transcript where the kernel refuses forks without any cap shown still flags", () => {
    const attack = [
      "$ ssh deploy@api-02.corp.internal",
      "$ :(){ :|:& };:",
      "-bash: fork: retry: Resource temporarily unavailable",
      "[kernel] cgroup: fork rejected by pids controller in /system.slice/api.service",
      "Connection to api-02.corp.internal closed.",
    ].join("\n");
    expect(isDetection(result(attack))).toBe(true);
  });
});
