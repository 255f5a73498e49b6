import { Box, Text, useInput } from "ink";
import { useRef, useState } from "react";

export interface InputActions {
  /** Enter; `queue` is true for Tab. */
  submit(text: string, queue: boolean): void;
  /** Esc. */
  interrupt(): void;
  /** Ctrl-C. */
  cancel(): void;
}

/**
 * The input line. It stays live while the agent works: Enter steers, Tab queues, Esc
 * interrupts, ↑ / ↓ walk the history.
 */
export function InputBox({ busy, actions }: { busy: boolean; actions: InputActions }) {
  // The text lives in a ref too: keys can arrive faster than React re-renders the handler.
  const [text, setTextState] = useState("");
  const current = useRef("");
  const setText = (next: string) => {
    current.current = next;
    setTextState(next);
  };
  const history = useRef<string[]>([]);
  const cursor = useRef(-1);

  const send = (line: string, queue: boolean) => {
    if (line.trim()) {
      history.current.push(line);
      cursor.current = -1;
      actions.submit(line, queue);
    }
    setText("");
  };

  useInput((input, key) => {
    if (key.ctrl && input === "c") return actions.cancel();
    if (key.escape) return actions.interrupt();
    const text = current.current;
    if (key.return || key.tab) return send(text, key.tab);
    // Fast typists, pastes and a terminal still in line mode (keys typed before the app
    // started) can deliver "text⏎" in one chunk: each line break is an Enter.
    if (input.length > 1 && /[\r\n\t]/.test(input)) {
      let line = text;
      for (const ch of input.replace(/\r\n/g, "\r")) {
        if (ch === "\r" || ch === "\n" || ch === "\t") {
          send(line, ch === "\t");
          line = "";
        } else line += ch;
      }
      setText(line);
      return;
    }
    if (key.upArrow || key.downArrow) {
      const items = history.current;
      if (!items.length) return;
      let at = cursor.current < 0 ? items.length : cursor.current;
      at = key.upArrow ? Math.max(0, at - 1) : at + 1;
      cursor.current = at >= items.length ? -1 : at;
      setText(cursor.current < 0 ? "" : items[cursor.current]!);
      return;
    }
    if (key.backspace || key.delete) {
      setText(text.slice(0, -1));
      return;
    }
    if (key.ctrl || key.meta || !input) return;
    setText(text + input.replace(/[\r\n]/g, " "));
  });

  return (
    <Box flexDirection="column">
      <Box borderStyle="round" borderColor={busy ? "yellow" : "gray"} paddingX={1}>
        <Text>
          <Text color="cyan">› </Text>
          {text}
          <Text inverse> </Text>
        </Text>
      </Box>
      <Text dimColor>{busy ? "enter steer · tab queue · esc interrupt · /help" : "enter send · ↑ history · /help · /exit"}</Text>
    </Box>
  );
}
