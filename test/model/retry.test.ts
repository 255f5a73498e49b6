import { describe, expect, it } from "vitest";
import { parseRetryAfter, retryAfterBeyondMax, retryDelayMs, withRetries } from "../../src/model/retry.js";
import type { ModelError, ModelEvent } from "../../src/model/types.js";

const policy = { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 };
const limited = (retryAfterMs: number): ModelError => ({ kind: "rate_limit", message: "429 slow down", status: 429, retryable: true, retryAfterMs });

describe("retry-after", () => {
  it("reads seconds, milliseconds (preferred) and an HTTP date", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "40" }))).toBe(40_000);
    expect(parseRetryAfter(new Headers({ "retry-after": "1.5" }))).toBe(1_500);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "40" }))).toBe(250);
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const fromDate = parseRetryAfter({ "retry-after": inAMinute })!;
    expect(fromDate).toBeGreaterThan(55_000);
    expect(fromDate).toBeLessThanOrEqual(60_000);
    expect(parseRetryAfter({ "retry-after": new Date(Date.now() - 5_000).toUTCString() })).toBe(0);
    expect(parseRetryAfter({ "retry-after": "soon" })).toBeUndefined();
  });

  it("is waited in full up to the maximum, even past the backoff ceiling", () => {
    expect(retryDelayMs(1, policy, limited(40_000))).toBe(40_000);
    expect(retryAfterBeyondMax(limited(60_000), policy)).toBeUndefined();
    expect(retryAfterBeyondMax(limited(61_000), policy)).toBe(
      "the provider asked to wait 61 s before retrying, longer than maxRetryAfterMs (60 s): not retried (raise providers.<name>.maxRetryAfterMs to wait it out)",
    );
  });

  it("over the maximum ends the stream with the provider's error and the reason, without a retry", async () => {
    let attempts = 0;
    const attempt = async function* (): AsyncGenerator<ModelEvent> {
      attempts++;
      yield { type: "error", error: limited(120_000) };
    };
    const events: ModelEvent[] = [];
    for await (const event of withRetries(attempt, policy)) events.push(event);
    expect(attempts).toBe(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "error", error: { kind: "rate_limit", retryable: false } });
    expect((events[0] as { error: ModelError }).error.message).toMatch(/^429 slow down; the provider asked to wait 120 s/);
  });
});
