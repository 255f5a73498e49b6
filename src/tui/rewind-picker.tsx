import { Box, Text, useInput } from "ink";
import type { StepCheckpoint } from "../session/rewind.js";
import type { RewindMode } from "./rewind-commands.js";
import { useSelection } from "./use-selection.js";

/** How many steps show at once; the list scrolls with the selection. */
const SHOWN = 10;

/**
 * `/rewind`: the steps that changed files, newest first. Enter puts files and conversation back to
 * before the chosen step; `c` only the files, `v` only the conversation; esc closes.
 */
export function RewindPicker({ steps, width, choose }: { steps: StepCheckpoint[]; width: number; choose: (step: number | undefined, mode?: RewindMode) => void }) {
  const { selected, move, current } = useSelection(steps.length);
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === "c")) return choose(undefined);
    if (key.upArrow) return move(-1);
    if (key.downArrow) return move(1);
    const step = steps[current()]!.step;
    if (key.return) return choose(step, "both");
    if (input === "c") return choose(step, "code");
    if (input === "v") return choose(step, "conversation");
  });
  const first = Math.min(Math.max(0, selected - SHOWN + 1), Math.max(0, steps.length - SHOWN));
  const clip = (text: string) => (text.length > width - 4 ? `${text.slice(0, width - 5)}…` : text);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={width}>
      <Text bold>rewind to before step</Text>
      {steps.slice(first, first + SHOWN).map((s, i) => (
        <Text key={s.step} inverse={first + i === selected}>
          {clip(`${String(s.step).padStart(4)}  ${s.time.slice(11, 19)}  ${s.summary}`)}
        </Text>
      ))}
      {steps.length > SHOWN ? <Text dimColor>{`${selected + 1} of ${steps.length}`}</Text> : null}
      <Text dimColor>↑↓ choose · enter files + conversation · c files only · v conversation only · esc close</Text>
    </Box>
  );
}
