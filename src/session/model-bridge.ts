import type { ImagePart, Message, Model, ModelRequest } from "../model/types.js";
import { ImageCache, withImageParts } from "./images.js";

/**
 * The model a session runs with: the chosen model, with the history made fit for it.
 * A person may switch model mid-session (TUI /model, the protocol's setModel, a resume with
 * another model), even across providers, so a history can
 * hold another model's turns. Each adapter replays only its own API's reasoning blocks, so
 * another model's thinking would be lost: it becomes text. Tool-call ids from another API may
 * break this one's rules (Anthropic allows [A-Za-z0-9_-] only): they are normalised, in the
 * call and its result alike. Images attached by path become image parts. All of it is a pure,
 * deterministic function of the history, so the prompt prefix stays stable between steps.
 */
export function bridgeModel(model: Model, cwd: string): Model {
  const images = new ImageCache(cwd);
  const prepare = (request: ModelRequest): ModelRequest => ({ ...request, messages: prepareHistory(request.messages, model, (p) => images.get(p)) });
  return {
    id: model.id,
    info: model.info,
    stream: (request) => model.stream(prepare(request)),
    ...(model.compact ? { compact: (request: ModelRequest) => model.compact!(prepare(request)) } : {}),
    ...(model.countTokens ? { countTokens: (request: ModelRequest) => model.countTokens!(prepare(request)) } : {}),
  };
}

export function prepareHistory(messages: Message[], model: Pick<Model, "id" | "info">, image: (file: string) => ImagePart | undefined): Message[] {
  const ids = new Map<string, string>();
  return messages.map((message): Message => {
    if (message.role === "assistant") {
      const foreignModel = message.model !== model.id;
      const foreignApi = message.api !== model.info.api;
      if (!foreignModel && !foreignApi) return message;
      const content = message.content.flatMap((part) => {
        if (part.type === "thinking" && foreignModel) return part.text.trim() ? [{ type: "text" as const, text: `<thinking>\n${part.text}\n</thinking>` }] : [];
        if (part.type === "tool_call" && foreignApi) {
          const id = normaliseCallId(part.id, ids.size);
          ids.set(part.id, id);
          return [{ ...part, id }];
        }
        return [part];
      });
      return { ...message, content };
    }
    if (message.role === "tool") {
      const id = ids.get(message.callId);
      return id ? { ...message, callId: id } : message;
    }
    return model.info.capabilities.images ? withImageParts(message, image) : message;
  });
}

/** An id every API accepts: [A-Za-z0-9_-], at most 64 characters; a changed id keeps a hash of the original, so two never collide. */
export function normaliseCallId(id: string, index: number): string {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) return id;
  const clean = id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 48) || `call_${index}`;
  return `${clean}_${hash(id)}`;
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
