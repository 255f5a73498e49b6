/** The account must be created once, with every answer right. */
export default async ({ site }) => {
  const accounts = site?.state.accounts ?? [];
  if (accounts.length === 0) return { pass: false, reasons: ["no account was created"] };
  const a = accounts.at(-1);
  const want = { name: "Grace Hopper", email: "grace@navy.example", plan: "team", terms: "yes" };
  const reasons = Object.entries(want).filter(([k, v]) => a[k] !== v).map(([k, v]) => `${k} is ${JSON.stringify(a[k])}, expected ${JSON.stringify(v)}`);
  return { pass: reasons.length === 0, reasons };
};
