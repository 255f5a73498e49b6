import { MessageChannel, Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { receiveAnswer } from "../../src/store/postgres/sync-client.js";

// The PostgreSQL store blocks its caller until the connection thread's answer is on the port. A
// thread stands in for the connection: it posts what a script says, flips the flag, and can post
// late or post a stale answer first.

const THREAD = `
const { workerData } = require("node:worker_threads");
const flag = new Int32Array(workerData.flag);
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const flip = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
for (const step of workerData.script) {
  if (step.sleep) pause(step.sleep);
  if (step.post) workerData.port.postMessage(step.post);
  if (step.flip) flip();
}
`;

const threads: Worker[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((t) => t.terminate()));
});

function answered(script: object[], id: number, timeoutMs = 5_000) {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  threads.push(new Worker(THREAD, { eval: true, workerData: { flag: flag.buffer, port: port2, script }, transferList: [port2] }));
  const reply = receiveAnswer(port1, flag, id, timeoutMs);
  port1.close();
  return reply;
}

describe("waiting for the PostgreSQL connection thread's answer", () => {
  it("drops an answer left over from an earlier call and waits for its own", () => {
    const reply = answered([{ sleep: 20, post: { id: 6, rows: [{ owner: "stale" }] }, flip: true }, { sleep: 50, post: { id: 7, rows: [{ owner: "w1" }] }, flip: true }], 7);
    expect(reply).toEqual({ id: 7, rows: [{ owner: "w1" }] });
  });

  it("waits for an answer that reaches the port after the flag flips", () => {
    const reply = answered([{ sleep: 20, flip: true }, { sleep: 50, post: { id: 3, rowCount: 1 } }], 3);
    expect(reply).toEqual({ id: 3, rowCount: 1 });
  });

  it("gives up when no answer comes", () => {
    const started = Date.now();
    expect(answered([{ sleep: 10, post: { id: 1, rows: [] }, flip: true }], 2, 300)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
