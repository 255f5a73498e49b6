import type { McpConnection } from "./connection.js";

/** A resource attached to a prompt is cut here: it joins the conversation for good. */
const MAX_RESOURCE_CHARS = 20_000;

/** `@<server>:<uri>` in a prompt, where `<server>` is a connected MCP server. */
const REFERENCE = /(^|\s)@([A-Za-z0-9_-]+):(\S+)/g;

/**
 * Appends the text of each resource the prompt names (`@github:repo://owner/name/README.md`).
 * Only names of connected servers count, so an e-mail address or `@file` stays as typed; a
 * resource that cannot be read is said in one line instead.
 */
export async function attachResources(prompt: string, connections: readonly McpConnection[]): Promise<string> {
  const byName = new Map(connections.map((c) => [c.name, c]));
  const attached: string[] = [];
  for (const match of prompt.matchAll(REFERENCE)) {
    const connection = byName.get(match[2]!);
    if (!connection) continue;
    const uri = match[3]!;
    try {
      const result = await connection.readResource(uri);
      const text = result.contents
        .map((c) => ("text" in c && typeof c.text === "string" ? c.text : `[binary ${c.mimeType ?? "content"} not shown]`))
        .join("\n");
      const cut = text.length > MAX_RESOURCE_CHARS ? `${text.slice(0, MAX_RESOURCE_CHARS)}\n[… cut at ${MAX_RESOURCE_CHARS} characters]` : text;
      attached.push(`<resource server="${connection.name}" uri="${uri}">\n${cut}\n</resource>`);
    } catch (error) {
      attached.push(`(could not read @${connection.name}:${uri}: ${(error as Error).message.split("\n")[0]})`);
    }
  }
  return attached.length ? `${prompt}\n\n${attached.join("\n\n")}` : prompt;
}
