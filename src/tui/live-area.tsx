import { Box, Text } from "ink";
import { useEffect, useState } from "react";
import { ThinkingText } from "./items.js";
import type { ViewState } from "./view-model.js";

/** Keep the redrawn region short, so long outputs never scroll it (no flicker). */
const LIVE_LINES = 8;

/** One line per running tool, so the live area never wraps in 80 columns. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const tail = (text: string, lines: number) => text.split("\n").slice(-lines).join("\n");

/** What is happening now: streaming thinking and text, running tools with their elapsed time. */
export function LiveArea({ view, showThinking, width }: { view: ViewState; showThinking: boolean; width: number }) {
  const [now, setNow] = useState(Date.now());
  const ticking = view.running.length > 0;
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [ticking]);
  return (
    <Box flexDirection="column">
      {view.liveThinking ? <ThinkingText text={tail(view.liveThinking, showThinking ? LIVE_LINES : 2)} full /> : null}
      {view.liveText ? <Text>{tail(view.liveText, LIVE_LINES)}</Text> : null}
      {view.running.map((tool) => (
        <Text key={tool.callId}>
          <Text color="cyan">⏺ </Text>
          <Text bold>{tool.name}</Text> <Text>{clip(tool.summary, Math.max(16, width - 40 - tool.name.length))}</Text>{" "}
          {view.approval?.callId === tool.callId ? (
            <Text color="yellow">waiting for your approval</Text>
          ) : (
            <Text dimColor>
              running {Math.max(0, Math.round((now - tool.startedAt) / 1000))} s{tool.lastOutput ? ` · ${clip(tool.lastOutput, 20)}` : ""}
            </Text>
          )}
        </Text>
      ))}
      {view.pending.length ? (
        <Text color="magenta">{view.pending.map((p) => `⇢ ${p.mode === "steer" ? "steer" : "queued"}: ${p.text}`).join("\n")}</Text>
      ) : null}
    </Box>
  );
}
