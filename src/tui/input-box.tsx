import { Box, Text, useStdin } from "ink";
import { useEffect, useReducer, useRef } from "react";
import { KeyDecoder } from "./key-decoder.js";
import type { Line } from "./line-editor.js";
import { type Menu, PromptEditor, type PromptHost } from "./prompt-editor.js";

/** The box shows this many lines of a long (pasted) message, around the cursor. */
const MAX_LINES = 8;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The completion menu shows this many rows at a time. */
const MENU_ROWS = 7;

/**
 * The input box. It stays live while the agent works: Enter steers, Tab queues, Esc
 * interrupts; idle, Tab completes. Keys go to a React-free editor (./prompt-editor.ts); raw
 * terminal input is decoded here (./key-decoder.ts) rather than by Ink, so a paste and keys
 * that arrive together keep every byte.
 */
/** The hint under an idle box (bin/early-frame.js draws the same before the bundle loads). */
export const IDLE_HINT = "enter send · alt-enter newline · ↑ history · @ file · / commands";

export function InputBox({ busy, host, width }: { busy: boolean; host: Omit<PromptHost, "busy">; width: number }) {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  // The editor and decoder live as long as the box; `busy` is read through a ref so the
  // editor always sees the current state without being rebuilt.
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const hostRef = useRef(host);
  hostRef.current = host;
  const editor = useRef<PromptEditor | undefined>(undefined);
  editor.current ??= new PromptEditor({
    busy: () => busyRef.current,
    submit: (text, queue) => hostRef.current.submit(text, queue),
    interrupt: () => hostRef.current.interrupt(),
    cancel: () => hostRef.current.cancel(),
    showOutputs: () => hostRef.current.showOutputs(),
    files: () => hostRef.current.files(),
    pastedFile: (text) => hostRef.current.pastedFile?.(text),
    commands: () => hostRef.current.commands?.() ?? [],
  });
  const { internal_eventEmitter: input, setRawMode } = useStdin();
  useEffect(() => {
    setRawMode(true);
    const decoder = new KeyDecoder();
    const onInput = (chunk: string) => {
      const keys = decoder.push(chunk);
      for (const key of keys) editor.current!.handle(key);
      if (keys.length) redraw();
    };
    input.on("input", onInput);
    return () => {
      input.off("input", onInput);
      setRawMode(false);
    };
  }, [input, setRawMode]);
  // The file list arrives in the background: an open `@` menu fills in when it does.
  useEffect(() => {
    const timer = setInterval(() => {
      const menu = editor.current!.menu;
      if (menu && menu.kind !== "slash" && !menu.items.length && hostRef.current.files()) {
        editor.current!.refresh();
        redraw();
      }
    }, 200);
    return () => clearInterval(timer);
  }, []);

  const e = editor.current;
  const hint = busy ? "enter steer · tab queue · esc interrupt · ctrl-o outputs · /help" : IDLE_HINT;
  return (
    <Box flexDirection="column" width={width}>
      <Box borderStyle="round" borderColor={busy ? "yellow" : "gray"} paddingX={1} width={width}>
        <Text color="cyan">› </Text>
        <Box flexDirection="column" flexGrow={1}>
          <EditedText line={e.line} />
        </Box>
      </Box>
      {e.menu ? <MenuView menu={e.menu} width={width} /> : <Text dimColor>{clip(hint, width)}</Text>}
    </Box>
  );
}

/** The text with an inverse cursor; long texts show the lines around the cursor. */
function EditedText({ line }: { line: Line }) {
  const lines = line.text.split("\n");
  let row = line.text.slice(0, line.cursor).split("\n").length - 1;
  const column = line.cursor - (line.text.lastIndexOf("\n", line.cursor - 1) + 1);
  const first = Math.max(0, Math.min(row - Math.floor(MAX_LINES / 2), lines.length - MAX_LINES));
  const shown = lines.slice(first, first + MAX_LINES);
  row -= first;
  return (
    <>
      {first > 0 ? <Text dimColor>… {first} line(s) above</Text> : null}
      {shown.map((text, i) => {
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of the text being edited are their position
        if (i !== row) return <Text key={first + i}>{text || " "}</Text>;
        const at = [...text.slice(0, column)].length;
        const chars = [...text];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above
          <Text key={first + i}>
            {chars.slice(0, at).join("")}
            <Text inverse>{chars[at] ?? " "}</Text>
            {chars.slice(at + 1).join("")}
          </Text>
        );
      })}
      {lines.length > first + MAX_LINES ? <Text dimColor>… {lines.length - first - MAX_LINES} more line(s)</Text> : null}
    </>
  );
}

function MenuView({ menu, width }: { menu: Menu; width: number }) {
  if (!menu.items.length) {
    const empty = menu.kind === "slash" ? "no such command (/help lists them)" : menu.kind === "file" ? "no matching file (or still reading the file list)" : "no matching path";
    return <Text dimColor> {empty}</Text>;
  }
  const labelWidth = Math.min(32, Math.max(...menu.items.map((i) => i.label.length)) + 2);
  // A window of the list around the selection, so the menu never pushes the box off screen.
  const first = Math.max(0, Math.min(menu.selected - MENU_ROWS + 1, menu.items.length - MENU_ROWS));
  const rows = menu.items.slice(first, first + MENU_ROWS);
  return (
    <Box flexDirection="column">
      {rows.map((item, row) => {
        const i = first + row;
        const label = item.label.length > width - 4 ? `…${item.label.slice(-(width - 5))}` : item.label;
        const room = width - 4 - labelWidth;
        const detail = item.detail && room > 10 ? (item.detail.length > room ? `${item.detail.slice(0, room - 1)}…` : item.detail) : "";
        return (
          <Text key={item.value} color={i === menu.selected ? "cyan" : undefined} inverse={i === menu.selected}>
            {` ${label.padEnd(labelWidth)}`}
            <Text dimColor={i !== menu.selected}>{detail}</Text>
          </Text>
        );
      })}
      <Text dimColor>{clip(`${menu.items.length > rows.length ? ` ${first + 1}–${first + rows.length} of ${menu.items.length} ·` : ""} ↑↓ choose · tab complete · enter ${menu.kind === "slash" ? "run" : "pick"} · esc close`, width)}</Text>
    </Box>
  );
}
