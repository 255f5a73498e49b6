import { execFile } from "node:child_process";
import { ripgrepPath } from "../tools/ripgrep.js";

/** More files than anyone completes among; the list stays small in memory. */
const MAX_FILES = 50_000;

/**
 * The workspace's files for `@` completion: the same list the agent's glob tool sees (ripgrep:
 * hidden files included, .gitignore respected, .git never). Read once, on first use, in the
 * background, so the first frame never waits for it.
 */
export class FileIndex {
  private files: string[] | undefined;
  private loading: Promise<string[]> | undefined;

  constructor(
    private readonly cwd: string,
    private readonly onLoaded: () => void = () => {},
  ) {}

  /** The list if it is read; otherwise starts reading it and returns undefined. */
  list(): string[] | undefined {
    if (!this.files) void this.load();
    return this.files;
  }

  load(): Promise<string[]> {
    this.loading ??= ripgrepPath().then(
      (rg) =>
        new Promise<string[]>((resolve) => {
          execFile(rg, ["--files", "--hidden", "--glob", "!.git", "--no-require-git", "--sort", "path"], { cwd: this.cwd, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout) => {
            // rg exits 1 when there are no files: an empty list, not a failure.
            this.files = String(stdout ?? "")
              .split("\n")
              .filter(Boolean)
              .slice(0, MAX_FILES);
            this.onLoaded();
            resolve(this.files);
          });
        }),
    );
    return this.loading;
  }
}
