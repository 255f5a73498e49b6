import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CompactWeights } from "./classifier.js";

const FILE = "classifier-weights.bin";
const MAGIC = "CLW1";

/**
 * The trained classifier's weights as one binary file, read on first use rather than bundled:
 * most commands never screen anything. The tables are used where they lie in the file's buffer
 * (no text to decode: a JSON file of base64 took ~60 ms to read and decode on every first screen).
 * Layout: "CLW1", the header's length (u32 LE), a JSON header padded to four bytes (classes,
 * bits, bias, scale, trainedOn, count), then `count` bucket keys (u32 LE, ascending), then their
 * int8 rows (classes per key). A build copies it next to the bundle (scripts/build.mjs); from
 * source it sits here.
 */
export function loadWeights(): CompactWeights {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, path.join(here, "..")]) {
    const candidate = path.join(dir, FILE);
    if (existsSync(candidate)) return decodeWeights(readFileSync(candidate));
  }
  throw new Error(`the monitors' classifier weights (${FILE}) are missing next to ${here}: reinstall colleague`);
}

interface Header {
  classes: CompactWeights["classes"];
  bits: number;
  bias: number[];
  scale: number;
  trainedOn: string;
  count: number;
}

export function encodeWeights(weights: CompactWeights): Buffer {
  const { keys, rows, ...rest } = weights;
  const header: Header = { ...rest, count: keys.length };
  let json = JSON.stringify(header);
  json += " ".repeat((4 - (Buffer.byteLength(json) % 4)) % 4);
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32LE(Buffer.byteLength(json), 4);
  const keyBytes = Buffer.alloc(keys.length * 4);
  for (let i = 0; i < keys.length; i++) keyBytes.writeUInt32LE(keys[i]!, i * 4);
  return Buffer.concat([head, Buffer.from(json), keyBytes, Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength)]);
}

export function decodeWeights(file: Buffer): CompactWeights {
  if (file.length < 8 || file.toString("latin1", 0, 4) !== MAGIC) throw new Error("the monitors' classifier weights file is not in the CLW1 format: reinstall colleague");
  const headerEnd = 8 + file.readUInt32LE(4);
  const { count, ...header } = JSON.parse(file.toString("utf8", 8, headerEnd)) as Header;
  const keysAt = file.byteOffset + headerEnd;
  const rowsLength = count * header.classes.length;
  if (file.length !== headerEnd + count * 4 + rowsLength) throw new Error("the monitors' classifier weights file is truncated: reinstall colleague");
  // A view where the buffer allows it (little-endian, four-byte aligned); a copy otherwise.
  const keys =
    os.endianness() === "LE" && keysAt % 4 === 0
      ? new Uint32Array(file.buffer, keysAt, count)
      : Uint32Array.from({ length: count }, (_, i) => file.readUInt32LE(headerEnd + i * 4));
  const rows = new Int8Array(file.buffer, keysAt + count * 4, rowsLength);
  return { ...header, keys, rows };
}
