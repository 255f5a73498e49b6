import { describe, expect, it } from "vitest";
import { readFileTool } from "../../src/tools/read-file.js";
import { sandbox } from "./helpers.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe("read_file", () => {
  it("numbers lines and reads from a 1-based offset with a limit", async () => {
    const box = sandbox();
    box.write("a.txt", "one\ntwo\nthree\nfour\n");
    const all = await box.call(readFileTool, { path: "a.txt" });
    expect(all.isError).toBe(false);
    expect(all.text).toBe("1\tone\n2\ttwo\n3\tthree\n4\tfour");
    const window = await box.call(readFileTool, { path: "a.txt", offset: 2, limit: 2 });
    expect(window.text).toBe("2\ttwo\n3\tthree\n… showing lines 2-3 of 4; use offset=4 to read more");
  });

  it("notes when more lines remain beyond the default 2000", async () => {
    const box = sandbox();
    box.write("big.txt", Array.from({ length: 5321 }, (_, i) => `l${i + 1}`).join("\n"));
    const result = await box.call(readFileTool, { path: "big.txt" });
    const lines = result.text.split("\n");
    expect(lines).toHaveLength(2001);
    expect(lines[1999]).toBe("2000\tl2000");
    expect(lines[2000]).toBe("… showing lines 1-2000 of 5321; use offset=2001 to read more");
  });

  it("stops before the output limit and still gives the exact next offset", async () => {
    const box = sandbox();
    box.write("wide.txt", Array.from({ length: 1000 }, () => "x".repeat(100)).join("\n"));
    const result = await box.call(readFileTool, { path: "wide.txt" });
    expect(result.text.length).toBeLessThan(30_000);
    expect(result.text).toMatch(/… showing lines 1-(\d+) of 1000; use offset=\d+ to read more$/);
    expect(result.text).not.toContain("characters at the end were cut");
  });

  it("cuts very long lines with a marker", async () => {
    const box = sandbox();
    box.write("long.txt", `${"y".repeat(5000)}\nshort\n`);
    const result = await box.call(readFileTool, { path: "long.txt" });
    expect(result.text).toContain(`1\t${"y".repeat(2000)}… [line cut: 5000 chars]`);
    expect(result.text).toContain("2\tshort");
  });

  it("refuses an offset past the end and says how long the file is", async () => {
    const box = sandbox();
    box.write("a.txt", "one\ntwo\n");
    const result = await box.call(readFileTool, { path: "a.txt", offset: 5 });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("past the end of the file (2 lines)");
  });

  it("does not show binary files", async () => {
    const box = sandbox();
    box.write("blob.bin", Buffer.from([1, 2, 0, 3, 4]));
    const result = await box.call(readFileTool, { path: "blob.bin" });
    expect(result.text).toBe("binary file (5 bytes), not shown");
  });

  it("returns PNG files as an image part, detected by content", async () => {
    const box = sandbox();
    box.write("pic.dat", PNG);
    const result = await box.call(readFileTool, { path: "pic.dat" });
    expect(result.isError).toBe(false);
    expect(result.content[1]).toEqual({ type: "image", mediaType: "image/png", data: PNG.toString("base64") });
  });

  it("points to list for a directory", async () => {
    const box = sandbox();
    box.write("src/a.ts", "");
    const result = await box.call(readFileTool, { path: "src" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("is a directory; use list");
  });

  it("names a missing file and suggests similar names", async () => {
    const box = sandbox();
    box.write("src/config.ts", "");
    box.write("src/other.md", "");
    const result = await box.call(readFileTool, { path: "src/confg.ts" });
    expect(result.isError).toBe(true);
    expect(result.text).toBe("File not found: src/confg.ts. Similar: src/config.ts");
    const plain = await box.call(readFileTool, { path: "nothing/here.ts" });
    expect(plain.text).toBe("File not found: nothing/here.ts.");
  });
});
