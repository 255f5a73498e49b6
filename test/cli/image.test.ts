import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { openaiFakeFromScenario } from "../fakes/openai.js";
import { tempRepo } from "../helpers.js";
import { cleanEnv, runCli } from "./cli-helpers.js";

/** A real 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const scenario = { steps: [{ text: "A single pixel." }] };

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function workspaceWithImage(): { cwd: string; image: string } {
  const cwd = tempRepo();
  const image = path.join(cwd, "shot.png");
  writeFileSync(image, PNG);
  return { cwd, image };
}

describe("run --image", () => {
  it("reaches the Anthropic fake as a base64 image block in the first user message", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario(scenario));
    servers.push(server);
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url });
    const { cwd, image } = workspaceWithImage();
    const out = await runCli(["run", "what is in the picture?", "--image", image, "--model", "anthropic:claude-opus-4-6", "--cwd", cwd, "--json"], { env });
    expect(out.code, out.stderr).toBe(0);
    const body = server.requests[0]!.body as { messages: { role: string; content: { type: string; source?: unknown; text?: string }[] }[] };
    const first = body.messages[0]!;
    expect(first.role).toBe("user");
    expect(first.content.find((b) => b.type === "image")).toMatchObject({
      type: "image",
      source: { type: "base64", media_type: "image/png", data: PNG.toString("base64") },
    });
    expect(first.content.find((b) => b.type === "text")?.text).toContain("what is in the picture?");
  });

  it("reaches the OpenAI fake as an input_image data URL", async () => {
    const server = await openaiFakeFromScenario(scenario);
    servers.push(server);
    const env = cleanEnv({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${server.url}/v1` });
    const { cwd, image } = workspaceWithImage();
    const out = await runCli(["run", "describe it", "--image", image, "--model", "openai:gpt-5.3-codex", "--cwd", cwd], { env });
    expect(out.code, out.stderr).toBe(0);
    const input = (server.requests[0]!.body as { input: { role?: string; content?: { type: string; image_url?: string }[] }[] }).input;
    const user = input.find((item) => item.role === "user")!;
    expect(user.content?.find((c) => c.type === "input_image")?.image_url).toBe(`data:image/png;base64,${PNG.toString("base64")}`);
  });

  it("refuses a text-only model, a missing file and a non-image in one line each", async () => {
    const env = cleanEnv();
    const { cwd, image } = workspaceWithImage();
    const textOnly = await runCli(["run", "look", "--image", image, "--model", "compatible:tiny@http://127.0.0.1:9/v1", "--cwd", cwd], { env });
    expect(textOnly.code).toBe(2);
    expect(textOnly.stderr).toMatch(/compatible:tiny.* does not take images/);
    const scripted = `scripted:${path.join(cwd, "s.json")}`;
    writeFileSync(path.join(cwd, "s.json"), JSON.stringify(scenario));
    const missing = await runCli(["run", "look", "--image", path.join(cwd, "nope.png"), "--model", scripted, "--cwd", cwd], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/no image at .*nope\.png/);
    const notImage = await runCli(["run", "look", "--image", path.join(cwd, "s.json"), "--model", scripted, "--cwd", cwd], { env });
    expect(notImage.stderr).toMatch(/not a png, jpg, webp or gif/);
  });
});
