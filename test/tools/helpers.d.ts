import { type AnyTool, type ToolContext, type ToolResult } from "../../src/tools/define.js";
export interface Sandbox {
    /** The workspace root (real path). */
    root: string;
    /** A folder beside the workspace holding `secret.txt`. */
    outside: string;
    ctx: ToolContext;
    /** Writes a file inside the workspace, creating folders. */
    write(rel: string, content: string | Uint8Array): string;
    /** Runs a tool through runTool (validation, errors, truncation) and flattens the text. */
    call(tool: AnyTool, args: unknown, overrides?: Partial<ToolContext>): Promise<Called>;
}
export interface Called extends ToolResult {
    text: string;
}
export declare function sandbox(): Sandbox;
