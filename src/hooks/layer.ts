import type { AgentHooks, HookContext, ToolGate } from "../agent/loop.js";
import { findProjectRoot } from "../context/instructions.js";
import type { Message, ToolCallPart, UserMessage } from "../model/types.js";
import type { Approver } from "../policy/approver.js";
import type { HookPermission } from "../policy/hooks.js";
import type { AnyTool, ToolResult } from "../tools/define.js";
import type { ProcessRunner } from "../tools/io.js";
import type { HookEntry } from "./schema.js";
import { claudeToolInput, claudeToolName, colleagueToolArgs } from "./tool-names.js";
import { UserHooks } from "./user-hooks.js";

/**
 * The user's hooks as loop hooks, around colleague's policy hooks:
 * - SessionStart and UserPromptSubmit when a run starts (after the monitors screened the task):
 *   a block refuses the run; their context joins the conversation as a `hook` message;
 * - PreToolUse before the policy: a deny always wins; an allow only spares a prompt that the
 *   permission mode asked for (the policy still applies deny and ask rules, monitors and the
 *   sandbox); an ask makes the policy ask; updatedInput becomes the call's arguments, and the
 *   policy decides on those;
 * - PostToolUse after the policy's result screening: feedback and context are added to the result;
 * - Stop (SubagentStop for a subagent) after the honesty check: a block sends the reason back
 *   to the model for another turn;
 * - PreCompact before the context engine compacts; Notification when the person is asked for
 *   approval; SessionEnd when the session ends.
 */
export interface UserHookLayer {
  /** For the policy: what PreToolUse said about a call (allow / ask). */
  hookPermission(callId: string): HookPermission | undefined;
  /** The approver, with Notification hooks told before the person is asked. */
  notifying(approver: Approver): Approver;
  wrap<T extends AgentHooks>(inner: T): T & SessionEndHook;
}

export interface SessionEndHook {
  /** Runs the SessionEnd hooks; never throws. */
  sessionEnd?(reason: string): Promise<void>;
}

export interface LayerOptions {
  /** Stop for the main agent, SubagentStop for an agent working for another. */
  stopEvent: "Stop" | "SubagentStop";
}

export interface AgentHookOptions extends LayerOptions {
  /** The agent's workspace: where hooks run. */
  workspace: string;
  /** Opens the runner hooks go through (the sandbox), the first time a hook runs. */
  runner: () => ProcessRunner;
  permissionMode: string;
}

/** The layer for one agent, or undefined when the user configured no hooks. */
export function userHookLayer(entries: readonly HookEntry[], options: AgentHookOptions): UserHookLayer | undefined {
  if (!entries.length) return undefined;
  let opened: ProcessRunner | undefined;
  const runner: ProcessRunner = {
    run: (command, run) => {
      opened ??= options.runner();
      return opened.run(command, run);
    },
    close: () => opened?.close?.(),
  };
  const user = new UserHooks({
    entries,
    runner,
    workspace: options.workspace,
    projectDir: findProjectRoot(options.workspace),
    permissionMode: options.permissionMode,
  });
  return createUserHookLayer(user, options, runner);
}

export function createUserHookLayer(user: UserHooks, options: LayerOptions, runner?: ProcessRunner): UserHookLayer {
  const verdicts = new Map<string, HookPermission>();
  /** Calls that passed every gate: PostToolUse runs for those only (not for a blocked call). */
  const ran = new Set<string>();
  const context: UserMessage[] = [];
  let stopHookActive = false;
  let started = false;
  /** Notifications run beside the approval prompt; the session's end waits for them. */
  const notifications = new Set<Promise<unknown>>();

  const addContext = (event: string, text: string | undefined) => {
    if (text) context.push({ role: "user", content: [{ type: "text", text: `<hook-context event="${event}">\n${text}\n</hook-context>` }] });
  };

  return {
    hookPermission: (callId) => verdicts.get(callId),

    notifying: (approver) => ({
      async ask(request) {
        if (user.has("Notification")) {
          // Told, not asked: the person's answer never waits for a notification script.
          const told = user.run({
            event: "Notification",
            matchOn: ["permission_prompt"],
            fields: { message: `colleague needs your permission to use ${claudeToolName(request.tool)}`, notification_type: "permission_prompt" },
            callId: request.callId,
          });
          notifications.add(told);
          void told.finally(() => notifications.delete(told));
        }
        return approver.ask(request);
      },
    }),

    wrap<T extends AgentHooks>(inner: T): T & SessionEndHook {
      return {
        ...inner,
        async onRunStart(ctx: HookContext, messages: readonly Message[]): Promise<ToolGate> {
          user.attach(ctx.sessionId, ctx.emit);
          const innerGate = await inner.onRunStart?.(ctx, messages);
          if (innerGate?.block) return innerGate;
          if (!started) {
            started = true;
            const source = messages.some((m) => m.role === "assistant") ? "resume" : "startup";
            const opened = await user.run({ event: "SessionStart", matchOn: [source], fields: { source } });
            if (opened.stop) return { block: true, reason: `a SessionStart hook stopped the session: ${opened.stop}` };
            addContext("SessionStart", opened.context);
          }
          const last = messages.at(-1);
          if (last?.role !== "user") return undefined;
          const prompt = last.content.map((p) => (p.type === "text" ? p.text : "")).join("");
          const submitted = await user.run({ event: "UserPromptSubmit", matchOn: [], fields: { prompt } });
          const refused = submitted.stop ?? submitted.block;
          if (refused) return { block: true, reason: `a UserPromptSubmit hook refused the prompt: ${refused}` };
          addContext("UserPromptSubmit", submitted.context);
          return undefined;
        },

        drainHookContext() {
          const ours = context.splice(0);
          return [...(inner.drainHookContext?.() ?? []), ...ours];
        },

        async beforeToolCall(call: ToolCallPart, tool: AnyTool): Promise<ToolGate> {
          const workspace = user.workspace;
          const pre = await user.run({
            event: "PreToolUse",
            matchOn: [call.name, claudeToolName(call.name)],
            fields: { tool_name: claudeToolName(call.name), tool_input: claudeToolInput(call.name, call.args, workspace), tool_use_id: call.id },
            callId: call.id,
          });
          const refused = pre.block ?? pre.stop;
          if (refused) return { block: true, reason: `a PreToolUse hook denied it: ${refused}` };
          if (pre.permission) verdicts.set(call.id, { decision: pre.permission, reason: pre.permissionReason ?? "" });
          const args = pre.updatedInput ? colleagueToolArgs(call.name, call.args, pre.updatedInput) : undefined;
          const checked = args ? { ...call, args } : call;
          let gate: ToolGate;
          try {
            gate = await inner.beforeToolCall?.(checked, tool);
          } finally {
            verdicts.delete(call.id);
          }
          if (gate?.block) return gate;
          ran.add(call.id);
          if (gate?.args) return gate;
          return args ? { args } : undefined;
        },

        async afterToolCall(call: ToolCallPart, result: ToolResult): Promise<ToolResult | undefined> {
          const screened = (await inner.afterToolCall?.(call, result)) ?? result;
          if (!ran.delete(call.id)) return screened;
          const text = screened.content.map((p) => (p.type === "text" ? p.text : "")).join("");
          const post = await user.run({
            event: "PostToolUse",
            matchOn: [call.name, claudeToolName(call.name)],
            fields: {
              tool_name: claudeToolName(call.name),
              tool_input: claudeToolInput(call.name, call.args, user.workspace),
              tool_response: toolResponse(call.name, text, screened),
              tool_use_id: call.id,
            },
            callId: call.id,
          });
          let content = screened.content;
          if (post.updatedToolOutput !== undefined && call.name.startsWith("mcp__")) {
            const output = post.updatedToolOutput;
            content = [{ type: "text", text: typeof output === "string" ? output : JSON.stringify(output) }];
          }
          const notes = [post.block && `PostToolUse hook feedback:\n${post.block}`, post.stop && `A PostToolUse hook asks to stop: ${post.stop}`, post.context && `<hook-context event="PostToolUse">\n${post.context}\n</hook-context>`].filter(
            (n): n is string => !!n,
          );
          if (content === screened.content && !notes.length) return screened;
          return { ...screened, content: [...content, ...notes.map((text) => ({ type: "text" as const, text }))] };
        },

        async beforeFinalAnswer(answer: string, messages: readonly Message[]) {
          const innerGate = await inner.beforeFinalAnswer?.(answer, messages);
          if (innerGate && "retry" in innerGate) return innerGate;
          const stop = await user.run({ event: options.stopEvent, matchOn: [], fields: { stop_hook_active: stopHookActive } });
          if (stop.block && !stop.stop) {
            stopHookActive = true;
            return { retry: `${options.stopEvent} hook feedback:\n${stop.block}` };
          }
          stopHookActive = false;
          return innerGate;
        },

        async beforeCompact(trigger: "auto" | "manual") {
          await inner.beforeCompact?.(trigger);
          await user.run({ event: "PreCompact", matchOn: [trigger], fields: { trigger, custom_instructions: "" } });
        },

        async sessionEnd(reason: string) {
          try {
            await Promise.all(notifications);
            await user.run({ event: "SessionEnd", matchOn: [reason], fields: { reason } });
          } catch {
            // the session is over; a failing hook changes nothing
          }
          try {
            runner?.close?.();
          } catch {
            // a temp folder that cannot be removed is swept by a later run
          }
        },
      };
    },
  };
}

/** Claude Code's tool_response for the tools hook scripts look at most; a generic shape otherwise. */
function toolResponse(name: string, text: string, result: ToolResult): Record<string, unknown> {
  const exitCode = result.details?.exitCode;
  if (name === "shell") return { stdout: text, stderr: "", interrupted: false, isImage: false, ...(exitCode !== undefined ? { exit_code: exitCode } : {}) };
  return { output: text, success: !result.isError, ...(result.details ? { details: result.details } : {}) };
}
