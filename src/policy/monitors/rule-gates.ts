/**
 * The rules' literal gates (literal-gate.ts), in the order of RULE_PATTERNS, each with its
 * pattern's signature (gateSignature) as a check. The build replaces this module with the computed table
 * (scripts/rule-gates.mjs), so a start reads the gates instead of parsing ~150 patterns (~7 ms);
 * running from source it is empty, and each gate is computed on first use.
 */
export type GateTable = readonly { signature: string; gate: string[] | null }[];

export const BUILT_GATES: GateTable | undefined = undefined;
