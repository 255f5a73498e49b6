/**
 * The I/O a tool may do, behind small interfaces, so a sandboxed or remote backend swaps in
 * without touching the tools. Paths given to these are absolute and already confined by
 * `Workspace.resolve`.
 */
import type { Dirent, Stats } from "node:fs";

/** An open file for reading parts of it (a big file is never read whole). */
export interface FileReader {
  /** Fills `buffer` from byte `position` on; answers how many bytes were read (0 at the end). */
  read(buffer: Buffer, position: number): Promise<number>;
  close(): Promise<void>;
}

export interface FileSystem {
  readFile(path: string): Promise<Buffer>;
  openForReading(path: string): Promise<FileReader>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  mkdir(path: string): Promise<void>;
  rm(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  stat(path: string): Promise<Stats>;
  lstat(path: string): Promise<Stats>;
  readdir(path: string): Promise<Dirent[]>;
  realpath(path: string): Promise<string>;
}

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Output kept beyond this many bytes is dropped from the middle (head and tail survive). */
  maxOutputBytes: number;
  env?: NodeJS.ProcessEnv;
  /** Live output, for UIs. */
  onOutput?: (chunk: string) => void;
  /**
   * Hears the command's process group before the command is let go (to record it, so it can be
   * killed when the session ends); when it throws, the command does not run.
   */
  onProcessGroup?: (pgid: number) => void;
  /**
   * Keeps the start gate open on this file descriptor in the command: it reads as end-of-file
   * once colleague has died (a sandbox checks it after setting up, before the command runs).
   */
  lifelineFd?: number;
}

export interface RunResult {
  /** null when killed by a signal */
  exitCode: number | null;
  signal: string | null;
  /** stdout and stderr interleaved as they arrived */
  output: string;
  /** bytes dropped to stay under maxOutputBytes */
  droppedBytes: number;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

export interface ProcessRunner {
  /** Runs a shell command line; kills the whole process group on timeout or abort. Never rejects for a failing command. */
  run(command: string, options: RunOptions): Promise<RunResult>;
  /** Releases what the runner keeps between commands (a sandbox's private /tmp, its proxy). */
  close?(): void;
  /**
   * Starts, in the background, what the next command would wait for (a session's sandbox), without
   * running anything: a session calls it when it starts using tools. Never throws; idempotent.
   */
  warm?(): void;
}
