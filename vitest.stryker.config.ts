import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * The test set for `npm run mutate` (StrykerJS). Tests that drive the built CLI in a child
 * process (test/cli, the CLI cases in test/policy and test/team) or a terminal (test/tui) are
 * left out: a mutant in src/ reaches them only through dist/, which Stryker's per-test coverage
 * cannot see, so they would only slow every mutant down without killing any.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        "**/node_modules/**",
        "test/cli/**",
        "test/tui/**",
        "test/policy/cli.test.ts",
        "test/policy/sandbox.test.ts",
        "test/team/team-cli.test.ts",
      ],
    },
  }),
);
