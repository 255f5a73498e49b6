import { describe, it } from "vitest";

/**
 * Tests that need something from the machine (bubblewrap, user namespaces, tmux, Chromium …)
 * skip where it is missing, saying why on stderr. Under COLLEAGUE_TEST_STRICT=1 or CI (which
 * .ci/run sets after installing everything) a missing requirement fails instead, so CI can
 * never go green by skipping a whole area.
 */
export const strictRequirements = (): boolean => process.env.COLLEAGUE_TEST_STRICT === "1" || !!process.env.CI;

/**
 * `describe` when `missing` is undefined; otherwise a skipped block with a printed reason, or,
 * in strict mode, one failing test that names what is missing.
 */
export function describeIfAvailable(name: string, missing: string | undefined, body: () => void): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  if (strictRequirements()) {
    describe(name, () => {
      it(`has what it needs (${missing})`, () => {
        throw new Error(`${name}: ${missing} (COLLEAGUE_TEST_STRICT / CI: a missing requirement fails instead of skipping)`);
      });
    });
    return;
  }
  process.stderr.write(`[skip] ${name}: ${missing}\n`);
  describe.skip(name, body);
}
