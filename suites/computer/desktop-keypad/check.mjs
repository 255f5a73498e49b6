/** The keypad must have received the right code, submitted with Enter. */
export default async ({ site }) => {
  const codes = (site?.submissions ?? []).filter((s) => s.path === "/unlock").map((s) => JSON.parse(s.body).code);
  if (codes.length === 0) return { pass: false, reasons: ["no code was submitted"] };
  return codes.includes("4815162342") ? { pass: true, reasons: [] } : { pass: false, reasons: [`submitted ${codes.map((c) => JSON.stringify(c)).join(", ")}, not the unlock code`] };
};
