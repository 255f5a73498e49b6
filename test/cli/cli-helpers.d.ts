import { type ChildProcess } from "node:child_process";
import type { AgentEvent } from "../../src/agent/events.js";
export declare const BIN: string;
export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}
/** An environment with no provider keys or endpoints, a private COLLEAGUE_HOME and instant retries. */
export declare function cleanEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export declare function startCli(args: string[], options: {
    env: NodeJS.ProcessEnv;
    cwd?: string;
}): ChildProcess;
export declare function runCli(args: string[], options: {
    env: NodeJS.ProcessEnv;
    cwd?: string;
}): Promise<CliResult>;
export declare function jsonEvents(stdout: string): AgentEvent[];
