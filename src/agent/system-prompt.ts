import { formatInstructions, type InstructionFile } from "../context/instructions.js";
import base from "./system-prompt.md";

export interface SystemPromptInput {
  workspace: string;
  instructions: InstructionFile[];
  projectRoot: string;
  /** The day the session started (YYYY-MM-DD): fixed for the session so the prefix stays cacheable. */
  date: string;
  /** Replaces the built-in opening (a subagent's own system prompt). */
  base?: string;
  /** Further sections, after the instructions (the skills on offer). */
  sections?: string[];
}

/** The system prompt: built once per session and stored, so every request's prefix is identical. */
export function buildSystemPrompt(input: SystemPromptInput): string {
  const env = `# Environment\nWorkspace: ${input.workspace}\nPlatform: ${process.platform}\nDate: ${input.date}`;
  const opening = (input.base ?? base).trim();
  return [opening, env, formatInstructions(input.instructions, input.projectRoot), ...(input.sections ?? [])].filter(Boolean).join("\n\n");
}
