import { fuzzyFilter } from "./fuzzy.js";
import type { Key } from "./key-decoder.js";
import * as L from "./line-editor.js";
import { SLASH_COMMANDS, type SlashSpec, slashMatches } from "./slash-commands.js";

/** What the input box reaches outside itself; the editor holds no React and no terminal. */
export interface PromptHost {
  busy(): boolean;
  /** Enter (`queue` false) or, while working, Tab (`queue` true). */
  submit(text: string, queue: boolean): void;
  /** Esc. */
  interrupt(): void;
  /** Ctrl-C, or Ctrl-D on an empty line. */
  cancel(): void;
  /** Ctrl-O: pick a tool call and show its whole output. */
  showOutputs(): void;
  /** The workspace's files for completion (undefined while they are being read). */
  files(): string[] | undefined;
  /** A pasted path to a file that exists, as it should be attached; undefined for other pastes. */
  pastedFile?(text: string): string | undefined;
  /** The workspace's custom slash commands, for the `/` menu. */
  commands?(): readonly SlashSpec[];
}

export interface MenuItem {
  /** What replaces the word being completed. */
  value: string;
  label: string;
  detail: string;
}

/** A completion menu under the box: `/` commands, `@` files, or paths for the word under the cursor (Tab). */
export interface Menu {
  kind: "slash" | "file" | "path";
  items: MenuItem[];
  selected: number;
  /** Where the completed word starts in the text. */
  start: number;
}

const MENU_SIZE = 8;

/** Keys that only edit the line. */
const MOVES: Partial<Record<Key["name"], (s: L.Line) => L.Line>> = {
  newline: (s) => L.insert(s, "\n"),
  backspace: L.backspace,
  delete: L.deleteForward,
  left: L.left,
  right: L.right,
  home: L.home,
  end: L.end,
  wordLeft: L.wordLeft,
  wordRight: L.wordRight,
  deleteWordLeft: L.deleteWordLeft,
  deleteWordRight: L.deleteWordRight,
  killLeft: L.killLeft,
  killRight: L.killRight,
};

/**
 * The prompt's state machine: editing keys change the line, and the `/` and `@` menus follow
 * what is typed. Everything the person does arrives here as decoded keys, one at a time, so
 * keys that arrive together in one chunk are never lost.
 */
export class PromptEditor {
  line: L.Line = L.emptyLine;
  menu: Menu | undefined;
  private readonly history: string[] = [];
  /** Index into the history while walking it; -1 when editing a fresh line. */
  private historyAt = -1;
  private draft = "";
  /** Esc closed the menu for this text: it stays closed until the text changes. */
  private dismissed: string | undefined;
  /** Tab asked for path completion of the word under the cursor. */
  private pathMenu = false;

  constructor(private readonly host: PromptHost) {}

  get text(): string {
    return this.line.text;
  }

  handle(key: Key): void {
    if (this.menu && this.menuKey(key)) return;
    const before = this.line.text;
    this.edit(key);
    if (this.line.text !== before) {
      this.dismissed = undefined;
      this.pathMenu = false;
    }
    this.refreshMenu();
  }

  /** Call when the file list arrives, so an open `@` menu fills in. */
  refresh(): void {
    this.refreshMenu();
  }

  private edit(key: Key): void {
    const s = this.line;
    const moved = MOVES[key.name];
    if (moved) {
      this.line = moved(s);
      return;
    }
    switch (key.name) {
      case "text":
        this.line = L.insert(s, key.text);
        break;
      case "paste": {
        const file = this.host.pastedFile?.(key.text);
        this.line = L.insert(s, file ? `${attachToken(file)} ` : key.text);
        break;
      }
      case "enter":
        this.send(false);
        break;
      case "tab":
        if (this.host.busy()) this.send(true);
        // Idle, Tab completes and never sends: the word under the cursor as a path.
        else if (L.wordAtCursor(s).word) this.pathMenu = true;
        break;
      case "ctrlD":
        if (!s.text) this.host.cancel();
        else this.line = L.deleteForward(s);
        break;
      case "up":
      case "down": {
        const vertical = L.vertical(s, key.name === "up" ? -1 : 1);
        if (vertical) this.line = vertical;
        else this.walkHistory(key.name === "up" ? -1 : 1);
        break;
      }
      case "escape":
        this.host.interrupt();
        break;
      case "ctrlC":
        this.host.cancel();
        break;
      case "ctrlO":
        this.host.showOutputs();
        break;
    }
  }

  /** Keys the open menu takes; false lets the key edit the line as usual. */
  private menuKey(key: Key): boolean {
    const menu = this.menu!;
    switch (key.name) {
      case "up":
      case "down": {
        const n = menu.items.length;
        if (!n) return true;
        this.menu = { ...menu, selected: (menu.selected + (key.name === "up" ? n - 1 : 1)) % n };
        return true;
      }
      case "escape":
        this.dismissed = this.line.text;
        this.pathMenu = false;
        this.menu = undefined;
        return true;
      case "tab":
        this.accept(menu, false);
        return true;
      case "enter":
        if (!menu.items.length) return false;
        this.accept(menu, true);
        return true;
      default:
        return false;
    }
  }

  private accept(menu: Menu, enter: boolean): void {
    const item = menu.items[menu.selected];
    if (!item) return;
    const s = this.line;
    if (menu.kind === "slash") {
      const builtIn = SLASH_COMMANDS.find((c) => `/${c.name}` === item.value);
      const spec = builtIn ?? this.host.commands?.().find((c) => `/${c.name}` === item.value);
      // Enter on a command that needs no argument runs it (a built-in's `[…]` is optional); otherwise the name is completed.
      if (enter && spec && (!spec.args || (builtIn && spec.args.startsWith("[")))) {
        this.line = L.lineOf(item.value);
        this.send(false);
        this.menu = undefined;
        return;
      }
      this.line = L.lineOf(`${item.value}${spec?.args ? " " : ""}`);
    } else {
      const value = `${item.value} `;
      this.line = { text: s.text.slice(0, menu.start) + value + s.text.slice(s.cursor), cursor: menu.start + value.length };
    }
    this.pathMenu = false;
    this.dismissed = this.line.text;
    this.menu = undefined;
  }

  private refreshMenu(): void {
    const s = this.line;
    const selected = this.menu?.selected ?? 0;
    this.menu = this.dismissed === s.text ? undefined : this.computeMenu(s);
    if (this.menu) this.menu.selected = Math.min(selected, Math.max(0, this.menu.items.length - 1));
  }

  private computeMenu(s: L.Line): Menu | undefined {
    const head = s.text.slice(0, s.cursor);
    if (/^\/\S*$/.test(head)) {
      const items = slashMatches(head.slice(1), this.host.commands?.() ?? []).map((c) => ({ value: `/${c.name}`, label: `/${c.name}${c.args ? ` ${c.args}` : ""}`, detail: c.help }));
      return { kind: "slash", items, selected: 0, start: 0 };
    }
    const { start, word } = L.wordAtCursor(s);
    const isAt = word.startsWith("@");
    if (!isAt && !this.pathMenu) return undefined;
    if (!word) return undefined;
    const files = this.host.files();
    const query = isAt ? word.slice(1).replace(/^"/, "") : word;
    const items = (files ? fuzzyFilter(query, files, MENU_SIZE) : []).map((path) => ({ value: isAt ? attachToken(path) : path, label: path, detail: "" }));
    if (!isAt && files && items.length === 1) {
      // One candidate: Tab completes it in place, as a shell would.
      this.accept({ kind: "path", items, selected: 0, start }, false);
      return undefined;
    }
    return { kind: isAt ? "file" : "path", items, selected: 0, start };
  }

  private send(queue: boolean): void {
    const text = this.line.text;
    if (text.trim()) {
      if (this.history.at(-1) !== text) this.history.push(text);
      this.host.submit(text, queue);
    }
    this.historyAt = -1;
    this.draft = "";
    this.set(L.emptyLine);
  }

  private walkHistory(direction: -1 | 1): void {
    const items = this.history;
    if (!items.length) return;
    if (this.historyAt < 0) {
      if (direction > 0) return;
      this.draft = this.line.text;
      this.historyAt = items.length;
    }
    const at = this.historyAt + direction;
    if (at < 0) return;
    if (at >= items.length) {
      this.historyAt = -1;
      this.set(L.lineOf(this.draft));
      return;
    }
    this.historyAt = at;
    this.set(L.lineOf(items[at]!));
  }

  private set(line: L.Line): void {
    this.line = line;
  }
}

/** `@path`, quoted when the path has spaces. */
export function attachToken(path: string): string {
  return /\s/.test(path) ? `@"${path}"` : `@${path}`;
}
