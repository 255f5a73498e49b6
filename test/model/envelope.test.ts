import { describe, expect, it } from "vitest";
import { envelope, envelopeBody } from "../../src/model/envelope.js";

describe("a teammate's message envelope", () => {
  it("is taken off for the monitors, leaving the sender's words", () => {
    const text = "Task T2 is ready for you.\nSecond line.";
    expect(envelopeBody(envelope({ id: "M2", from: "board", text }))).toBe(text);
    expect(envelopeBody(envelope({ id: "M9", from: "lead", broadcast: true, text }))).toBe(text);
  });

  it("anything that is not one whole envelope is read as it is", () => {
    for (const text of [
      "plain steering",
      '<message id="M1" from="x">\nhi\n</message>\nand text after it',
      'before\n<message id="M1" from="x">\nhi\n</message>',
    ]) {
      expect(envelopeBody(text)).toBe(text);
    }
  });
});
