import { Box, Static, Text, useApp } from "ink";
import { useSyncExternalStore } from "react";
import { ApprovalCard } from "./approval-card.js";
import type { TuiController } from "./controller.js";
import { InputBox } from "./input-box.js";
import { ItemView } from "./items.js";
import { LiveArea } from "./live-area.js";
import { statusLine } from "./view-model.js";

/**
 * The interactive terminal: finished items go to <Static> (printed once, scroll back like a
 * normal terminal), and only the live area, the status line and the input are redrawn.
 */
export function App({ controller, width }: { controller: TuiController; width: number }) {
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const { exit } = useApp();
  const actions = {
    submit: (text: string, queue: boolean) => controller.submit(text, queue),
    interrupt: () => controller.interrupt(),
    cancel: () => {
      if (!controller.interrupt()) void controller.exit().then(() => exit());
    },
  };
  return (
    <Box flexDirection="column" width={width}>
      <Static items={view.items}>{(item) => <ItemView key={item.id} item={item} showThinking={controller.showThinking} />}</Static>
      <LiveArea view={view} showThinking={controller.showThinking} />
      <Text dimColor>{statusLine(view, width)}</Text>
      {view.approval ? (
        <ApprovalCard key={view.approval.callId} request={view.approval} width={width} answer={(reply) => controller.answerApproval(reply)} />
      ) : (
        <InputBox busy={view.busy} actions={actions} />
      )}
    </Box>
  );
}
