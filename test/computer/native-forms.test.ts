import { afterEach, describe, expect, it } from "vitest";
import { ComputerArgs } from "../../src/computer/desktop/computer-tool.js";
import { createModel as createAnthropic } from "../../src/model/anthropic.js";
import { findModel } from "../../src/model/catalog.js";
import { computerArgsFromOpenAI } from "../../src/model/openai-computer.js";
import { createModel as createOpenAI } from "../../src/model/openai.js";
import type { Scenario } from "../../src/model/scenario.js";
import type { Model } from "../../src/model/types.js";
import { defineTool } from "../../src/tools/define.js";
import { readFileTool } from "../../src/tools/index.js";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { openaiAction, openaiFakeFromScenario } from "../fakes/openai.js";
import { runScenario } from "../helpers.js";

/** A 1×1 PNG: what the stand-in computer tool shows. */
const PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const retry = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 };

/** The computer tool's shape (arguments, native form) with a recorded, screen-less execute. */
function standInComputer(calls: unknown[]) {
  return defineTool({
    name: "computer",
    description: "the desktop",
    readOnly: false,
    parameters: ComputerArgs,
    native: { kind: "computer", display: { width: 1024, height: 640 } },
    async execute(args) {
      calls.push(args);
      return { content: [{ type: "text", text: `did ${args.action}` }, { type: "image", mediaType: "image/png", data: PIXEL }] };
    },
  });
}

const scenario: Scenario = {
  steps: [
    { toolCalls: [{ name: "computer", args: { action: "screenshot" } }] },
    { toolCalls: [{ name: "computer", args: { action: "left_click", coordinate: [512, 300] } }] },
    { toolCalls: [{ name: "computer", args: { action: "type", text: "hello" } }] },
    { text: "done" },
  ],
};

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function play(model: Model) {
  const calls: unknown[] = [];
  const run = await runScenario(scenario, { model, tools: [readFileTool, standInComputer(calls)] });
  return { calls, status: run.result.status };
}

describe("the computer tool in each provider's form", () => {
  it("Claude models that have it get Anthropic's computer tool with the screenshot size and its beta; their calls run the tool", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario(scenario));
    servers.push(server);
    const opus = findModel("anthropic", "claude-opus-4-6")!;
    const { calls, status } = await play(createAnthropic("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry }));
    expect(status).toBe("completed");
    expect(calls).toEqual([{ action: "screenshot" }, { action: "left_click", coordinate: [512, 300] }, { action: "type", text: "hello" }]);
    const first = server.requests[0]!;
    const tools = (first.body as { tools: Array<Record<string, unknown>> }).tools;
    expect(tools.find((t) => t.name === "computer")).toMatchObject({ type: "computer_20251124", display_width_px: 1024, display_height_px: 640, enable_zoom: true });
    expect(tools.find((t) => t.name === "computer")).not.toHaveProperty("input_schema");
    expect(tools.find((t) => t.name === "read_file")).toHaveProperty("input_schema");
    expect(String(first.headers["anthropic-beta"])).toContain("computer-use-2025-11-24");
    // The screenshot goes back as an image in the tool result.
    const last = server.requests.at(-1)!.body as { messages: Array<{ content: Array<Record<string, unknown>> }> };
    const results = last.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((b) => b.type === "tool_result");
    expect((results[0]!.content as Array<{ type: string }>).map((b) => b.type)).toEqual(["text", "image"]);
  });

  it("Sonnet 4.5 gets the 2025-01-24 version; a model without native computer use gets a function tool", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario(scenario));
    servers.push(server);
    const sonnet = findModel("anthropic", "claude-sonnet-4-5")!;
    expect((await play(createAnthropic("anthropic:claude-sonnet-4-5", sonnet, { apiKey: "k", baseURL: server.url, retry }))).status).toBe("completed");
    const tools = (server.requests[0]!.body as { tools: Array<Record<string, unknown>> }).tools;
    expect(tools.find((t) => t.name === "computer")).toMatchObject({ type: "computer_20250124" });
    expect(tools.find((t) => t.name === "computer")).not.toHaveProperty("enable_zoom");

    const plain = await openaiFakeFromScenario(scenario);
    servers.push(plain);
    const codex = findModel("openai", "gpt-5.3-codex")!;
    const { calls, status } = await play(createOpenAI("openai:gpt-5.3-codex", codex, { apiKey: "k", baseURL: `${plain.url}/v1`, retry }));
    expect(status).toBe("completed");
    expect(calls).toHaveLength(3);
    const body = plain.requests[0]!.body as { tools: Array<Record<string, unknown>>; truncation?: string };
    expect(body.tools.find((t) => t.name === "computer")).toMatchObject({ type: "function", parameters: { properties: { action: {} } } });
    expect(body.truncation).toBeUndefined();
  });

  it("OpenAI's computer-use model gets computer_use_preview; computer_call items run the tool and go back with computer_call_output screenshots", async () => {
    const server = await openaiFakeFromScenario(scenario);
    servers.push(server);
    const cua = findModel("openai", "computer-use-preview")!;
    const { calls, status } = await play(createOpenAI("openai:computer-use-preview", cua, { apiKey: "k", baseURL: `${server.url}/v1`, retry }));
    expect(status).toBe("completed");
    expect(calls).toEqual([{ action: "screenshot" }, { action: "left_click", coordinate: [512, 300] }, { action: "type", text: "hello" }]);
    const first = server.requests[0]!.body as { tools: Array<Record<string, unknown>>; truncation?: string };
    expect(first.tools).toContainEqual({ type: "computer_use_preview", display_width: 1024, display_height: 640, environment: "linux" });
    expect(first.truncation).toBe("auto");
    const last = server.requests.at(-1)!.body as { input: Array<Record<string, unknown>> };
    const sent = last.input.filter((i) => i.type === "computer_call");
    expect(sent.map((i) => i.action)).toEqual([{ type: "screenshot" }, { type: "click", button: "left", x: 512, y: 300 }, { type: "type", text: "hello" }]);
    // Each call went back byte for byte as the fake streamed it.
    const streamed = server.responses.flatMap((r) => (r.output as Array<Record<string, unknown>>).filter((i) => i.type === "computer_call"));
    expect(sent).toEqual(streamed);
    const outputs = last.input.filter((i) => i.type === "computer_call_output");
    expect(outputs).toHaveLength(3);
    expect(outputs[0]).toMatchObject({ output: { type: "computer_screenshot", image_url: `data:image/png;base64,${PIXEL}` } });
  });

  it("maps every OpenAI action onto the computer tool's arguments and back", () => {
    const cases: Array<Record<string, unknown>> = [
      { action: "left_click", coordinate: [3, 4] },
      { action: "right_click", coordinate: [5, 6] },
      { action: "middle_click", coordinate: [7, 8] },
      { action: "double_click", coordinate: [9, 10] },
      { action: "mouse_move", coordinate: [11, 12] },
      { action: "left_click_drag", start_coordinate: [1, 2], coordinate: [30, 40] },
      { action: "type", text: "hi there" },
      { action: "scroll", coordinate: [50, 60], scroll_direction: "up", scroll_amount: 4 },
      { action: "scroll", coordinate: [50, 60], scroll_direction: "right", scroll_amount: 2 },
      { action: "screenshot" },
    ];
    for (const args of cases) expect(computerArgsFromOpenAI(openaiAction(args))).toEqual(args);
    expect(computerArgsFromOpenAI({ type: "keypress", keys: ["CTRL", "ENTER"] })).toEqual({ action: "key", text: "ctrl+Return" });
    expect(computerArgsFromOpenAI({ type: "keypress", keys: ["ArrowDown"] })).toEqual({ action: "key", text: "Down" });
    expect(computerArgsFromOpenAI({ type: "click", button: "back", x: 1, y: 1 })).toEqual({ action: "key", text: "alt+Left" });
    expect(computerArgsFromOpenAI({ type: "wait" })).toMatchObject({ action: "wait" });
    expect(ComputerArgs.safeParse(computerArgsFromOpenAI({ type: "drag", path: [{ x: 1, y: 1 }, { x: 5, y: 5 }] })).success).toBe(true);
  });
});
