import { z } from "zod";
import { defineTool } from "../../tools/define.js";
import type { TeamToolHost } from "./host.js";
import sendMessageText from "./send-message.md";
import waitText from "./wait.md";

export function sendMessageTool(host: TeamToolHost) {
  return defineTool({
    name: "send_message",
    description: sendMessageText.trim(),
    parameters: z.object({
      to: z.string().describe('a teammate\'s name, "lead", or "*" for everyone'),
      text: z.string().min(1),
    }),
    readOnly: false,
    coordination: true,
    async execute(args) {
      const r = host.send(args.to, args.text);
      if (!r.ok) return { content: r.reason, isError: true };
      return { content: `Sent ${r.id} to ${args.to === "*" ? "everyone" : args.to}.` };
    },
  });
}

export function waitTool(host: TeamToolHost) {
  return defineTool({
    name: "wait",
    description: waitText.trim(),
    parameters: z.object({
      until: z.enum(["change", "message", "all_tasks_done"]).optional(),
      timeoutSeconds: z.number().positive().max(3600).optional(),
    }),
    // Waiting changes nothing: safe to run again after a resume.
    readOnly: true,
    coordination: true,
    async execute(args, ctx) {
      return { content: await host.wait(args.until ?? "change", (args.timeoutSeconds ?? 600) * 1000, ctx.signal) };
    },
  });
}
