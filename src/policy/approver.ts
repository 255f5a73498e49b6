import { createInterface } from "node:readline/promises";

/**
 * Who answers "may the agent do this?". The CLI asks on the terminal; the TUI and the HTTP API
 * will implement the same interface. An approver only ever hears from the person: nothing a
 * model or a tool writes reaches it as an answer.
 */
export type ApprovalAnswer = "once" | "session" | "deny";

export interface ApprovalRequest {
  callId: string;
  tool: string;
  /** One line saying what would run or change. */
  summary: string;
  reason: string;
}

export interface Approver {
  ask(request: ApprovalRequest): Promise<ApprovalAnswer>;
}

/** Without a person to ask (no TTY, CI), everything that needs approval is denied, with a way out. */
export const denyingApprover: Approver = {
  async ask() {
    return "deny";
  },
};

export const NO_TTY_HINT =
  "needs approval, and there is no terminal to ask on; allow it with --permission-mode or a permissions.allow rule";

/** Asks on the controlling terminal: y = once, a = always for this session, anything else = deny. */
export function terminalApprover(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    ask(request) {
      // Parallel calls ask one at a time.
      const next = queue.then(async () => {
        const rl = createInterface({ input, output, terminal: false });
        try {
          const line = await rl.question(
            `\n[approval] ${request.tool}: ${request.summary}\n  (${request.reason})\n  allow? [y]es once / [a]lways this session / [N]o: `,
          );
          const answer = line.trim().toLowerCase();
          if (answer === "y" || answer === "yes") return "once" as const;
          if (answer === "a" || answer === "always") return "session" as const;
          return "deny" as const;
        } finally {
          rl.close();
        }
      });
      queue = next.catch(() => undefined);
      return next.catch(() => "deny" as const);
    },
  };
}

/** For tests and scripted runs: answers from a list, then denies. */
export function scriptedApprover(answers: ApprovalAnswer[]): Approver & { asked: ApprovalRequest[] } {
  const asked: ApprovalRequest[] = [];
  return {
    asked,
    async ask(request) {
      asked.push(request);
      return answers.shift() ?? "deny";
    },
  };
}
