import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { ClientError } from "../../src/protocol/client.js";
import { openApiDocument } from "../../src/protocol/openapi.js";
import { describeIfAvailable } from "../requires.js";
import { follow, type TestServer, testServer } from "../server/server-helpers.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describeIfAvailable("POST /sessions/:id/rewind", gitAvailable() ? undefined : "git is not installed", () => {
  it("puts the files back before the step and forks the conversation there", async () => {
    t = await testServer();
    const cwd = t.workspace({ "notes.txt": "v1\n" });
    const model = t.scripted({
      steps: [
        { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "v2\n" } }] },
        { toolCalls: [{ name: "write_file", args: { path: "extra.txt", content: "new\n" } }] },
        { text: "done" },
      ],
    });
    const session = await t.client.createSession({ task: "edit notes", cwd, model, permissionMode: "full-auto", sandbox: "off" });
    await follow(t.client, session.id);
    await t.server.service.settled(session.id);
    expect(readFileSync(path.join(cwd, "notes.txt"), "utf8")).toBe("v2\n");

    const outcome = await t.client.rewind(session.id, { to: 1 });
    expect(outcome).toMatchObject({ step: 1, restored: ["notes.txt"], removed: ["extra.txt"] });
    expect(readFileSync(path.join(cwd, "notes.txt"), "utf8")).toBe("v1\n");
    expect(existsSync(path.join(cwd, "extra.txt"))).toBe(false);
    expect(outcome.session).toMatchObject({ status: "interrupted", task: "edit notes" });
    expect(outcome.session!.id).not.toBe(session.id);

    // Only the conversation: the files stay.
    const talk = await t.client.rewind(session.id, { to: 2, code: false });
    expect(talk).toMatchObject({ step: 2, restored: [], removed: [] });
    expect(readFileSync(path.join(cwd, "notes.txt"), "utf8")).toBe("v1\n");

    const bad = await t.client.rewind(session.id, { to: 9 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ClientError);
    expect((bad as ClientError).status).toBe(400);
    expect((bad as Error).message).toMatch(/step 9 is not a step/);
  });

  it("is in the OpenAPI document", () => {
    const doc = openApiDocument("test") as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths["/sessions/{id}/rewind"]?.post).toBeDefined();
  });
});
