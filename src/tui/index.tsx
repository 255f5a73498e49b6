import { render } from "ink";
import { intFlag, parseFlags } from "../cli/args.js";
import { guardChoice, policyFlags } from "../cli/policy.js";
import { parseEffort } from "../cli/setup.js";
import { terminalTrustPrompt } from "../cli/trust-prompt.js";
import { DEFAULT_MAX_STEPS } from "../config/config.js";
import { Host } from "../host/host.js";
import type { Approver } from "../policy/approver.js";
import { App } from "./app.js";
import { TuiController } from "./controller.js";
import { dropEarlyFrame, replaceEarlyFrameOnFirstWrite } from "./early-frame.js";
import { loadMarkdown } from "./items.js";

/** Bracketed paste: the terminal marks a paste, so its line breaks are text, not Enter. */
const PASTE_ON = "\x1b[?2004h";
const PASTE_OFF = "\x1b[?2004l";

/**
 * `colleague` with no command: the interactive terminal. Loaded on demand (it pulls in Ink
 * and React), so the other commands and `--version` stay fast. Sessions run through the host
 * like every other face; approvals are asked inline, on a card.
 */
export async function openTui(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      model: { type: "string", short: "m" },
      effort: { type: "string", short: "e" },
      "max-steps": { type: "string" },
      cwd: { type: "string", short: "C" },
      resume: { type: "string", short: "r" },
      ...policyFlags,
    },
    "colleague",
  );
  const guard = guardChoice(values);
  const notices: string[] = [];
  // The controller is the approver, but it needs the host: the host asks through this forwarder.
  let controller: TuiController | undefined;
  const approver: Approver = { ask: (request) => (controller ? controller.approver.ask(request) : Promise.resolve("deny")) };
  const host = new Host({
    approver,
    interactive: true,
    // Asked before the screen opens, on the plain terminal (the early frame taken off first).
    askTrust: (...question) => {
      dropEarlyFrame();
      return terminalTrustPrompt(process.stdin, process.stdout)(...question);
    },
    onNotice: (line) => (controller ? controller.notice(line) : notices.push(line)),
  });
  const out = process.stdout;
  try {
    await host.settleTrust(values.cwd);
    const place = host.workplace(values.cwd);
    // A bad mode or a full-auto with no sandbox here is one line and exit 2, before the screen opens.
    await host.guard(place, guard);
    controller = new TuiController({
      host,
      cwd: place.cwd,
      modelId: values.model ?? host.defaultModelId(place),
      effort: parseEffort(values.effort ?? place.config.effort),
      maxSteps: intFlag(values["max-steps"], "max-steps") ?? place.config.maxSteps ?? DEFAULT_MAX_STEPS,
      guard,
      terminal: { bell: () => out.write("\x07"), clear: () => out.write("\x1b[2J\x1b[3J\x1b[H") },
    });
    for (const line of notices) controller.notice(line);
    out.write(PASTE_ON);
    replaceEarlyFrameOnFirstWrite(out);
    const app = render(<App controller={controller} />, { exitOnCtrlC: false });
    // After the first frame: the markdown renderer and the file list load in the background.
    setTimeout(() => {
      void loadMarkdown();
      void controller?.files.load();
    }, 50);
    // Unmount after Ink has drawn the last frame (its renders are throttled), so the screen
    // left behind shows the emptied box rather than the command that closed it.
    await controller.init(() => setTimeout(() => app.unmount(), 60));
    if (values.resume) controller.submit(`/resume ${values.resume}`, false);
    await app.waitUntilExit();
    out.write(PASTE_OFF);
    const id = controller.currentSessionId;
    if (id) out.write(`\nresume this session: colleague --resume ${id}\n`);
  } finally {
    // Still there when the screen never opened (a bad flag, a guard that refused).
    dropEarlyFrame();
    out.write(PASTE_OFF);
    host.close();
  }
  return 0;
}
