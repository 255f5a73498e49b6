import { describe, expect, it } from "vitest";
import { KeyDecoder, type Key } from "../../src/tui/key-decoder.js";
import * as L from "../../src/tui/line-editor.js";
import { PromptEditor, type PromptHost } from "../../src/tui/prompt-editor.js";

const decode = (...chunks: string[]) => {
  const d = new KeyDecoder();
  return chunks.flatMap((c) => d.push(c));
};

function editor(options: { busy?: boolean; files?: string[] } = {}) {
  const sent: { text: string; queue: boolean }[] = [];
  const calls: string[] = [];
  const host: PromptHost = {
    busy: () => options.busy ?? false,
    submit: (text, queue) => sent.push({ text, queue }),
    interrupt: () => calls.push("interrupt"),
    cancel: () => calls.push("cancel"),
    showOutputs: () => calls.push("outputs"),
    files: () => options.files,
  };
  const e = new PromptEditor(host);
  const d = new KeyDecoder();
  const type = (...chunks: string[]) => {
    for (const chunk of chunks) for (const key of d.push(chunk)) e.handle(key);
  };
  return { e, sent, calls, type };
}

describe("the key decoder", () => {
  it("keeps every byte of a chunk: backspaces that arrive with text edit it", () => {
    expect(decode("abc\x7f\x7fZ")).toEqual([{ name: "text", text: "abc" }, { name: "backspace" }, { name: "backspace" }, { name: "text", text: "Z" }]);
  });

  it("gathers a bracketed paste, even split across chunks, into one paste key", () => {
    expect(decode("\x1b[200~", "line 1\rline 2\r", "line 3", "\x1b[201~")).toEqual([{ name: "paste", text: "line 1\nline 2\nline 3" }]);
    expect(decode("x\x1b[200~a\r\nb\x1b[201~y")).toEqual([{ name: "text", text: "x" }, { name: "paste", text: "a\nb" }, { name: "text", text: "y" }]);
  });

  it("names the editing keys of xterm, readline and the newline key", () => {
    const names = (chunk: string) => decode(chunk).map((k) => k.name);
    expect(names("\x1b[1;5D")).toEqual(["wordLeft"]);
    expect(names("\x1bf")).toEqual(["wordRight"]);
    expect(names("\x1b[H")).toEqual(["home"]);
    expect(names("\x1b[4~")).toEqual(["end"]);
    expect(names("\x01\x05\x15\x17\x0b")).toEqual(["home", "end", "killLeft", "deleteWordLeft", "killRight"]);
    expect(names("\x1b\r")).toEqual(["newline"]);
    expect(names("\n")).toEqual(["newline"]);
    expect(names("\x1b[13;2u")).toEqual(["newline"]);
    // Typed ahead in line mode: "text⏎" in one chunk is an Enter.
    expect(names("go\n")).toEqual(["text", "enter"]);
    expect(names("\x1b\x15")).toEqual(["escape", "killLeft"]);
  });
});

describe("the line editor", () => {
  const at = (text: string, cursor: number): L.Line => ({ text, cursor });
  it("moves by words and kills words and line ends, as readline does", () => {
    expect(L.wordLeft(at("git commit -m", 13)).cursor).toBe(11);
    expect(L.wordRight(at("git commit -m", 0)).cursor).toBe(3);
    expect(L.deleteWordLeft(at("git commit -m", 10))).toEqual(at("git  -m", 4));
    expect(L.killLeft(at("abc def", 4))).toEqual(at("def", 0));
    expect(L.killRight(at("abc def", 3))).toEqual(at("abc", 3));
  });

  it("works on the cursor's line of a multi-line text", () => {
    const text = "first\nsecond\nthird";
    expect(L.home(at(text, 9)).cursor).toBe(6);
    expect(L.end(at(text, 7)).cursor).toBe(12);
    expect(L.vertical(at(text, 9), -1)?.cursor).toBe(3);
    expect(L.vertical(at(text, 2), -1)).toBeUndefined();
    expect(L.vertical(at(text, 15), 1)).toBeUndefined();
  });

  it("treats a surrogate pair as one character", () => {
    expect(L.backspace(L.lineOf("a😀"))).toEqual(at("a", 1));
  });
});

describe("the prompt editor", () => {
  it("'abc', two backspaces and 'Z' in one chunk give 'aZ'", () => {
    const { e, type } = editor();
    type("abc\x7f\x7fZ");
    expect(e.text).toBe("aZ");
  });

  it("a 3-line paste is one message, sent by one Enter", () => {
    const { e, sent, type } = editor();
    type("see: ", "\x1b[200~", "Error: boom\r  at f (a.ts:1)\r  at g (b.ts:2)", "\x1b[201~");
    expect(sent).toEqual([]);
    expect(e.text).toBe("see: Error: boom\n  at f (a.ts:1)\n  at g (b.ts:2)");
    type("\r");
    expect(sent).toEqual([{ text: "see: Error: boom\n  at f (a.ts:1)\n  at g (b.ts:2)", queue: false }]);
    expect(e.text).toBe("");
  });

  it("edits in the middle of the line and walks the history, keeping the draft", () => {
    const { e, sent, type } = editor();
    type("helo world", "\x1b[1;5D", "\x1b[D", "\x1b[D", "l");
    expect(e.text).toBe("hello world");
    type("\x05", "!", "\r");
    expect(sent.at(-1)?.text).toBe("hello world!");
    type("draft", "\x1b[A");
    expect(e.text).toBe("hello world!");
    type("\x1b[B");
    expect(e.text).toBe("draft");
  });

  it("Tab when idle completes and never sends; while working it queues", () => {
    const idle = editor({ files: ["src/tui/view-model.ts", "README.md"] });
    idle.type("open src/tui/view", "\t");
    expect(idle.sent).toEqual([]);
    expect(idle.e.text).toBe("open src/tui/view-model.ts ");
    const busy = editor({ busy: true });
    busy.type("later", "\t");
    expect(busy.sent).toEqual([{ text: "later", queue: true }]);
  });

  it("the / menu filters as you type; Enter runs a command that takes nothing, Tab completes one that takes an argument", () => {
    const { e, sent, type } = editor();
    type("/");
    expect(e.menu?.items.length).toBeGreaterThan(10);
    type("st");
    expect(e.menu?.items.map((i) => i.value)).toEqual(["/status", "/cost"]);
    type("\r");
    expect(sent).toEqual([{ text: "/status", queue: false }]);
    type("/mo", "\t");
    expect(e.text).toBe("/model ");
    expect(e.menu).toBeUndefined();
    type("\x15/zzz");
    expect(e.menu?.items).toEqual([]);
    type("\x1b");
    expect(e.menu).toBeUndefined();
  });

  it("@ completes workspace files, fuzzily, and ↑/↓ choose", () => {
    const { e, sent, type } = editor({ files: ["README.md", "src/tui/view-model.ts", "src/very/long/module/path.ts", "test/tui/view-model.test.ts"] });
    type("look at @vmod");
    expect(e.menu?.kind).toBe("file");
    expect(e.menu?.items[0]?.label).toBe("src/tui/view-model.ts");
    type("\x1b[B", "\t");
    expect(e.text).toBe("look at @test/tui/view-model.test.ts ");
    type("\r");
    expect(sent.at(-1)?.text.trim()).toBe("look at @test/tui/view-model.test.ts");
  });

  it("Esc interrupts, Ctrl-C cancels, Ctrl-O opens the outputs, Ctrl-D on an empty line leaves", () => {
    const { calls, type } = editor();
    type("\x1b", "\x03", "\x0f", "\x04");
    expect(calls).toEqual(["interrupt", "cancel", "outputs", "cancel"]);
  });

  it("a pasted path to a file becomes an attachment", () => {
    const e = new PromptEditor({
      busy: () => false,
      submit: () => {},
      interrupt: () => {},
      cancel: () => {},
      showOutputs: () => {},
      files: () => [],
      pastedFile: (text) => (text === "'/tmp/my shot.png'" ? "/tmp/my shot.png" : undefined),
    });
    e.handle({ name: "paste", text: "'/tmp/my shot.png'" } as Key);
    expect(e.text).toBe('@"/tmp/my shot.png" ');
  });
});
