import { Marked } from "marked";
import { markedTerminal } from "marked-terminal";

/**
 * Markdown for the terminal (marked + marked-terminal; code blocks highlighted by
 * cli-highlight): what the model writes reads as headings, bold, lists and code rather than
 * as `**raw**` marks. One renderer per width, since text is reflowed to the window.
 */
const renderers = new Map<number, Marked>();

export function renderMarkdown(text: string, width: number): string {
  let marked = renderers.get(width);
  if (!marked) {
    marked = new Marked(markedTerminal({ width, reflowText: true, tab: 2, emoji: false, showSectionPrefix: false }));
    renderers.set(width, marked);
  }
  try {
    // marked-terminal ends with blank lines; the transcript spaces items itself.
    return (marked.parse(text, { async: false }) as string).replace(/\n+$/, "");
  } catch {
    return text;
  }
}
