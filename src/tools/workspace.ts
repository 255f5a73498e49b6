import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import path from "node:path";
import { ToolError } from "./define.js";

/**
 * The folder an agent may touch. Every path a model gives goes through `resolve`, which
 * refuses `..` escapes, absolute paths outside the root and symlinks that lead out of it.
 */
export class Workspace {
  readonly root: string;

  constructor(root: string) {
    this.root = realpathSync(path.resolve(root));
  }

  /** Absolute, confined path for a model-supplied path (relative to the root, or absolute inside it). */
  resolve(input: string): string {
    if (typeof input !== "string" || input.trim() === "") throw new ToolError("path is empty");
    if (input.includes("\0")) throw new ToolError("path contains a NUL byte");
    const absolute = path.resolve(this.root, input);
    if (!this.contains(absolute)) {
      throw new ToolError(`path "${input}" is outside the workspace (${this.root})`);
    }
    const real = realpathOfNearestExisting(absolute);
    if (!this.contains(real)) {
      throw new ToolError(`path "${input}" leads outside the workspace through a symlink`);
    }
    return absolute;
  }

  /** Path relative to the root, for display ("." for the root). */
  relative(absolute: string): string {
    return path.relative(this.root, absolute) || ".";
  }

  contains(absolute: string): boolean {
    const rel = path.relative(this.root, absolute);
    // `..foo` is a legal name inside the root; only `..` itself or `../…` leave it.
    return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  }
}

/**
 * realpath of the path, or of its nearest existing ancestor joined with the rest. A dangling
 * symlink is followed by hand: realpath fails on it, yet writing through it would create its
 * target, which may lie outside the root.
 */
export function realpathOfNearestExisting(absolute: string, hops = 0): string {
  let current = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest);
    } catch {
      const target = danglingLinkTarget(current);
      if (target !== undefined && hops < 40) {
        return realpathOfNearestExisting(path.join(path.resolve(path.dirname(current), target), ...rest), hops + 1);
      }
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

function danglingLinkTarget(p: string): string | undefined {
  try {
    return lstatSync(p).isSymbolicLink() ? readlinkSync(p) : undefined;
  } catch {
    return undefined;
  }
}
