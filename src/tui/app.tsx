import { Box, Static, Text, useApp, useStdout } from "ink";
import { useEffect, useState, useSyncExternalStore } from "react";
import { ApprovalCard } from "./approval-card.js";
import type { TuiFace } from "./face.js";
import { InputBox } from "./input-box.js";
import { ItemView } from "./items.js";
import { LiveArea } from "./live-area.js";
import { OutputPicker } from "./output-picker.js";
import { RewindPicker } from "./rewind-picker.js";
import { statusLine } from "./view-model.js";

/** Wider than this, lines get hard to read: the app keeps to it on wide terminals. */
const MAX_WIDTH = 120;
/** Narrower than this the layout is not designed for (the app still draws, clipped). */
const MIN_WIDTH = 40;

/**
 * The terminal's width, following resizes. After a resize the transcript is printed again at
 * the new width (the screen is cleared first): lines printed at the old width would be
 * re-wrapped by the terminal, and boxes drawn at a wider width would break.
 */
function useWidth(): { width: number; epoch: number } {
  const { stdout } = useStdout();
  const measure = () => Math.max(MIN_WIDTH, Math.min(stdout.columns || 80, MAX_WIDTH));
  const [state, setState] = useState(() => ({ width: measure(), epoch: 0 }));
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const onResize = () => {
      // A window being dragged sends many resizes: redraw once it settles.
      clearTimeout(timer);
      timer = setTimeout(() => {
        stdout.write("\x1b[2J\x1b[3J\x1b[H");
        setState((s) => ({ width: measure(), epoch: s.epoch + 1 }));
      }, 120);
    };
    stdout.on("resize", onResize);
    return () => {
      clearTimeout(timer);
      stdout.off("resize", onResize);
    };
  });
  return state;
}

/**
 * The interactive terminal: finished items go to <Static> (printed once, scroll back like a
 * normal terminal), and only the live area, the status line and the input are redrawn.
 */
export function App({ controller }: { controller: TuiFace }) {
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const { exit } = useApp();
  const { width, epoch } = useWidth();
  const [picking, setPicking] = useState(false);
  const host = {
    submit: (text: string, queue: boolean) => controller.submit(text, queue),
    interrupt: () => controller.interrupt(),
    cancel: () => {
      if (!controller.interrupt()) void controller.exit().then(() => exit());
    },
    showOutputs: () => setPicking(true),
    files: () => controller.files.list(),
    pastedFile: (text: string) => controller.pastedFile(text),
    commands: () => controller.customCommands?.() ?? [],
  };
  return (
    <Box flexDirection="column" width={width}>
      <Static key={`${epoch}.${view.screen}`} items={view.items}>
        {(item) => <ItemView key={item.id} item={item} showThinking={controller.showThinking} width={width} />}
      </Static>
      <LiveArea view={view} showThinking={controller.showThinking} width={width} />
      <Text dimColor>{statusLine(view, width)}</Text>
      {view.approval ? (
        <ApprovalCard key={view.approval.callId} request={view.approval} width={width} answer={(reply) => controller.answerApproval(reply)} />
      ) : view.rewindMenu ? (
        <RewindPicker steps={view.rewindMenu.steps} width={width} choose={(step, mode) => void controller.chooseRewind?.(step, mode)} />
      ) : picking ? (
        <OutputPicker
          items={view.items}
          width={width}
          close={() => setPicking(false)}
          pick={(item) => {
            setPicking(false);
            controller.showOutput(item);
          }}
        />
      ) : (
        <InputBox busy={view.busy} host={host} width={width} />
      )}
    </Box>
  );
}
