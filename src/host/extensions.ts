import { type EffortSetting, isEffortSetting } from "../agent/effort.js";
import type { Checkpointer } from "../checkpoints/hook.js";
import type { ExtensionPlaces } from "../config/extension-folders.js";
import { modelIdFor } from "../config/model-aliases.js";
import type { ContextSettings } from "../context/engine.js";
import { emptyUsage, type Model } from "../model/types.js";
import { unsandboxedRunner } from "../policy/sandbox/index.js";
import { newSessionId, startSession } from "../session/session.js";
import { createSkillTool } from "../skills/skill-tool.js";
import { formatSkills, loadSkills, type Skill } from "../skills/skills.js";
import type { SessionStore } from "../store/store.js";
import { loadSubagents, type SubagentDefinition } from "../subagents/definitions.js";
import { createTaskTool, type RunSubtask, type SubtaskResult } from "../subagents/task-tool.js";
import type { AnyTool } from "../tools/define.js";
import { pickTools } from "../tools/tool-lists.js";
import type { Guard } from "./guard.js";
import { endSessionProcesses, sessionRunner } from "./sandbox.js";

/**
 * What a solo session gets from the files users already keep for Claude Code: skills (listed
 * in the system prompt, read with the `skill` tool) and subagents (run by the `task` tool).
 * Loaded once per session start or resume; notices go to the face.
 */
export interface SessionExtensions {
  /** The session's tools: the given ones, then `skill` (when there are skills), then `task`. */
  tools: AnyTool[];
  /** System-prompt sections (the skills on offer). */
  promptSections: string[];
}

export interface ExtensionRequest {
  places: ExtensionPlaces;
  env: NodeJS.ProcessEnv;
  onNotice?: (line: string) => void;
  /** The session's own tools before extensions (default tools, or the caller's). */
  baseTools: AnyTool[];
  /** Everything a subagent's session needs to run as guarded as its parent. */
  child: ChildSessionContext;
}

export interface ChildSessionContext {
  store: SessionStore;
  parentSessionId: string;
  parentModel: Model;
  /** Builds a model from an id (the host's: config, keys, notices). */
  model: (id: string) => Promise<Model>;
  /** The parent's guard; undefined only when the host runs without policy (dangerouslySkipPolicy). */
  guard: Guard | undefined;
  effort?: EffortSetting;
  maxSteps: number;
  context?: Partial<ContextSettings>;
  checkpoints?: Checkpointer;
}

export function sessionExtensions(request: ExtensionRequest): SessionExtensions {
  const { places, env, onNotice } = request;
  const skills = loadSkills(places, env, onNotice);
  const subagents = loadSubagents(places, env, onNotice);
  const withSkills = skills.length ? [...request.baseTools, createSkillTool(skills)] : request.baseTools;
  const run = subtaskRunner(request.child, places, withSkills, skills, onNotice);
  return {
    tools: [...withSkills, createTaskTool(subagents, run)],
    promptSections: skills.length ? [formatSkills(skills)] : [],
  };
}

/**
 * Runs a subagent as a session of its own, through the parent's guard: fresh policy hooks from
 * the same guard (permissions, grants, approver, monitors, audit), the same sandbox, the same
 * checkpoints. The child has no `task` tool (no subagents of subagents); it stops when the
 * parent's call is interrupted, and its spend is charged to the parent by the task tool.
 */
function subtaskRunner(child: ChildSessionContext, places: ExtensionPlaces, available: AnyTool[], skills: Skill[], onNotice?: (line: string) => void): RunSubtask {
  return async (request) => {
    const { definition } = request;
    const failed = (error: string): SubtaskResult => ({ sessionId: "", status: "error", error, steps: 0, usage: emptyUsage(), costUsd: 0 });
    const modelId = modelIdFor(definition.model);
    let model = child.parentModel;
    if (modelId) {
      try {
        model = await child.model(modelId);
      } catch (error) {
        return failed(`its model ${modelId} cannot be used: ${(error as Error).message}`);
      }
    }
    const tools = toolsFor(definition, available, onNotice);
    const sessionId = newSessionId();
    const guard = child.guard;
    const agentId = `task:${definition.name}`;
    const runner = sessionRunner(guard ? guard.runnerFor(places.cwd) : unsandboxedRunner(), places.home, sessionId);
    const effort = isEffortSetting(definition.effort) ? definition.effort : child.effort;
    const hasSkills = skills.length > 0 && tools.some((t) => t.name === "skill");
    try {
      const result = await startSession(request.prompt, {
        store: child.store,
        model,
        cwd: places.cwd,
        tools,
        sessionId,
        name: `${definition.name}: ${request.description}`.slice(0, 80),
        userDir: places.home,
        maxSteps: child.maxSteps,
        ...(effort ? { effort } : {}),
        ...(child.context ? { context: child.context } : {}),
        ...(child.checkpoints ? { checkpoints: child.checkpoints } : {}),
        basePrompt: definition.prompt,
        ...(hasSkills ? { promptSections: [formatSkills(skills)] } : {}),
        parent: { sessionId: child.parentSessionId, callId: request.callId, subagent: definition.name },
        ...(guard
          ? { hooks: guard.hooks({ id: agentId }), permissionMode: guard.mode, sandbox: guard.sandbox }
          : { permissionMode: "unguarded", sandbox: "off" }),
        runner,
        signal: request.signal,
        onEvent: (event) => {
          if (event.type === "tool_started") request.onUpdate?.(`[${definition.name}] ${event.name}\n`);
        },
      });
      return result;
    } finally {
      // Only this child's processes: the runner is the parent's too, so it stays open.
      endSessionProcesses(places.home, sessionId);
    }
  };
}

/** A subagent's tools: those its `tools` names (all of the parent's when it names none), never `task`. */
function toolsFor(definition: SubagentDefinition, available: AnyTool[], onNotice?: (line: string) => void): AnyTool[] {
  if (!definition.tools) return available;
  const { tools, unknown } = pickTools(available, definition.tools);
  if (unknown.length) onNotice?.(`the subagent ${definition.name} names tools that are not here: ${unknown.join(", ")}`);
  return tools;
}
