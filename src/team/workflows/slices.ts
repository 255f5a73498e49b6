import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import path from "node:path";

export interface SourceFile {
  /** Relative to the reviewed root, with forward slashes. */
  path: string;
  bytes: number;
}

export interface Slice {
  files: SourceFile[];
  bytes: number;
  /** The directories it covers, for task titles. */
  label: string;
}

const SKIP_DIRS = new Set([".git", "node_modules", "dist", "build", "coverage", ".colleague", "vendor", "target", "__pycache__"]);
const MAX_FILE_BYTES = 256 * 1024;

/** Text files under `root` worth reviewing (no dependencies, build output, binaries or huge files), sorted. */
export function collectFiles(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith(".")) walk(full);
      } else if (entry.isFile()) {
        const bytes = statSync(full).size;
        if (bytes === 0 || bytes > MAX_FILE_BYTES || isBinary(full)) continue;
        out.push({ path: path.relative(root, full).split(path.sep).join("/"), bytes });
      }
    }
  };
  walk(root);
  return out;
}

function isBinary(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(4096);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

const dirOf = (file: string) => (file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".");

/**
 * Splits the files into at most `count` slices of similar size, keeping a directory's files
 * together where it fits: directories go, largest first, to the lightest slice; a directory
 * bigger than a fair share is split into chunks first. Deterministic for the same files.
 */
export function sliceFiles(files: SourceFile[], count: number): Slice[] {
  if (!files.length) return [];
  const total = files.reduce((n, f) => n + f.bytes, 0);
  const share = Math.max(1, Math.ceil(total / count));
  const groups: SourceFile[][] = [];
  const byDir = new Map<string, SourceFile[]>();
  for (const f of files) byDir.set(dirOf(f.path), [...(byDir.get(dirOf(f.path)) ?? []), f]);
  for (const dirFiles of byDir.values()) {
    let chunk: SourceFile[] = [];
    let size = 0;
    for (const f of dirFiles) {
      if (chunk.length && size + f.bytes > share) {
        groups.push(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(f);
      size += f.bytes;
    }
    if (chunk.length) groups.push(chunk);
  }
  const weight = (g: SourceFile[]) => g.reduce((n, f) => n + f.bytes, 0);
  groups.sort((a, b) => weight(b) - weight(a) || a[0]!.path.localeCompare(b[0]!.path));
  const slices: SourceFile[][] = Array.from({ length: Math.min(count, groups.length) }, () => []);
  for (const group of groups) {
    const lightest = slices.reduce((best, s, i) => (weight(s) < weight(slices[best]!) ? i : best), 0);
    slices[lightest]!.push(...group);
  }
  return slices
    .map((s) => s.sort((a, b) => a.path.localeCompare(b.path)))
    .map((s) => ({ files: s, bytes: weight(s), label: [...new Set(s.map((f) => dirOf(f.path)))].join(", ") }))
    .sort((a, b) => a.files[0]!.path.localeCompare(b.files[0]!.path));
}
