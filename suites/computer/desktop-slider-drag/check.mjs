/** The slider's last released value must be 75 ± 3. */
export default async ({ site }) => {
  const values = (site?.submissions ?? []).filter((s) => s.path === "/volume").map((s) => JSON.parse(s.body).value);
  if (values.length === 0) return { pass: false, reasons: ["the slider was never moved"] };
  const last = values.at(-1);
  return Math.abs(last - 75) <= 3 ? { pass: true, reasons: [] } : { pass: false, reasons: [`the volume is ${last}%, expected 75%`] };
};
