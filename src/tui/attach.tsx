import { render } from "ink";
import { ColleagueClient } from "../protocol/client.js";
import { App } from "./app.js";
import { loadMarkdown } from "./items.js";
import { RemoteController } from "./remote-controller.js";

const PASTE_ON = "\x1b[?2004h";
const PASTE_OFF = "\x1b[?2004l";

/** `colleague attach`: the terminal UI on a session that runs in `colleague serve`. */
export async function attachTui(options: { server: string; token: string; sessionId: string }): Promise<number> {
  const client = new ColleagueClient({ url: options.server, token: options.token });
  const controller = new RemoteController(client, options.sessionId, options.server);
  const out = process.stdout;
  out.write(PASTE_ON);
  try {
    const app = render(<App controller={controller} />, { exitOnCtrlC: false });
    setTimeout(() => void loadMarkdown(), 50);
    await controller.init(() => setTimeout(() => app.unmount(), 60));
    await app.waitUntilExit();
    out.write(`\nthe session goes on in the server; attach again: colleague attach ${options.sessionId} --server ${options.server}\n`);
  } finally {
    out.write(PASTE_OFF);
  }
  return 0;
}
