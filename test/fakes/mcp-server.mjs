// A small MCP server for the MCP client's tests, built with the SDK's server side. Run as a
// script it serves stdio; `buildFakeMcpServer` is imported by tests that serve it over HTTP.
// FAKE_MCP_TOOLS=N adds N generated tools (lazy-loading tests); FAKE_MCP_FAIL=1 exits at once;
// FAKE_MCP_STUBBORN=1 keeps running after its stdin closes.
import { pathToFileURL } from "node:url";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const TOPICS = ["calendar", "billing", "invoice", "ticket", "deploy", "metrics", "search", "user", "team", "report"];

export function buildFakeMcpServer(options = {}) {
  const server = new McpServer({ name: "fake", version: "1.0.0" });
  const text = (t) => ({ content: [{ type: "text", text: t }] });
  server.registerTool("echo", { description: "Echoes the text back", inputSchema: { text: z.string() } }, async ({ text: t }) => text(`echo: ${t}`));
  server.registerTool(
    "add",
    { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() }, annotations: { readOnlyHint: true } },
    async ({ a, b }) => text(String(a + b)),
  );
  server.registerTool("pid", { description: "The server's process id" }, async () => text(String(process.pid)));
  server.registerTool("slow", { description: "Waits ms milliseconds", inputSchema: { ms: z.number() } }, async ({ ms }) => {
    await new Promise((r) => setTimeout(r, ms));
    return text("slept");
  });
  server.registerTool("crash", { description: "Exits the server mid-call" }, async () => {
    process.exit(3);
  });
  server.registerTool("fail", { description: "Reports a failure" }, async () => ({ content: [{ type: "text", text: "it broke" }], isError: true }));
  server.registerTool("picture", { description: "Returns a 1x1 png" }, async () => ({
    content: [
      { type: "text", text: "a picture:" },
      { type: "image", mimeType: "image/png", data: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" },
    ],
  }));
  const many = Number(options.tools ?? process.env.FAKE_MCP_TOOLS ?? 0);
  for (let i = 0; i < many; i++) {
    const topic = TOPICS[i % TOPICS.length];
    const name = i === 42 ? "weather_forecast" : `${topic}_action_${String(i).padStart(3, "0")}`;
    const description = i === 42 ? "Gives the weather forecast for a city" : `Runs ${topic} action number ${i} with the given options`;
    server.registerTool(
      name,
      { description, inputSchema: { city: z.string().describe("Which place"), days: z.number().int().optional().describe("How many days ahead") } },
      async (args) => text(`${name} ran with ${JSON.stringify(args)}`),
    );
  }
  server.registerPrompt(
    "review",
    { description: "Review a file", argsSchema: { file: z.string(), focus: z.string().optional() } },
    ({ file, focus }) => ({ messages: [{ role: "user", content: { type: "text", text: `Please review ${file}${focus ? ` for ${focus}` : ""}.` } }] }),
  );
  server.registerResource("note", new ResourceTemplate("note://{name}", { list: undefined }), { description: "A note" }, async (uri, { name }) => ({
    contents: [{ uri: uri.href, mimeType: "text/plain", text: `the note called ${name}` }],
  }));
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.env.FAKE_MCP_FAIL === "1") {
    process.stderr.write("fake: cannot open the database\n");
    process.exit(1);
  }
  // A server that outlives its stdin (as some do): only a signal ends it.
  if (process.env.FAKE_MCP_STUBBORN === "1") setInterval(() => {}, 60_000);
  const server = buildFakeMcpServer();
  await server.connect(new StdioServerTransport());
}
