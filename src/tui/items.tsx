import { Box, Text } from "ink";
import type { Item } from "./view-model.js";

const ms = (n: number) => (n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);

/** Thinking, collapsed to its first lines unless the person asked to see it in full (/thinking). */
export function ThinkingText({ text, full }: { text: string; full: boolean }) {
  const lines = text.trim().split("\n");
  const shown = full ? lines : lines.slice(0, 2);
  const more = lines.length - shown.length;
  return (
    <Text dimColor italic>
      {`✻ ${shown.join("\n  ")}`}
      {more > 0 ? `  (+${more} lines, /thinking)` : ""}
    </Text>
  );
}

/** One finished item of the conversation: printed once, never redrawn. */
export function ItemView({ item, showThinking }: { item: Item; showThinking: boolean }) {
  switch (item.kind) {
    case "user":
      return (
        <Box marginTop={1}>
          <Text bold color="cyan">
            {item.mode === "task" ? "› " : `› [${item.mode}] `}
          </Text>
          <Text>{item.text}</Text>
        </Box>
      );
    case "assistant":
      return (
        <Text>
          {item.text}
          {item.interrupted ? <Text color="yellow"> ⏹</Text> : null}
        </Text>
      );
    case "thinking":
      return <ThinkingText text={item.text} full={showThinking} />;
    case "tool":
      return (
        <Box flexDirection="column">
          <Text>
            <Text color={item.ok ? "green" : item.skipped ? "yellow" : "red"}>{item.ok ? "✓ " : item.skipped ? "↷ " : "✗ "}</Text>
            <Text bold>{item.name}</Text> <Text>{item.summary}</Text> <Text dimColor>({ms(item.durationMs)})</Text>
          </Text>
          {item.gist && !item.ok ? <Text dimColor>{`  ${item.gist}`}</Text> : null}
        </Box>
      );
    case "note": {
      const color = { dim: undefined, warn: "yellow", error: "red", ok: "green" }[item.tone];
      return (
        <Text color={color} dimColor={item.tone === "dim"}>
          {item.text}
        </Text>
      );
    }
  }
}
