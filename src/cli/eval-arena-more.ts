import type { EvalStore } from "../eval/eval-store.js";

type Command = (values: Record<string, unknown>, rest: string[], store: EvalStore, env: NodeJS.ProcessEnv, out: (line: string) => void) => Promise<number>;

/** report, compare and export: loaded only when asked for. */
export const moreCommands: Record<string, Command> = {};
