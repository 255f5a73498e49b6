/** The core tools, in the order models see them (stable, so tool specs stay byte-identical). */
import { applyPatchTool } from "./apply-patch.js";
import type { AnyTool } from "./define.js";
import { editFileTool } from "./edit-file.js";
import { globTool } from "./glob.js";
import { grepTool } from "./grep.js";
import { listTool } from "./list.js";
import { readFileTool } from "./read-file.js";
import { repoMapTool } from "./repo-map.js";
import { shellTool } from "./shell.js";
import { webFetchTool } from "./web-fetch.js";
import { writeFileTool } from "./write-file.js";

export function defaultTools(): AnyTool[] {
  // Newer tools go last: earlier tools keep their place in the cached prefix.
  return [readFileTool, listTool, globTool, grepTool, editFileTool, applyPatchTool, writeFileTool, shellTool, repoMapTool, webFetchTool];
}

export { applyPatchTool, editFileTool, globTool, grepTool, listTool, readFileTool, repoMapTool, shellTool, webFetchTool, writeFileTool };
export * from "./define.js";
export type * from "./io.js";
export { localFileSystem, localProcessRunner } from "./local-io.js";
export { applyHunks, type Hunk, PatchError, type PatchOp, parsePatch } from "./patch.js";
export { Workspace } from "./workspace.js";
