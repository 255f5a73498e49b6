import { describe, expect, it } from "vitest";
import { chooseEffort, resolveEffort } from "../../src/agent/effort.js";
import type { AssistantMessage, Message, ToolResultMessage } from "../../src/model/types.js";
import { emptyUsage } from "../../src/model/types.js";

const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });
const calls = (...list: [string, Record<string, unknown>][]): AssistantMessage => ({
  role: "assistant",
  content: list.map(([name, args], i) => ({ type: "tool_call", id: `c${i}`, name, args })),
  model: "scripted:t",
  api: "scripted",
  stopReason: "tool_use",
  usage: emptyUsage(),
});
const result = (name: string, text: string, isError = false): ToolResultMessage => ({
  role: "tool",
  callId: "c0",
  name,
  content: [{ type: "text", text }],
  isError,
});

describe("auto effort (chooseEffort)", () => {
  it("plans a large or open-ended task with high effort on the first step", () => {
    const choice = chooseEffort({ step: 1, messages: [user("Refactor the storage layer so that it supports Postgres")], steered: false });
    expect(choice.effort).toBe("high");
    expect(choice.reason).toMatch(/planning/);
    expect(chooseEffort({ step: 1, messages: [user("x".repeat(500))], steered: false }).effort).toBe("high");
  });

  it("starts a small concrete task at medium", () => {
    expect(chooseEffort({ step: 1, messages: [user("fix the typo in README.md")], steered: false }).effort).toBe("medium");
  });

  it("thinks hard right after a steering correction", () => {
    const messages = [user("add a flag"), calls(["list", {}]), result("list", "a.ts"), user("no, use an env var")];
    expect(chooseEffort({ step: 2, messages, steered: true })).toEqual({ effort: "high", reason: "steering correction just received" });
  });

  it("uses low effort after a step that only read or listed", () => {
    const messages = [user("add a flag"), calls(["list", {}], ["read_file", { path: "a.ts" }]), result("list", "a.ts"), result("read_file", "code")];
    expect(chooseEffort({ step: 2, messages, steered: false }).effort).toBe("low");
  });

  it("raises effort after a failed tool call or failing tests, and to max when failures repeat", () => {
    const failedOnce = [user("make the tests pass"), calls(["shell", { command: "npm test" }]), result("shell", "Tests: 2 failed, 5 passed\n[exit code 1]", true)];
    expect(chooseEffort({ step: 2, messages: failedOnce, steered: false })).toEqual({ effort: "high", reason: "tests are failing" });
    const toolError = [user("t"), calls(["edit_file", { path: "a.ts" }]), result("edit_file", "old text not found", true)];
    expect(chooseEffort({ step: 2, messages: toolError, steered: false }).reason).toBe("a tool call just failed");
    const twice = [...failedOnce, calls(["shell", { command: "npm test" }]), result("shell", "1 failed\n[exit code 1]", true)];
    expect(chooseEffort({ step: 3, messages: twice, steered: false }).effort).toBe("max");
  });

  it("does not count an old failure once a later step succeeded", () => {
    const messages = [
      user("t"),
      calls(["shell", { command: "npm test" }]),
      result("shell", "1 failed", true),
      calls(["shell", { command: "npm test" }]),
      result("shell", "all passed\n[exit code 0]"),
    ];
    expect(chooseEffort({ step: 3, messages, steered: false })).toEqual({ effort: "medium", reason: "routine step" });
  });

  it("goes to max when the same file is edited again and again", () => {
    const edit = (): Message[] => [calls(["edit_file", { path: "src/cart.ts" }]), result("edit_file", "edited")];
    const messages = [user("fix the cart"), ...edit(), ...edit(), ...edit()];
    const choice = chooseEffort({ step: 4, messages, steered: false });
    expect(choice.effort).toBe("max");
    expect(choice.reason).toContain("src/cart.ts");
  });

  it("resolveEffort passes fixed settings through and leaves an unset effort to the provider", () => {
    const situation = { step: 1, messages: [user("t")], steered: false };
    expect(resolveEffort("low", situation)).toEqual({ effort: "low" });
    expect(resolveEffort(undefined, situation)).toEqual({});
    expect(resolveEffort("auto", situation).reason).toBeDefined();
  });
});
