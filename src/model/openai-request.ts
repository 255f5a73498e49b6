import type {
  Tool,
  ResponseCompactParams,
  ResponseCreateParamsStreaming,
  ResponseInputContent,
  ResponseInputItem,
} from "openai/resources/responses/responses";
import type { ReasoningEffort } from "openai/resources/shared";
import type {
  AssistantMessage,
  Effort,
  Message,
  ModelInfo,
  ModelRequest,
  ToolResultMessage,
  UserPart,
} from "./types.js";

/**
 * Builds the body of one OpenAI Responses API request from a provider-neutral request.
 * Stateless use: `store: false`, and reasoning comes back encrypted so that we can replay it.
 */
export function buildResponsesParams(info: ModelInfo, request: ModelRequest): ResponseCreateParamsStreaming {
  const hasTools = request.tools.length > 0;
  const computer = usesNativeComputer(info, request);
  return {
    model: info.name,
    instructions: request.system,
    input: toResponsesInput(request.messages, { computerCalls: computer }),
    // Tool schemas come first in the cached prefix: keep them byte-identical across steps.
    ...(hasTools
      ? {
          tools: request.tools.map((t): Tool => {
            if (computer && t.native?.kind === "computer") {
              return { type: "computer_use_preview", display_width: t.native.display.width, display_height: t.native.display.height, environment: "linux" };
            }
            // Strict mode rejects schemas with optional properties; our tools validate arguments themselves.
            return { type: "function", name: t.name, description: t.description, parameters: t.parameters, strict: false };
          }),
          parallel_tool_calls: true,
        }
      : {}),
    // The computer tool requires the API to drop old screenshots itself when the window fills.
    ...(computer ? { truncation: "auto" as const } : {}),
    store: false,
    include: ["reasoning.encrypted_content"],
    ...(info.capabilities.reasoning === "effort" ? { reasoning: reasoningParam(request.effort, info.capabilities.efforts) } : {}),
    ...(request.sessionId ? { prompt_cache_key: request.sessionId } : {}),
    ...(request.maxOutputTokens ? { max_output_tokens: request.maxOutputTokens } : {}),
    stream: true,
  };
}

/** The body of POST /responses/compact for the history in `request`. */
export function buildCompactParams(info: ModelInfo, request: ModelRequest): ResponseCompactParams {
  return {
    model: info.name,
    instructions: request.system,
    input: toResponsesInput(request.messages, { computerCalls: usesNativeComputer(info, request) }),
    ...(request.sessionId ? { prompt_cache_key: request.sessionId } : {}),
  };
}

/** Whether this request offers OpenAI's own computer tool (the model takes it and a tool asks for it). */
function usesNativeComputer(info: ModelInfo, request: ModelRequest): boolean {
  return info.capabilities.computerUse === "computer_use_preview" && request.tools.some((t) => t.native?.kind === "computer");
}

/** OpenAI's computer_call_output needs a screenshot; a result without one (an error) carries this blank pixel. */
const BLANK_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

function reasoningParam(effort: Effort | undefined, accepted: string[] | undefined): ResponseCreateParamsStreaming["reasoning"] {
  const mapped = effort ? openaiEffort(effort, accepted) : undefined;
  return { ...(mapped ? { effort: mapped } : {}), summary: "auto" };
}

/** OpenAI's effort scale, weakest first ("none" turns reasoning off, so we never pick it). */
const effortScale = ["minimal", "low", "medium", "high", "xhigh"] as const;
type OpenAIEffort = (typeof effortScale)[number];

const effortTarget: Record<Effort, OpenAIEffort> = { low: "low", medium: "medium", high: "high", max: "xhigh" };

/**
 * Maps our effort onto the nearest value the model accepts: max → xhigh where accepted, else
 * high; low → low, or minimal when low is not offered. On a tie the weaker value wins, so an
 * unknown mapping never costs more than asked. Without a list of accepted values, xhigh is too
 * risky (a 400 on models without it), so max becomes high.
 */
export function openaiEffort(effort: Effort, accepted: readonly string[] | undefined): Exclude<ReasoningEffort, null> {
  const target = effortScale.indexOf(effortTarget[effort]);
  const candidates = accepted
    ? effortScale.filter((e) => accepted.includes(e))
    : effortScale.filter((e) => e !== "xhigh" && e !== "minimal");
  let best: OpenAIEffort | undefined;
  for (const candidate of candidates) {
    const distance = Math.abs(effortScale.indexOf(candidate) - target);
    if (best === undefined || distance < Math.abs(effortScale.indexOf(best) - target)) best = candidate;
  }
  return best ?? effortTarget[effort];
}

/**
 * Converts the conversation into Responses API input items, keeping order. With `computerCalls`,
 * OpenAI's computer_call items go back as they came and their results as computer_call_output;
 * without (another model now), they become ordinary function calls of the `computer` tool.
 */
export function toResponsesInput(messages: readonly Message[], options: { computerCalls?: boolean } = {}): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  const computerCalls = new Map<string, Record<string, unknown>>();
  // Function call outputs carry text only here; their images follow the run of outputs in one
  // user message, so that no user message separates a call's output from its siblings.
  let pendingImages: ResponseInputContent[] = [];
  const flushImages = () => {
    if (pendingImages.length > 0) items.push({ role: "user", content: pendingImages });
    pendingImages = [];
  };
  for (const message of messages) {
    if (message.role !== "tool") flushImages();
    if (message.role === "user") items.push({ role: "user", content: message.content.map(userContent) });
    else if (message.role === "assistant") items.push(...assistantItems(message, options.computerCalls ? computerCalls : undefined));
    else if (computerCalls.has(message.callId)) {
      items.push(computerOutputItem(message, computerCalls.get(message.callId)!));
      const notes = message.content.filter((p) => p.type === "text" && p.text);
      if (notes.length) pendingImages.push({ type: "input_text", text: `${message.name} (call ${message.callId}) said:` }, ...notes.map(userContent));
    } else {
      items.push(toolOutputItem(message));
      pendingImages.push(...toolImages(message));
    }
  }
  flushImages();
  return items;
}

function userContent(part: UserPart): ResponseInputContent {
  if (part.type === "text") return { type: "input_text", text: part.text };
  return { type: "input_image", image_url: `data:${part.mediaType};base64,${part.data}`, detail: "auto" };
}

function assistantItems(message: AssistantMessage, computerCalls?: Map<string, Record<string, unknown>>): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  for (const part of message.content) {
    if (part.type === "thinking") {
      // Only OpenAI's own reasoning items can be replayed, and only unchanged: the encrypted
      // content is opaque. Thinking from another API has no meaning here, so it is dropped.
      if (part.replay?.api === "openai") items.push(part.replay.data as unknown as ResponseInputItem);
    } else if (part.type === "compaction") {
      // The compaction item from /responses/compact goes back unchanged; a foreign one as text.
      if (part.replay?.api === "openai") items.push(part.replay.data as unknown as ResponseInputItem);
      else if (part.text) items.push({ role: "assistant", content: part.text } as ResponseInputItem);
    } else if (part.type === "text") {
      if (!part.text) continue;
      // No item id: with store false the server could not look it up anyway. The SDK types
      // want one (ResponseOutputMessage), but the API accepts, and Codex sends, this shape.
      const message = {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: part.text, annotations: [] }],
      };
      items.push(message as unknown as ResponseInputItem);
    } else if (computerCalls && part.replay?.api === "openai" && part.replay.data.type === "computer_call") {
      computerCalls.set(part.id, part.replay.data);
      items.push(part.replay.data as unknown as ResponseInputItem);
    } else {
      items.push({
        type: "function_call",
        call_id: part.id,
        name: part.name,
        arguments: part.invalidArgs ?? JSON.stringify(part.args ?? {}),
      });
    }
  }
  return items;
}

function toolOutputItem(message: ToolResultMessage): ResponseInputItem {
  const text = message.content
    .filter((p) => p.type === "text")
    .map((p) => p.text)
    .join("\n");
  const hasImages = message.content.some((p) => p.type === "image");
  return {
    type: "function_call_output",
    call_id: message.callId,
    output: text || (hasImages ? "(the tool returned images; they follow)" : ""),
  };
}

/**
 * A computer call's result: the screenshot the tool returned (the newest, if several). The safety
 * checks the call carried are acknowledged because the call only ran after colleague's own
 * permission layer allowed it.
 */
function computerOutputItem(message: ToolResultMessage, call: Record<string, unknown>): ResponseInputItem {
  const image = message.content.filter((p) => p.type === "image").at(-1);
  const url = image ? `data:${image.mediaType};base64,${image.data}` : `data:image/png;base64,${BLANK_PNG}`;
  const checks = Array.isArray(call.pending_safety_checks) ? call.pending_safety_checks : [];
  return {
    type: "computer_call_output",
    call_id: message.callId,
    output: { type: "computer_screenshot", image_url: url },
    ...(checks.length ? { acknowledged_safety_checks: checks } : {}),
  } as ResponseInputItem;
}

function toolImages(message: ToolResultMessage): ResponseInputContent[] {
  const images = message.content.filter((p) => p.type === "image");
  if (images.length === 0) return [];
  return [
    { type: "input_text", text: `Images returned by ${message.name} (call ${message.callId}):` },
    ...images.map(userContent),
  ];
}
