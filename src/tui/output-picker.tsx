import { Box, Text, useInput } from "ink";
import { useSelection } from "./use-selection.js";
import type { Item } from "./view-model.js";

type ToolItem = Extract<Item, { kind: "tool" }>;

/** How many recent calls the picker lists (1–9 pick one directly). */
const SHOWN = 9;

/**
 * Ctrl-O: the recent tool calls, newest first; choosing one prints its whole output into the
 * transcript. The gist under each call is all that is printed at first, so this is how any
 * output — a successful one too — can be read in full.
 */
export function OutputPicker({ items, width, pick, close }: { items: Item[]; width: number; pick: (item: ToolItem) => void; close: () => void }) {
  const tools = items.filter((i): i is ToolItem => i.kind === "tool").slice(-SHOWN).reverse();
  const { selected, move, current } = useSelection(tools.length);
  useInput((input, key) => {
    if (key.escape || (key.ctrl && (input === "o" || input === "c"))) return close();
    if (!tools.length) return close();
    if (key.upArrow) return move(-1);
    if (key.downArrow) return move(1);
    const digit = Number.parseInt(input, 10);
    const chosen = key.return ? tools[current()] : digit >= 1 && digit <= tools.length ? tools[digit - 1] : undefined;
    if (chosen) pick(chosen);
  });
  const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <Text bold>show the whole output of</Text>
      {tools.length ? (
        tools.map((tool, i) => (
          <Text key={tool.id} inverse={i === selected}>
            {clip(`${i + 1} ${tool.ok ? "✓" : "✗"} ${tool.name} ${tool.summary} · ${tool.output.split("\n").length} lines`, width - 4)}
          </Text>
        ))
      ) : (
        <Text dimColor>no tool calls yet</Text>
      )}
      <Text dimColor>↑↓ or 1–{Math.max(1, tools.length)} choose · enter show · esc close</Text>
    </Box>
  );
}
