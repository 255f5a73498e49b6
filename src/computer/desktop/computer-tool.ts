import { z } from "zod";
import { type AnyTool, defineTool, ToolError, type ToolOutput } from "../../tools/define.js";
import { type Size, shotSize, toScreen, toShot } from "../scaling.js";
import description from "./computer-tool.md";
import type { VirtualDisplay } from "./display.js";

/**
 * The `computer` tool: the virtual desktop's screen, mouse and keyboard. Its arguments are
 * Anthropic's computer-use actions, so Claude models get it in their native form and the same
 * calls work as an ordinary function tool for every other model (OpenAI's computer-use actions
 * are translated into these by its adapter). Coordinates are in the pixels of the screenshot
 * the model saw, mapped exactly onto the screen.
 */
export const COMPUTER_ACTIONS = [
  "screenshot",
  "left_click",
  "right_click",
  "middle_click",
  "double_click",
  "triple_click",
  "mouse_move",
  "left_click_drag",
  "left_mouse_down",
  "left_mouse_up",
  "type",
  "key",
  "hold_key",
  "scroll",
  "wait",
  "zoom",
  "cursor_position",
] as const;

const point = z.array(z.number()).length(2);
export const ComputerArgs = z.object({
  action: z.enum(COMPUTER_ACTIONS),
  coordinate: point.optional().describe("[x, y] in screenshot pixels"),
  start_coordinate: point.optional().describe("left_click_drag: where the drag starts"),
  text: z.string().optional().describe("type: the text; key / hold_key: a key or chord such as ctrl+s or Return; clicks: modifier keys to hold"),
  scroll_direction: z.enum(["up", "down", "left", "right"]).optional(),
  scroll_amount: z.number().int().positive().max(50).optional(),
  duration: z.number().positive().max(60).optional().describe("wait / hold_key: seconds"),
  region: z.array(z.number()).length(4).optional().describe("zoom: [x1, y1, x2, y2] in screenshot pixels"),
});
export type ComputerArgs = z.infer<typeof ComputerArgs>;

const BUTTONS = { left_click: "1", middle_click: "2", right_click: "3", double_click: "1", triple_click: "1" } as const;
const REPEATS = { left_click: 1, middle_click: 1, right_click: 1, double_click: 2, triple_click: 3 } as const;
const SCROLL_BUTTONS = { up: "4", down: "5", left: "6", right: "7" } as const;
/** Long enough for a window to repaint after input, before the screenshot that shows it. */
const SETTLE_MS = 300;
const TYPE_DELAY_MS = 12;

export interface ComputerTool {
  tool: AnyTool;
  /** The size screenshots have: the coordinate space the model works in. */
  shot: Size;
}

export function createComputerTool(display: VirtualDisplay): ComputerTool {
  const screen = display.screen;
  const shot = shotSize(screen);
  const onScreen = (p: number[] | undefined, what = "coordinate"): [number, number] => {
    if (!p) throw new ToolError(`This action needs ${what} [x, y] in screenshot pixels (${shot.width}×${shot.height}).`);
    const [x, y] = p as [number, number];
    if (x < 0 || y < 0 || x >= shot.width || y >= shot.height) throw new ToolError(`${what} [${x}, ${y}] is outside the screenshot (${shot.width}×${shot.height}).`);
    return toScreen([x, y], shot, screen);
  };
  const screenshot = async (note: string): Promise<ToolOutput> => {
    await sleep(SETTLE_MS);
    const png = await display.capture(shot);
    return {
      content: [
        { type: "text", text: `${note}${note ? " " : ""}Screenshot ${shot.width}×${shot.height}.` },
        { type: "image", mediaType: "image/png", data: png.toString("base64") },
      ],
      details: { display: display.display, width: shot.width, height: shot.height },
    };
  };
  const withModifiers = async (modifiers: string | undefined, act: () => Promise<unknown>) => {
    const keys = modifiers ? modifiers.split("+").filter(Boolean) : [];
    for (const key of keys) await display.xdotool(["keydown", key]);
    try {
      await act();
    } finally {
      for (const key of keys.reverse()) await display.xdotool(["keyup", key]);
    }
  };

  const tool = defineTool({
    name: "computer",
    description,
    readOnly: false,
    parameters: ComputerArgs,
    native: { kind: "computer", display: shot },
    async execute(args) {
      await display.start().catch((error: Error) => {
        throw new ToolError(`The desktop did not start: ${error.message}`);
      });
      switch (args.action) {
        case "screenshot":
          return screenshot("");
        case "left_click":
        case "right_click":
        case "middle_click":
        case "double_click":
        case "triple_click": {
          const target = args.coordinate ? onScreen(args.coordinate) : undefined;
          await withModifiers(args.text, async () => {
            if (target) await display.xdotool(["mousemove", "--sync", String(target[0]), String(target[1])]);
            await display.xdotool(["click", "--repeat", String(REPEATS[args.action as keyof typeof REPEATS]), "--delay", "80", BUTTONS[args.action as keyof typeof BUTTONS]]);
          });
          return screenshot(`${args.action}${args.coordinate ? ` at [${args.coordinate.join(", ")}]` : ""}.`);
        }
        case "mouse_move": {
          const [x, y] = onScreen(args.coordinate);
          await display.xdotool(["mousemove", "--sync", String(x), String(y)]);
          return screenshot(`Moved to [${args.coordinate!.join(", ")}].`);
        }
        case "left_click_drag": {
          const [sx, sy] = onScreen(args.start_coordinate, "start_coordinate");
          const [ex, ey] = onScreen(args.coordinate);
          await display.xdotool(["mousemove", "--sync", String(sx), String(sy), "mousedown", "1"]);
          await display.xdotool(["mousemove", "--sync", String(Math.round((sx + ex) / 2)), String(Math.round((sy + ey) / 2))]);
          await display.xdotool(["mousemove", "--sync", String(ex), String(ey), "mouseup", "1"]);
          return screenshot(`Dragged to [${args.coordinate!.join(", ")}].`);
        }
        case "left_mouse_down":
        case "left_mouse_up": {
          if (args.coordinate) {
            const [x, y] = onScreen(args.coordinate);
            await display.xdotool(["mousemove", "--sync", String(x), String(y)]);
          }
          await display.xdotool([args.action === "left_mouse_down" ? "mousedown" : "mouseup", "1"]);
          return screenshot(`${args.action}.`);
        }
        case "type": {
          if (args.text === undefined) throw new ToolError("type needs text.");
          await display.xdotool(["type", "--delay", String(TYPE_DELAY_MS), "--", args.text]);
          return screenshot(`Typed ${args.text.length} characters.`);
        }
        case "key": {
          if (!args.text) throw new ToolError("key needs text: a key or chord such as Return or ctrl+s.");
          await display.xdotool(["key", "--", ...args.text.split(/\s+/).filter(Boolean)]);
          return screenshot(`Pressed ${args.text}.`);
        }
        case "hold_key": {
          if (!args.text) throw new ToolError("hold_key needs text: the key to hold.");
          await display.xdotool(["keydown", args.text]);
          await sleep((args.duration ?? 1) * 1000);
          await display.xdotool(["keyup", args.text]);
          return screenshot(`Held ${args.text}.`);
        }
        case "scroll": {
          const direction = args.scroll_direction ?? "down";
          await withModifiers(args.text, async () => {
            if (args.coordinate) {
              const [x, y] = onScreen(args.coordinate);
              await display.xdotool(["mousemove", "--sync", String(x), String(y)]);
            }
            await display.xdotool(["click", "--repeat", String(args.scroll_amount ?? 3), "--delay", "30", SCROLL_BUTTONS[direction]]);
          });
          return screenshot(`Scrolled ${direction}.`);
        }
        case "wait":
          await sleep((args.duration ?? 1) * 1000);
          return screenshot(`Waited ${args.duration ?? 1} s.`);
        case "zoom": {
          const region = args.region;
          if (!region) throw new ToolError("zoom needs region [x1, y1, x2, y2] in screenshot pixels.");
          const [x1, y1] = onScreen([region[0]!, region[1]!], "region");
          const [x2, y2] = toScreen([region[2]!, region[3]!], shot, screen);
          if (x2 <= x1 || y2 <= y1) throw new ToolError("zoom's region must have x2 > x1 and y2 > y1.");
          const area = { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
          const size = zoomSize(area, shot);
          const png = await display.capture(size, area);
          return {
            content: [
              { type: "text", text: `Zoomed into [${region.join(", ")}], shown at ${size.width}×${size.height}.` },
              { type: "image", mediaType: "image/png", data: png.toString("base64") },
            ],
          };
        }
        case "cursor_position": {
          const out = await display.xdotool(["getmouselocation", "--shell"]);
          const x = Number(/X=(\d+)/.exec(out)?.[1] ?? 0);
          const y = Number(/Y=(\d+)/.exec(out)?.[1] ?? 0);
          const [sx, sy] = toShot([x, y], shot, screen);
          return { content: `The pointer is at [${sx}, ${sy}] (screenshot pixels).`, details: { screen: [x, y] } };
        }
      }
    },
  });
  return { tool, shot };
}

/** A zoomed region fills the screenshot's frame as far as its aspect allows. */
export function zoomSize(area: Size, frame: Size): Size {
  const factor = Math.min(frame.width / area.width, frame.height / area.height);
  return { width: Math.max(1, Math.floor(area.width * factor)), height: Math.max(1, Math.floor(area.height * factor)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
