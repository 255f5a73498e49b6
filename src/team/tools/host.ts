import type { Finding } from "../../agent/team-events.js";
import type { TaskBoard } from "../board.js";

/** A lead action's outcome: `ok: false` reaches the model as a tool error. */
export interface ToolAnswer {
  ok: boolean;
  text: string;
}

export type WaitUntil = "change" | "message" | "all_tasks_done";

export interface SpawnInput {
  name: string;
  role: string;
  task: string;
  model?: string;
  isolated?: boolean;
  effort?: "low" | "medium" | "high" | "max";
}

/** What the team tools reach of the team, for one calling agent. Errors come back as text. */
export interface TeamToolHost {
  readonly agentId: string;
  readonly board: TaskBoard;
  send(to: string, text: string): { ok: true; id: string } | { ok: false; reason: string };
  describeTeam(): string;
  spawn(input: SpawnInput): Promise<ToolAnswer>;
  shutdown(name: string, merge: boolean): Promise<ToolAnswer>;
  wait(until: WaitUntil, timeoutMs: number, signal: AbortSignal): Promise<string>;
  reportFinding(finding: Finding): string;
}
