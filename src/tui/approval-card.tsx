import { Box, Text, useInput } from "ink";
import { useRef, useState } from "react";
import type { ApprovalReply, ApprovalRequest } from "../policy/approver.js";

/** How many lines of a command or diff the card shows; the rest is counted. */
const PREVIEW_LINES = 16;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The colour of a line of a unified diff (also used for /diff's output). */
export function lineColor(line: string): string | undefined {
  if (line.startsWith("+++") || line.startsWith("---")) return "gray";
  if (line.startsWith("+")) return "green";
  if (line.startsWith("-")) return "red";
  if (line.startsWith("@@")) return "cyan";
  return undefined;
}

/**
 * An approval request, inline: what would run (the command) or change (the diff), why it asks,
 * and the keys — y once, a always this session, n no, r no with a reason the model is told.
 * It takes the input box's place until it is answered.
 */
export function ApprovalCard({ request, width, answer }: { request: ApprovalRequest; width: number; answer: (reply: ApprovalReply) => void }) {
  const [reason, setReasonState] = useState<string | undefined>(undefined);
  // Keys can arrive faster than React re-renders the handler: the typed reason lives in a ref too.
  const typed = useRef<string | undefined>(undefined);
  const setReason = (next: string | undefined) => {
    typed.current = next;
    setReasonState(next);
  };
  useInput((input, key) => {
    // The bracketed-paste marks (the input box turns bracketed paste on) are not keys.
    if (/^\[20[01]~$/.test(input)) return;
    const current = typed.current;
    if (current !== undefined) {
      if (key.return) return answer({ answer: "deny", ...(current.trim() ? { reason: current.trim() } : {}) });
      if (key.escape) return setReason(undefined);
      if (key.backspace || key.delete) return setReason(current.slice(0, -1));
      if (key.ctrl || key.meta || !input) return;
      return setReason(current + input.replace(/[\r\n]/g, " "));
    }
    const k = input.toLowerCase();
    if (k === "y") return answer({ answer: "once" });
    if (k === "a" && !request.onceOnly) return answer({ answer: "session" });
    if (k === "n" || key.escape) return answer({ answer: "deny" });
    if (k === "r") return setReason("");
  });
  const lines = (request.preview ?? "").split("\n").filter((l, i, all) => l || i < all.length - 1);
  const shown = lines.slice(0, PREVIEW_LINES);
  const inner = width - 4;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width}>
      <Text bold color="yellow">
        {clip(`approve? ${request.agentId ? `${request.agentId} › ` : ""}${request.tool}: ${request.summary}`, inner)}
      </Text>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed preview
        <Text key={i} color={lineColor(line)}>
          {clip(line || " ", inner)}
        </Text>
      ))}
      {lines.length > shown.length ? <Text dimColor>… {lines.length - shown.length} more line(s)</Text> : null}
      <Text dimColor>{clip(request.reason, inner)}</Text>
      {reason === undefined ? (
        <Text>
          <Text color="green">y</Text> once · {request.onceOnly ? "" : <Text color="cyan">a</Text>}
          {request.onceOnly ? "" : " always this session · "}
          <Text color="red">n</Text> no · <Text color="red">r</Text> no, with a reason
        </Text>
      ) : (
        <Text>
          <Text color="red">why not? </Text>
          {reason}
          <Text inverse> </Text>
          <Text dimColor> (enter send · esc back)</Text>
        </Text>
      )}
    </Box>
  );
}
