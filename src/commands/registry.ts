import type { ExtensionPlaces } from "../config/extension-folders.js";
import { type ExpandedCommand, type PromptCommand, parseInvocation } from "./command.js";
import { loadCustomCommands } from "./custom-commands.js";

/**
 * The slash commands a workspace offers beyond a face's built-in ones: custom commands from
 * files, and whatever else is added (an MCP server's prompts). The first command of a name wins,
 * so files are added first and another source cannot shadow them.
 */
export class CommandRegistry {
  private readonly byName = new Map<string, PromptCommand>();

  constructor(commands: readonly PromptCommand[] = []) {
    this.add(commands);
  }

  add(commands: readonly PromptCommand[]): void {
    for (const command of commands) if (!this.byName.has(command.name)) this.byName.set(command.name, command);
  }

  list(): PromptCommand[] {
    return [...this.byName.values()];
  }

  find(name: string): PromptCommand | undefined {
    return this.byName.get(name);
  }

  /** Expands `/name args` when `name` is a command here; undefined for any other text. */
  async expand(text: string): Promise<(ExpandedCommand & { command: PromptCommand }) | undefined> {
    const invocation = parseInvocation(text);
    const command = invocation && this.find(invocation.name);
    if (!invocation || !command) return undefined;
    return { ...(await command.expand(invocation.args)), command };
  }
}

/** The custom commands of a workspace, from the user's and the project's files. */
export function loadCommandRegistry(places: ExtensionPlaces, env?: NodeJS.ProcessEnv, onNotice?: (line: string) => void): CommandRegistry {
  return new CommandRegistry(loadCustomCommands(places, env, onNotice));
}
