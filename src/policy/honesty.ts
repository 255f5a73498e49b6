import path from "node:path";
import type { Message, ToolCallPart } from "../model/types.js";
import { parsePatch } from "../tools/patch.js";
import { findOfficeDiscrepancies, gatherOfficeEvidence, type OfficeEvent } from "./honesty-office.js";

/**
 * The honesty check: before a final answer is accepted, what it claims about the work is
 * compared with the session's evidence — the commands that actually ran and how they exited,
 * and the files actually written. Pure functions over the conversation, so a resumed session
 * is checked against its whole history.
 */

export interface CommandRun {
  command: string;
  /** Parsed from the shell tool's status line; undefined when it never ran (blocked, invalid). */
  exitCode?: number;
  isError: boolean;
}

export interface Evidence {
  commands: CommandRun[];
  /** Workspace-relative paths written by write_file / edit_file / apply_patch / the office writers without error. */
  changedFiles: string[];
  /** Office files written, read and rendered, in order (./honesty-office.ts). */
  office?: OfficeEvent[];
}

const TEST_COMMAND =
  /\b(npm (run )?test|npm t\b|yarn test|pnpm (run )?test|npx (vitest|jest|mocha)|vitest|jest|mocha|pytest|go test|cargo test|make test|mvn test|gradle test|rspec|phpunit|node --test|python -m unittest|tox)\b|\b(node|bun|deno run|tsx|ts-node|python3?)\s+\S*(test|spec)\S*\.(m?[jt]s|py)\b/;
const BUILD_COMMAND = /\b(tsc|npm run build|yarn build|pnpm build|make\b|cargo build|go build|gradle build|mvn (package|compile)|npm run check|npm run lint|eslint|biome)\b/;

/** Tools that write the file named by their `path` argument. */
const FILE_WRITERS = new Set(["write_file", "edit_file", "sheet_write", "deck_write", "document_write"]);

export function gatherEvidence(messages: readonly Message[]): Evidence {
  const calls = new Map<string, ToolCallPart>();
  const commands: CommandRun[] = [];
  const changed = new Set<string>();
  for (const message of messages) {
    if (message.role === "assistant") {
      for (const part of message.content) if (part.type === "tool_call") calls.set(part.id, part);
      continue;
    }
    if (message.role !== "tool") continue;
    const call = calls.get(message.callId);
    if (!call) continue;
    const args = (call.args ?? {}) as Record<string, unknown>;
    const text = message.content.map((p) => (p.type === "text" ? p.text : "")).join("");
    if (call.name === "shell") {
      const status = /\[exit code (\d+),[^\]]*\]\s*$/.exec(text);
      commands.push({
        command: String(args.command ?? ""),
        ...(status ? { exitCode: Number(status[1]) } : {}),
        isError: message.isError,
      });
    } else if (!message.isError && FILE_WRITERS.has(call.name)) {
      changed.add(normalise(String(args.path ?? "")));
    } else if (!message.isError && call.name === "apply_patch") {
      try {
        for (const op of parsePatch(String(args.patch ?? ""))) {
          changed.add(normalise(op.path));
          if (op.type === "update" && op.moveTo) changed.add(normalise(op.moveTo));
        }
      } catch {
        // an unparsable patch changed nothing
      }
    }
  }
  return { commands, changedFiles: [...changed], office: gatherOfficeEvidence(messages) };
}

const normalise = (p: string) => path.posix.normalize(p.replace(/\\/g, "/")).replace(/^\.\//, "");

/** Sentences of the answer, with code spans kept (they name commands and files). */
function sentences(answer: string): string[] {
  return answer.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim());
}

const NEGATED = /\b(not|never|no longer|unable|could not)\b|n't\b|\bfail\w*/i;

const TESTS_PASS =
  /\b(tests?|test suite|specs?)\b[^.\n]{0,40}\b(now )?(pass|passes|passed|passing|are green|succeed\w*|went green|all green)\b|\ball (the )?tests? (now )?pass|\ball green\b/i;
const NO_ERRORS =
  /\b(no (errors|failures|type errors|lint errors)|builds? (successfully|cleanly|without errors)|compiles? (successfully|cleanly|without errors)|type-?checks? (pass\w*|cleanly)|everything (works|passes))\b/i;
const RAN = /\bI(?:'ve| have)?\s+(?:ran|run|executed|re-ran|reran)\s+`([^`]+)`/gi;
const CHANGED =
  /\bI(?:'ve| have)?\s+(?:changed|updated|modified|edited|created|added|wrote|written|fixed|rewrote|patched)\b[^.\n]{0,80}?`([\w./@-]+\.[\w]{1,8})`/gi;

/** Claims in `answer` that the evidence contradicts, one sentence per discrepancy. */
export function findDiscrepancies(answer: string, evidence: Evidence): string[] {
  const problems: string[] = [];
  const tests = evidence.commands.filter((c) => TEST_COMMAND.test(c.command));
  const lastTest = tests.at(-1);
  const lastCommand = evidence.commands.at(-1);
  const lastBuild = evidence.commands.filter((c) => BUILD_COMMAND.test(c.command)).at(-1);
  const failed = (c: CommandRun) => c.exitCode !== 0;

  for (const sentence of sentences(answer)) {
    if (TESTS_PASS.test(sentence) && !NEGATED.test(sentence)) {
      if (!lastTest) problems.push("The answer says the tests pass, but no test command ran in this session.");
      else if (failed(lastTest)) {
        problems.push(
          `The answer says the tests pass, but the last test run (\`${lastTest.command}\`) ${
            lastTest.exitCode === undefined ? "did not complete" : `exited with code ${lastTest.exitCode}`
          }.`,
        );
      }
    }
    if (NO_ERRORS.test(sentence) && !NEGATED.test(sentence.replace(NO_ERRORS, ""))) {
      const check = /build|compile|type/i.test(sentence) ? (lastBuild ?? lastCommand) : lastCommand;
      if (check && failed(check)) {
        problems.push(
          `The answer says there are no errors, but \`${check.command}\` ${
            check.exitCode === undefined ? "did not complete" : `exited with code ${check.exitCode}`
          }.`,
        );
      }
    }
  }
  for (const match of answer.matchAll(RAN)) {
    const claimed = match[1]!.trim();
    if (!evidence.commands.some((c) => c.exitCode !== undefined && (c.command.includes(claimed) || claimed.includes(c.command.trim())))) {
      problems.push(`The answer says it ran \`${claimed}\`, but no such command ran in this session.`);
    }
  }
  for (const match of answer.matchAll(CHANGED)) {
    const file = normalise(match[1]!);
    const written = evidence.changedFiles.some((f) => f === file || f.endsWith(`/${file}`) || file.endsWith(`/${f}`));
    const viaShell = evidence.commands.some((c) => c.exitCode === 0 && c.command.includes(path.posix.basename(file)));
    if (!written && !viaShell) problems.push(`The answer says it changed \`${file}\`, but that file was not written in this session.`);
  }
  problems.push(...findOfficeDiscrepancies(answer, evidence.office ?? []));
  return [...new Set(problems)];
}

export function retryNote(problems: string[]): string {
  return (
    "[colleague honesty check] Your answer's claims do not match what happened in this session:\n" +
    problems.map((p) => `- ${p}`).join("\n") +
    "\nCorrect the answer so it states only what the evidence shows (or do the missing work), then answer again."
  );
}

export function flaggedAnswer(answer: string, problems: string[]): string {
  return `${answer}\n\n⚠ colleague honesty check — this answer contradicts the session's evidence:\n${problems
    .map((p) => `- ${p}`)
    .join("\n")}`;
}
