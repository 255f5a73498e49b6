import type { Model, UserMessage } from "../model/types.js";
import type { EffortSetting } from "./effort.js";

export interface InboxMessage {
  text: string;
  kind: "steer" | "queue";
}

export interface InboxOptions {
  /**
   * After an interrupt, wait for the next message (interactive clients: the TUI, `--stdin`)
   * instead of ending the run with status "interrupted". `close()` ends the wait.
   */
  waitAfterInterrupt?: boolean;
}

/** Signals for one step: the model stream, and the tools it runs. */
export interface StepSignals {
  stream: AbortSignal;
  tools: AbortSignal;
}

/**
 * Live control of one running agent: what a person (or a program) sends while it works.
 * - `steer(text)` joins the running turn before the next model request; tool calls of the
 *   current step that have not started are skipped. `urgent` also cuts the model stream.
 * - `queue(text)` waits until the task ends, then becomes the next user turn.
 * - `interrupt()` cuts the stream and kills running tools now.
 * - `setEffort(e)` changes effort from the next request on.
 * - `setModel(m)` switches model from the next request on (the caller resolves the id).
 * The loop reads it at step boundaries; every action ends up as an event in the log.
 */
export class Inbox {
  private steers: string[] = [];
  private queued: string[] = [];
  private interruptPending = false;
  private closed = false;
  private effortChange: EffortSetting | undefined;
  private modelChange: Model | undefined;
  private streamController = new AbortController();
  private toolController = new AbortController();
  private streamCutReason: "interrupt" | "urgent_steer" | undefined;
  private wakeUp: (() => void) | undefined;
  private waiting = false;

  constructor(readonly options: InboxOptions = {}) {}

  steer(text: string, options: { urgent?: boolean } = {}): void {
    if (!text.trim()) return;
    this.steers.push(text);
    if (options.urgent && !this.streamController.signal.aborted) {
      this.streamCutReason = "urgent_steer";
      this.streamController.abort();
    }
    this.wake();
  }

  queue(text: string): void {
    if (!text.trim()) return;
    // While the agent waits after an interrupt there is no task to wait for: the message
    // starts the next turn at once. Messages queued before the interrupt stay queued.
    if (this.waiting) this.steers.push(text);
    else this.queued.push(text);
    this.wake();
  }

  interrupt(): void {
    this.interruptPending = true;
    this.streamCutReason = "interrupt";
    this.streamController.abort();
    this.toolController.abort();
  }

  setEffort(effort: EffortSetting): void {
    this.effortChange = effort;
  }

  setModel(model: Model): void {
    this.modelChange = model;
  }

  /** No more messages will come: a waiting run ends. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  // ── the loop's side ─────────────────────────────────────────────────────────────────────

  /** Fresh signals for a new step (the previous step's aborts do not carry over). */
  beginStep(): StepSignals {
    // An interrupt that came between steps still cuts this one.
    if (!this.interruptPending) {
      if (this.streamController.signal.aborted) this.streamController = new AbortController();
      if (this.toolController.signal.aborted) this.toolController = new AbortController();
      this.streamCutReason = undefined;
    }
    return { stream: this.streamController.signal, tools: this.toolController.signal };
  }

  /** Why the current step's stream was cut, if it was. */
  get cutReason(): "interrupt" | "urgent_steer" | undefined {
    return this.streamCutReason;
  }

  hasSteer(): boolean {
    return this.steers.length > 0;
  }

  hasQueued(): boolean {
    return this.queued.length > 0;
  }

  drainSteers(): UserMessage[] {
    const texts = this.steers;
    this.steers = [];
    return texts.map(userMessage);
  }

  takeQueued(): UserMessage | undefined {
    const text = this.queued.shift();
    return text === undefined ? undefined : userMessage(text);
  }

  /** True once, after `interrupt()`. */
  takeInterrupt(): boolean {
    const pending = this.interruptPending;
    this.interruptPending = false;
    return pending;
  }

  takeEffortChange(): EffortSetting | undefined {
    const change = this.effortChange;
    this.effortChange = undefined;
    return change;
  }

  takeModelChange(): Model | undefined {
    const change = this.modelChange;
    this.modelChange = undefined;
    return change;
  }

  /**
   * After an interrupt: resolves true when the next message has come (as a steer, delivered at
   * the next step), false when the run should end (the inbox does not wait after interrupts,
   * was closed, or the run was aborted).
   */
  async waitForMessage(signal: AbortSignal): Promise<boolean> {
    if (!this.options.waitAfterInterrupt) return false;
    this.waiting = true;
    try {
      for (;;) {
        if (this.steers.length) {
          this.interruptPending = false; // an interrupt while idle has nothing to stop
          return true;
        }
        if (this.closed || signal.aborted) return false;
        await new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener("abort", done);
            this.wakeUp = undefined;
            resolve();
          };
          this.wakeUp = done;
          signal.addEventListener("abort", done, { once: true });
        });
      }
    } finally {
      this.waiting = false;
    }
  }

  private wake(): void {
    this.wakeUp?.();
  }
}

const userMessage = (text: string): UserMessage => ({ role: "user", content: [{ type: "text", text }] });
