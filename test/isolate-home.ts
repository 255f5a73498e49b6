import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Every test worker gets its own colleague home, so a test that builds a host or a guard without
 * naming one never writes the developer's ~/.colleague (sessions, audit log, trust, checkpoints).
 */
if (!process.env.COLLEAGUE_HOME) process.env.COLLEAGUE_HOME = mkdtempSync(path.join(os.tmpdir(), "colleague-test-home-"));
