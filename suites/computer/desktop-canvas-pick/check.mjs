/** The last click must have landed on the green square. */
export default async ({ site }) => {
  const picks = (site?.submissions ?? []).filter((s) => s.path === "/pick").map((s) => JSON.parse(s.body));
  if (picks.length === 0) return { pass: false, reasons: ["nothing was clicked"] };
  const last = picks.at(-1);
  return last.color === "green" ? { pass: true, reasons: [] } : { pass: false, reasons: [`the last click hit ${last.color} at ${last.x}, ${last.y}`] };
};
