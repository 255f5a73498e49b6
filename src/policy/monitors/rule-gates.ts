/**
 * The rules' literal gates (literal-gate.ts), in the order of RULE_PATTERNS, each with its
 * pattern's signature (gateSignature) as a check, and their literals' trigram hashes. The build replaces this module with the computed table
 * (scripts/rule-gates.mjs), so a start reads the gates instead of parsing ~150 patterns and hashing ~1,400 literals (~10 ms);
 * running from source it is empty, and each gate is computed on first use.
 */
export interface GateTable {
  gates: readonly { signature: string; gate: string[] | null }[];
  /** The trigram hashes of every gate's literals in order (gramsOf), as little-endian u32s in base64. */
  grams: string;
}

export const BUILT_GATES: GateTable | undefined = undefined;
