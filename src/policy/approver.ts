import { readlinePromises } from "../builtins.js";

/**
 * Who answers "may the agent do this?". The CLI asks on the terminal; the TUI and the HTTP API
 * will implement the same interface. An approver only ever hears from the person: nothing a
 * model or a tool writes reaches it as an answer.
 */
export type ApprovalAnswer = "once" | "session" | "deny";

/** An answer with the person's words: a denial's reason reaches the model as the tool result. */
export interface ApprovalReply {
  answer: ApprovalAnswer;
  reason?: string;
}

export interface ApprovalRequest {
  callId: string;
  tool: string;
  /** One line saying what would run or change. */
  summary: string;
  reason: string;
  /** What the person should look at: the whole command, or a unified diff of the edit. */
  preview?: string;
  /** The team member asking (absent for a solo session). */
  agentId?: string;
  /** The session asking (a server routes the request to that session's clients). */
  sessionId?: string;
  /** "session" answers are not offered (a monitor asked: one approval covers one call). */
  onceOnly?: boolean;
}

export interface Approver {
  ask(request: ApprovalRequest): Promise<ApprovalAnswer | ApprovalReply>;
}

export function toReply(answer: ApprovalAnswer | ApprovalReply): ApprovalReply {
  return typeof answer === "string" ? { answer } : answer;
}

/** Without a person to ask (no TTY, CI), everything that needs approval is denied, with a way out. */
export const denyingApprover: Approver = {
  async ask() {
    return "deny";
  },
};

export const NO_TTY_HINT =
  "needs approval, and there is no terminal to ask on; allow it with --permission-mode or a permissions.allow rule";

/**
 * Asks on the controlling terminal, showing the command or the diff: y = once, a = always for
 * this session, n = no, anything else = no with that text as the reason the model is told.
 */
export function terminalApprover(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    ask(request) {
      // Parallel calls (and teammates) ask one at a time.
      const next = queue.then(async (): Promise<ApprovalReply> => {
        const rl = readlinePromises().createInterface({ input, output, terminal: false });
        try {
          const who = request.agentId ? `${request.agentId} › ` : "";
          const always = request.onceOnly ? "" : " / [a]lways this session";
          const line = await rl.question(
            `\n[approval] ${who}${request.tool}: ${request.summary}\n${indent(request.preview)}  (${request.reason})\n  allow? [y]es once${always} / [n]o / or type why not: `,
          );
          return parseAnswer(line, request.onceOnly === true);
        } finally {
          rl.close();
        }
      });
      queue = next.catch(() => undefined);
      return next.catch(() => ({ answer: "deny" as const }));
    },
  };
}

/** A typed answer: y / a / n, or words (a denial with a reason). Empty denies. */
export function parseAnswer(line: string, onceOnly = false): ApprovalReply {
  const text = line.trim();
  const answer = text.toLowerCase();
  if (answer === "y" || answer === "yes") return { answer: "once" };
  if (!onceOnly && (answer === "a" || answer === "always")) return { answer: "session" };
  if (answer === "" || answer === "n" || answer === "no") return { answer: "deny" };
  return { answer: "deny", reason: text };
}

function indent(preview: string | undefined): string {
  if (!preview) return "";
  const lines = preview.split("\n");
  const shown = lines.length > 60 ? [...lines.slice(0, 60), `… ${lines.length - 60} more line(s)`] : lines;
  return `${shown.map((l) => `  │ ${l}`).join("\n")}\n`;
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
