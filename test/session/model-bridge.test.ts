import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AssistantMessage, Message, ModelInfo } from "../../src/model/types.js";
import { collapseAttachments, expandAttachments, pastedFile } from "../../src/tui/attachments.js";
import { fuzzyFilter } from "../../src/tui/fuzzy.js";
import { normaliseCallId, prepareHistory } from "../../src/session/model-bridge.js";
import { tempRepo } from "../helpers.js";

const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
const info = (api: ModelInfo["api"], images = true): ModelInfo => ({
  name: "m",
  api,
  contextWindow: 1000,
  maxOutput: 100,
  price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  capabilities: { tools: true, images, reasoning: "none" },
});
const fromOpenAi: AssistantMessage = {
  role: "assistant",
  model: "openai:gpt-5.3-codex",
  api: "openai",
  stopReason: "tool_use",
  usage,
  content: [
    { type: "thinking", text: "Check the port first.", replay: { api: "openai", data: { type: "reasoning", encrypted_content: "xyz" } } },
    { type: "thinking", text: "", replay: { api: "openai", data: { type: "reasoning", encrypted_content: "only-encrypted" } } },
    { type: "tool_call", id: "call|abc.123", name: "shell", args: { command: "ls" } },
  ],
};
const history: Message[] = [
  { role: "user", content: [{ type: "text", text: "fix it" }] },
  fromOpenAi,
  { role: "tool", callId: "call|abc.123", name: "shell", content: [{ type: "text", text: "a.ts" }], isError: false },
];

describe("switching models mid-session (/model)", () => {
  it("turns another model's thinking into text and normalises tool-call ids in the call and its result", () => {
    const out = prepareHistory(history, { id: "anthropic:claude-opus-4-6", info: info("anthropic") }, () => undefined);
    const assistant = out[1] as AssistantMessage;
    expect(assistant.content[0]).toEqual({ type: "text", text: "<thinking>\nCheck the port first.\n</thinking>" });
    expect(assistant.content).toHaveLength(2);
    const call = assistant.content[1]!;
    expect(call.type === "tool_call" && call.id).toMatch(/^call_abc_123_[a-z0-9]+$/);
    expect(out[2]!.role === "tool" && out[2]!.callId).toBe(call.type === "tool_call" && call.id);
    // Deterministic: the same history gives the same request (a stable prompt prefix).
    expect(prepareHistory(history, { id: "anthropic:claude-opus-4-6", info: info("anthropic") }, () => undefined)).toEqual(out);
  });

  it("leaves the model's own turns byte-for-byte alone", () => {
    const out = prepareHistory(history, { id: "openai:gpt-5.3-codex", info: info("openai") }, () => undefined);
    expect(out[1]).toBe(fromOpenAi);
    expect(out[2]).toBe(history[2]);
  });

  it("keeps valid ids, and two different bad ids never meet", () => {
    expect(normaliseCallId("toolu_01ABC-x", 0)).toBe("toolu_01ABC-x");
    expect(normaliseCallId("a.b", 0)).not.toBe(normaliseCallId("a_b", 0));
    expect(normaliseCallId("x".repeat(100), 0).length).toBeLessThanOrEqual(64);
  });
});

describe("attachments", () => {
  it("@path puts a text file into the message and an image in as a part", () => {
    const cwd = tempRepo({ "src/a.ts": "export const a = 1;\n" });
    writeFileSync(path.join(cwd, "shot.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const { text, attached } = expandAttachments("look at @src/a.ts and @shot.png, not @nothing.ts", cwd);
    expect(attached).toEqual(["src/a.ts (1 line)", "shot.png (image)"]);
    expect(text).toContain('<file path="src/a.ts">\nexport const a = 1;\n</file>');
    expect(collapseAttachments(text)).toBe("look at @src/a.ts and @shot.png, not @nothing.ts\n📎 src/a.ts\n📎 shot.png (image)");
    const user: Message = { role: "user", content: [{ type: "text", text }] };
    const seen: string[] = [];
    const out = prepareHistory([user], { id: "anthropic:x", info: info("anthropic") }, (file) => {
      seen.push(file);
      return { type: "image", mediaType: "image/png", data: "iVBORw==" };
    });
    expect(seen).toEqual(["shot.png"]);
    expect(out[0]!.content.at(-1)).toEqual({ type: "image", mediaType: "image/png", data: "iVBORw==" });
    // A model that takes no images gets the marker text only.
    expect(prepareHistory([user], { id: "x:y", info: info("compatible", false) }, () => undefined)[0]).toBe(user);
  });

  it("a pasted (quoted, escaped or file://) path to an existing file is recognised", () => {
    const cwd = tempRepo({ "my shot.png": "x" });
    expect(pastedFile(`'${cwd}/my shot.png'`, cwd)).toBe("my shot.png");
    expect(pastedFile(`${cwd}/my\\ shot.png`, cwd)).toBe("my shot.png");
    expect(pastedFile(`file://${cwd}/my%20shot.png`, cwd)).toBe("my shot.png");
    expect(pastedFile("just some words", cwd)).toBeUndefined();
  });

  it("fuzzy file matching prefers file names, word starts and short paths", () => {
    const files = ["src/very/long/module/path.ts", "src/tui/view-model.ts", "docs/overview.md"];
    expect(fuzzyFilter("vmod", files, 3)[0]).toBe("src/tui/view-model.ts");
    expect(fuzzyFilter("zzz", files, 3)).toEqual([]);
  });
});
