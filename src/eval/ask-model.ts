import type { Model } from "../model/types.js";

/** One question to a model, its text answer back; undefined when the model failed. */
export async function askModel(model: Model, system: string, prompt: string, maxOutputTokens = 400): Promise<string | undefined> {
  let answer = "";
  for await (const event of model.stream({
    system,
    messages: [{ role: "user", content: [{ type: "text", text: prompt }] }],
    tools: [],
    signal: new AbortController().signal,
    maxOutputTokens,
  })) {
    if (event.type === "text_delta") answer += event.delta;
    if (event.type === "error") return undefined;
  }
  return answer;
}
