/** Buckets per block: the index keeps the count of rows before each block. */
const BLOCK_WORDS = 8;

/**
 * Which of the classifier's 2^bits hash buckets have a row in its weight table, and which row:
 * a bitmap of the buckets, with the number of rows before each block of 256 of them. A lookup is
 * a bit test and at most eight popcounts. For 2^20 buckets the index is 144 KB and is used where
 * it lies in the weights file; the sorted list of buckets it replaces took 1 MB, and a pass over
 * all of it to build a search index, at every process's first screen.
 */
export class BucketIndex {
  constructor(
    readonly bits: number,
    /** Bit b of word b >>> 5: bucket b has a row. */
    readonly present: Uint32Array,
    /** before[k]: the rows of all buckets in blocks before block k (one more entry: the total). */
    readonly before: Uint32Array,
  ) {
    const words = BucketIndex.words(bits);
    if (present.length !== words || before.length !== words / BLOCK_WORDS + 1) throw new Error(`a bucket index for ${bits} bits has the wrong size`);
  }

  static words(bits: number): number {
    return Math.max(BLOCK_WORDS, 2 ** bits / 32);
  }

  /** The index of `keys` (distinct buckets, ascending: their rows are in that order). */
  static fromKeys(keys: ArrayLike<number>, bits: number): BucketIndex {
    const words = BucketIndex.words(bits);
    const present = new Uint32Array(words);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (i > 0 && key <= keys[i - 1]!) throw new Error("bucket keys must be distinct and ascending");
      if (key < 0 || key >= 2 ** bits) throw new Error(`bucket ${key} is outside ${bits} bits`);
      present[key >>> 5]! |= 1 << (key & 31);
    }
    const before = new Uint32Array(words / BLOCK_WORDS + 1);
    for (let k = 0; k < words / BLOCK_WORDS; k++) {
      let n = 0;
      for (let w = k * BLOCK_WORDS; w < (k + 1) * BLOCK_WORDS; w++) n += popcount(present[w]!);
      before[k + 1] = before[k]! + n;
    }
    return new BucketIndex(bits, present, before);
  }

  /** How many buckets have a row. */
  get size(): number {
    return this.before[this.before.length - 1]!;
  }

  /** The row number of `bucket`, or -1 when it has none. */
  rowOf(bucket: number): number {
    const word = bucket >>> 5;
    const bit = 1 << (bucket & 31);
    const bits = this.present[word]!;
    if ((bits & bit) === 0) return -1;
    let row = this.before[word >>> 3]!;
    for (let w = word & ~(BLOCK_WORDS - 1); w < word; w++) row += popcount(this.present[w]!);
    return row + popcount(bits & (bit - 1));
  }

  /** The buckets with a row, ascending. */
  keys(): Uint32Array {
    const out = new Uint32Array(this.size);
    let n = 0;
    for (let w = 0; w < this.present.length; w++) {
      for (let bits = this.present[w]!; bits !== 0; bits &= bits - 1) out[n++] = w * 32 + (31 - Math.clz32(bits & -bits));
    }
    return out;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
