import { readlinePromises } from "../builtins.js";
import type { TrustQuestion } from "../host/host.js";

/**
 * Asks on the terminal whether to trust a project whose config would steer keys or run code.
 * Only "y" / "yes" trusts; anything else (Enter included) leaves the settings out.
 */
export function terminalTrustPrompt(input: NodeJS.ReadableStream, output: NodeJS.WritableStream) {
  return async (question: TrustQuestion): Promise<boolean> => {
    const rl = readlinePromises().createInterface({ input, output, terminal: false });
    try {
      const settings = question.settings.map((s) => `  ${s.file}: ${s.keys.join(", ")}`).join("\n");
      const line = await rl.question(
        `\n[trust] This project's config sets what can send your API keys elsewhere or run code:\n${settings}\n` +
          `  Trust ${question.root}? Until you do, these settings are ignored (change it later with \`colleague trust\`). [y/N] `,
      );
      return /^(y|yes)$/i.test(line.trim());
    } catch {
      return false;
    } finally {
      rl.close();
    }
  };
}
