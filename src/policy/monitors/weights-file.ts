import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BucketIndex } from "./bucket-index.js";
import type { CompactWeights } from "./classifier.js";

const FILE = "classifier-weights.bin";
const MAGIC = "CLW4";

/**
 * The trained classifier's weights as one binary file, read on first use rather than bundled:
 * most commands never screen anything. The tables are used where they lie in the file's buffer
 * (no text to decode: a JSON file of base64 took ~60 ms to read and decode on every first screen).
 * Layout: "CLW4", the header's length (u32 LE), a JSON header padded to four bytes (classes,
 * bits, bias, scale, levels, trainedOn, count, the concepts' ids), then the bucket index (bucket-index.ts: its
 * bitmap, then its counts per block, u32 LE), then the `count` rows of 4-bit codes (classes / 2 bytes
 * per bucket, ascending by bucket), then, when the model reads concepts, zero to three bytes of padding and the
 * concept lexicon's table (concepts.ts, u32 LE). A build copies it next to the bundle (scripts/build.mjs); from source it sits here.
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
  levels: number[];
  trainedOn: string;
  count: number;
  /** The concept lexicon's ids and its table's length in u32 words (the table follows the rows, aligned to four bytes). */
  concepts?: { ids: string[]; words: number };
}

/** Bytes that bring a length of n up to a multiple of four, where the next u32 table starts. */
const paddingTo4 = (n: number) => (4 - (n % 4)) % 4;

export function encodeWeights(weights: CompactWeights): Buffer {
  const { index, rows, concepts, ...rest } = weights;
  const header: Header = { ...rest, count: index.size, ...(concepts ? { concepts: { ids: concepts.ids, words: concepts.table.length } } : {}) };
  let json = JSON.stringify(header);
  json += " ".repeat(paddingTo4(Buffer.byteLength(json)));
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32LE(Buffer.byteLength(json), 4);
  const words = (table: Uint32Array) => {
    const out = Buffer.alloc(table.length * 4);
    for (let i = 0; i < table.length; i++) out.writeUInt32LE(table[i]!, i * 4);
    return out;
  };
  const parts = [head, Buffer.from(json), words(index.present), words(index.before), Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength)];
  if (concepts) parts.push(Buffer.alloc(paddingTo4(rows.byteLength)), words(concepts.table));
  return Buffer.concat(parts);
}

export function decodeWeights(file: Buffer): CompactWeights {
  if (file.length < 8 || file.toString("latin1", 0, 4) !== MAGIC) throw new Error(`the monitors' classifier weights file is not in the ${MAGIC} format: reinstall colleague`);
  const headerEnd = 8 + file.readUInt32LE(4);
  const { count, concepts, ...header } = JSON.parse(file.toString("utf8", 8, headerEnd)) as Header;
  const presentWords = BucketIndex.words(header.bits);
  const beforeWords = presentWords / 8 + 1;
  const rowsAt = headerEnd + (presentWords + beforeWords) * 4;
  const rowsLength = (count * header.classes.length) / 2;
  const conceptsAt = rowsAt + rowsLength + paddingTo4(rowsLength);
  const end = concepts ? conceptsAt + concepts.words * 4 : rowsAt + rowsLength;
  if (file.length !== end) throw new Error("the monitors' classifier weights file is truncated: reinstall colleague");
  // The tables are used where they lie when the buffer allows it (aligned, little-endian), else copied.
  const table = (at: number, length: number) =>
    os.endianness() === "LE" && (file.byteOffset + at) % 4 === 0
      ? new Uint32Array(file.buffer, file.byteOffset + at, length)
      : Uint32Array.from({ length }, (_, i) => file.readUInt32LE(at + i * 4));
  const index = new BucketIndex(header.bits, table(headerEnd, presentWords), table(headerEnd + presentWords * 4, beforeWords));
  if (index.size !== count || index.before[0] !== 0) throw new Error("the monitors' classifier weights file has a damaged bucket index: reinstall colleague");
  const rows = new Uint8Array(file.buffer, file.byteOffset + rowsAt, rowsLength);
  if (!concepts) return { ...header, index, rows };
  return { ...header, index, rows, concepts: { ids: concepts.ids, table: table(conceptsAt, concepts.words) } };
}
