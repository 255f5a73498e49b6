/**
 * Web search services the user can configure (`webSearch` in config). Each turns a query into
 * a list of results; the key and the endpoint come from the user's config or environment, never
 * from the model.
 */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export type SearchProviderName = "brave" | "tavily" | "searxng";

export interface SearchSettings {
  provider: SearchProviderName;
  /** The service's address (default: its public API; required for searxng). */
  url?: string | undefined;
  apiKey?: string | undefined;
  maxResults?: number | undefined;
}

interface Provider {
  defaultUrl?: string;
  keyVariable?: string;
  request(query: string, count: number, base: string, key: string | undefined): { url: string; init: RequestInit };
  results(body: unknown): SearchResult[];
}

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const text = (value: unknown): string => (typeof value === "string" ? value : "");
const stripTags = (html: string): string => html.replace(/<[^>]+>/g, "");

export const SEARCH_PROVIDERS: Record<SearchProviderName, Provider> = {
  brave: {
    defaultUrl: "https://api.search.brave.com",
    keyVariable: "BRAVE_API_KEY",
    request: (query, count, base, key) => ({
      url: `${base}/res/v1/web/search?${new URLSearchParams({ q: query, count: String(count) })}`,
      init: { headers: { accept: "application/json", "x-subscription-token": key ?? "" } },
    }),
    results: (body) =>
      list(((body as Json).web as Json | undefined)?.results).map((r) => ({ title: text(r.title), url: text(r.url), snippet: stripTags(text(r.description)) })),
  },
  tavily: {
    defaultUrl: "https://api.tavily.com",
    keyVariable: "TAVILY_API_KEY",
    request: (query, count, base, key) => ({
      url: `${base}/search`,
      init: {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key ?? ""}` },
        body: JSON.stringify({ query, max_results: count }),
      },
    }),
    results: (body) => list((body as Json).results).map((r) => ({ title: text(r.title), url: text(r.url), snippet: text(r.content) })),
  },
  searxng: {
    request: (query, _count, base) => ({
      url: `${base}/search?${new URLSearchParams({ q: query, format: "json" })}`,
      init: { headers: { accept: "application/json" } },
    }),
    results: (body) => list((body as Json).results).map((r) => ({ title: text(r.title), url: text(r.url), snippet: text(r.content) })),
  },
};

/** What is missing for `settings` to work (a key, an address), or undefined when they are complete. */
export function searchSettingsProblem(settings: SearchSettings, env: NodeJS.ProcessEnv): string | undefined {
  const provider = SEARCH_PROVIDERS[settings.provider];
  if (!settings.url && !provider.defaultUrl) return `webSearch: ${settings.provider} needs "url", the address of your instance`;
  if (provider.keyVariable && !settings.apiKey && !env[provider.keyVariable]) {
    return `webSearch: ${settings.provider} needs a key: set ${provider.keyVariable} or webSearch.apiKey`;
  }
  return undefined;
}

export async function search(settings: SearchSettings, query: string, count: number, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<SearchResult[]> {
  const provider = SEARCH_PROVIDERS[settings.provider];
  const base = (settings.url ?? provider.defaultUrl ?? "").replace(/\/+$/, "");
  const key = settings.apiKey ?? (provider.keyVariable ? env[provider.keyVariable] : undefined);
  const { url, init } = provider.request(query, count, base, key);
  const response = await fetch(url, { ...init, signal });
  const body = await response.text();
  if (!response.ok) throw new Error(`${settings.provider} answered ${response.status} ${response.statusText}: ${body.slice(0, 200)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`${settings.provider} did not answer with JSON: ${body.slice(0, 120)}`);
  }
  return provider.results(parsed).filter((r) => r.url).slice(0, count);
}
