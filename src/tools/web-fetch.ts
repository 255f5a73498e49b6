import type TurndownService from "turndown";
import { z } from "zod";
import { loadVendor } from "../vendor/load.js";
import { defineTool, ToolError } from "./define.js";
import description from "./web-fetch.md";

/**
 * web_fetch: one URL, fetched from the colleague process (not the sandbox) and turned into
 * markdown. Which hosts it may reach is the permission layer's business (`web: <host>` rules
 * and the sandbox's allowedHosts), decided before it runs; so a redirect to another host is
 * handed back to the model as a new URL, to pass that check again, and never followed here.
 */

const MAX_BYTES = 5 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;
const DEFAULT_MAX_CHARS = 40_000;

let turndown: TurndownService | undefined;
/** Loaded on the first HTML page: turndown and its DOM parser are ~300 KB every start would parse. */
async function converter(): Promise<TurndownService> {
  if (!turndown) {
    const { default: TurndownService } = await loadVendor.turndown();
    turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
    // What a reader never sees is not worth the model's tokens.
    turndown.remove(["script", "style", "noscript", "iframe", "svg", "head"]);
  }
  return turndown;
}

/** HTML → markdown, with the page's title on top when it has one. */
export async function htmlToMarkdown(html: string): Promise<string> {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.replace(/\s+/g, " ").trim();
  const body = (await converter()).turndown(html).replace(/\n{3,}/g, "\n\n").trim();
  return title && !body.startsWith(`# ${title}`) ? `# ${title}\n\n${body}` : body;
}

export const webFetchTool = defineTool({
  name: "web_fetch",
  description,
  readOnly: true,
  maxOutputChars: 100_000,
  parameters: z.object({
    url: z.string().describe("the http(s) URL"),
    max_chars: z.number().int().positive().max(100_000).optional().describe(`at most this many characters of the page (default ${DEFAULT_MAX_CHARS})`),
  }),
  async execute({ url, max_chars: maxChars = DEFAULT_MAX_CHARS }, ctx) {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new ToolError(`Not a URL: ${url}`);
    }
    if (target.protocol !== "http:" && target.protocol !== "https:") throw new ToolError(`Only http and https URLs can be fetched, not ${target.protocol}`);
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]);
    let response: Response;
    for (let hops = 0; ; hops++) {
      try {
        response = await fetch(target, { redirect: "manual", signal, headers: { accept: "text/html, text/markdown, text/plain, application/json;q=0.9, */*;q=0.5" } });
      } catch (error) {
        if (ctx.signal.aborted) throw new ToolError("web_fetch aborted.");
        if (signal.aborted) throw new ToolError(`web_fetch timed out after ${TIMEOUT_MS / 1000} s: ${target.href}`);
        throw new ToolError(`Could not fetch ${target.href}: ${(error as Error).cause ?? (error as Error).message}`);
      }
      const location = response.status >= 300 && response.status < 400 ? response.headers.get("location") : null;
      if (!location) break;
      await response.body?.cancel();
      const next = new URL(location, target);
      if (next.host !== target.host) {
        return { content: `${target.href} redirects to ${next.href} (another host). Call web_fetch on that URL if you need it.`, details: { redirect: next.href } };
      }
      if (hops >= MAX_REDIRECTS) throw new ToolError(`Too many redirects from ${url}`);
      target = next;
    }
    const type = (response.headers.get("content-type") ?? "").toLowerCase();
    const { text, cut } = await readCapped(response, MAX_BYTES);
    if (!response.ok) throw new ToolError(`${target.href} answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 300)}` : ""}`);
    const textual = type === "" || /^text\/|json|xml|javascript/.test(type);
    if (!textual) throw new ToolError(`${target.href} is ${type}, not a page: web_fetch reads text only`);
    const isHtml = type.includes("html") || (type === "" && /^\s*<(!doctype html|html)/i.test(text));
    const body = isHtml ? await htmlToMarkdown(text) : text;
    const shown = body.length > maxChars ? `${body.slice(0, maxChars)}\n[… ${body.length - maxChars} more characters; ask with a larger max_chars or a narrower URL …]` : body;
    const note = cut ? `\n[the page is larger than ${MAX_BYTES / 1024 / 1024} MB; only its start was read]` : "";
    return {
      content: `URL: ${target.href}\n\n${shown}${note}`,
      details: { url: target.href, status: response.status, contentType: type, chars: body.length, converted: isHtml },
    };
  },
});

async function readCapped(response: Response, max: number): Promise<{ text: string; cut: boolean }> {
  if (!response.body) return { text: "", cut: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= max) {
      cut = true;
      await reader.cancel();
      break;
    }
  }
  return { text: Buffer.concat(chunks).subarray(0, max).toString("utf8"), cut };
}
