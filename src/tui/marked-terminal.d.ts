// marked-terminal ships no types, and @types/marked-terminal pins a marked older than ours:
// the one function used here, typed as marked's extension shape.
declare module "marked-terminal" {
  import type { MarkedExtension } from "marked";
  export function markedTerminal(options?: Record<string, unknown>, highlightOptions?: Record<string, unknown>): MarkedExtension;
}
