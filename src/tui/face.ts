import type { ApprovalReply } from "../policy/approver.js";
import type { RewindMode } from "./rewind-commands.js";
import type { SlashSpec } from "./slash-commands.js";
import type { Item, ViewState } from "./view-model.js";

/**
 * What the screen needs from whatever drives it: the in-process controller (sessions through
 * the host) or the remote one (`colleague attach`, a session in `colleague serve`).
 */
export interface TuiFace {
  showThinking: boolean;
  readonly files: { list(): string[] | undefined };
  subscribe(listener: () => void): () => void;
  getView(): ViewState;
  submit(text: string, queue: boolean): void;
  /** Esc: false when there was nothing to stop. */
  interrupt(): boolean;
  exit(): Promise<void>;
  answerApproval(reply: ApprovalReply): void;
  pastedFile(text: string): string | undefined;
  /** The workspace's custom slash commands (menu entries); a face without them leaves this out. */
  customCommands?(): readonly SlashSpec[];
  showOutput(item: Extract<Item, { kind: "tool" }>): void;
  /** The choice made in the /rewind picker (only a face that opens the picker has it). */
  chooseRewind?(step: number | undefined, mode?: RewindMode): Promise<void>;
}
