import { Box, Text } from "ink";
import { lineColor } from "./approval-card.js";
import { collapseAttachments } from "./attachments.js";
import type { Item } from "./view-model.js";

const ms = (n: number) => (n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);

/** A tool's output shown in full is cut here: the log holds all of it (`colleague show`). */
const MAX_OUTPUT_LINES = 400;

/**
 * The markdown renderer (marked, marked-terminal, a highlighter) is large: it loads after the
 * first frame, and text that comes before it is shown plain.
 */
let markdown: ((text: string, width: number) => string) | undefined;
export function loadMarkdown(): Promise<void> {
  return import("./markdown.js").then((m) => {
    markdown = m.renderMarkdown;
  });
}

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

/** One finished item of the conversation: printed once (again after a resize), never redrawn. */
export function ItemView({ item, showThinking, width }: { item: Item; showThinking: boolean; width: number }) {
  switch (item.kind) {
    case "user":
      return (
        <Box marginTop={1}>
          <Text bold color="cyan">
            {item.mode === "task" ? "› " : `› [${item.mode}] `}
          </Text>
          <Text>{collapseAttachments(item.text)}</Text>
        </Box>
      );
    case "assistant":
      return (
        <Text>
          {markdown ? markdown(item.text, width) : item.text}
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
          {item.gist ? <Text dimColor>{`  ⎿ ${item.gist}`}</Text> : null}
        </Box>
      );
    case "output": {
      const lines = item.text.split("\n");
      const shown = lines.slice(0, MAX_OUTPUT_LINES);
      return (
        <Box flexDirection="column" borderStyle="single" borderColor="gray" borderLeft={false} borderRight={false} width={width}>
          <Text bold>{item.title}</Text>
          {item.diff ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of a printed-once diff
            shown.map((line, i) => <Text key={i} color={lineColor(line)}>{line || " "}</Text>)
          ) : (
            <Text>{shown.join("\n") || "(no output)"}</Text>
          )}
          {lines.length > shown.length ? <Text dimColor>… {lines.length - shown.length} more line(s) (colleague show has them all)</Text> : null}
        </Box>
      );
    }
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
