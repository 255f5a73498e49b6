/**
 * OpenAI's computer use (the Responses API's `computer_use_preview` tool) speaks its own action
 * vocabulary in `computer_call` items; colleague's `computer` tool takes Anthropic's. This maps
 * an OpenAI action onto the tool's arguments, so one tool serves both. Keys follow the names
 * OpenAI's models use ("CTRL", "ENTER", "ArrowUp") and become xdotool key names.
 */
type Action = Record<string, unknown> & { type?: string };

const KEYS: Record<string, string> = {
  alt: "alt",
  option: "alt",
  ctrl: "ctrl",
  control: "ctrl",
  shift: "shift",
  cmd: "super",
  super: "super",
  win: "super",
  meta: "super",
  enter: "Return",
  return: "Return",
  esc: "Escape",
  escape: "Escape",
  tab: "Tab",
  space: "space",
  backspace: "BackSpace",
  delete: "Delete",
  insert: "Insert",
  home: "Home",
  end: "End",
  pageup: "Page_Up",
  pagedown: "Page_Down",
  arrowup: "Up",
  arrowdown: "Down",
  arrowleft: "Left",
  arrowright: "Right",
  up: "Up",
  down: "Down",
  left: "Left",
  right: "Right",
  capslock: "Caps_Lock",
  "/": "slash",
  "\\": "backslash",
};

export const xdotoolKey = (key: string): string => KEYS[key.toLowerCase()] ?? (key.length === 1 ? key.toLowerCase() : key);

const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? Math.round(value) : 0);
const at = (action: Action): [number, number] => [num(action.x), num(action.y)];
/** OpenAI scrolls in pixels; a wheel notch moves about a hundred. */
const notches = (pixels: number): number => Math.max(1, Math.min(50, Math.round(Math.abs(pixels) / 100)));

/** The `computer` tool's arguments for an OpenAI computer action. */
export function computerArgsFromOpenAI(action: Action): Record<string, unknown> {
  switch (action.type) {
    case "click": {
      const button = String(action.button ?? "left");
      if (button === "back" || button === "forward") return { action: "key", text: button === "back" ? "alt+Left" : "alt+Right" };
      const kind = button === "right" ? "right_click" : button === "wheel" || button === "middle" ? "middle_click" : "left_click";
      return { action: kind, coordinate: at(action) };
    }
    case "double_click":
      return { action: "double_click", coordinate: at(action) };
    case "move":
      return { action: "mouse_move", coordinate: at(action) };
    case "drag": {
      const path = Array.isArray(action.path) ? (action.path as Action[]) : [];
      const first = path[0] ?? {};
      const last = path.at(-1) ?? {};
      return { action: "left_click_drag", start_coordinate: at(first), coordinate: at(last) };
    }
    case "keypress": {
      const keys = Array.isArray(action.keys) ? action.keys.map((k) => xdotoolKey(String(k))) : [];
      return { action: "key", text: keys.join("+") };
    }
    case "type":
      return { action: "type", text: String(action.text ?? "") };
    case "scroll": {
      const dx = num(action.scroll_x);
      const dy = num(action.scroll_y);
      const vertical = Math.abs(dy) >= Math.abs(dx);
      const direction = vertical ? (dy < 0 ? "up" : "down") : dx < 0 ? "left" : "right";
      return { action: "scroll", coordinate: at(action), scroll_direction: direction, scroll_amount: notches(vertical ? dy : dx) };
    }
    case "wait":
      return { action: "wait", duration: 2 };
    default:
      return { action: "screenshot" };
  }
}
